// Cropping1D: steps cut off both ends, [steps, c] => [steps - start - end, c]. tfjs-layers has no Cropping1D: it
// lowers to a twin (src/dsl/twin.ts).
import * as tf from '@tensorflow/tfjs';
import { type EdgePairs, type Edges1D, type EdgesCheck, type EdgesShape, edgePairs, edgesShape } from '../edges.ts';
import { type DTypeOf, type InputOf, type Layer, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import { defineTwin } from '../twin.ts';

export interface Cropping1DRule<in out Pairs extends readonly (readonly [number, number])[]> extends Rule {
  readonly output: EdgesShape<'Cropping1D', 'crop', InputOf<this>, Pairs, DTypeOf<this>>;
}

const crop1d = defineTwin('cropping1d', {
  outputShape: ([batch = null, steps = null, channels = null], { start, end }) => [
    batch,
    steps === null ? null : steps - Number(start) - Number(end),
    channels,
  ],
  call: (input, { start, end }) => {
    const [batch = 0, steps = 0, channels = 0] = input.shape;
    return tf.slice(input, [0, Number(start), 0], [batch, steps - Number(start) - Number(end), channels]);
  },
});

/** The untyped implementation, which the typed signature and the loader call. */
function cropping1dLayer(cropping: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Cropping1D', options);
  const pairs = edgePairs('Cropping1D', 'cropping', cropping, 1);
  return unaryLayer(
    {
      className: 'Cropping1D',
      config: { cropping: pairs[0] ?? [0, 0] },
      outputShape: ({ shape, dtype }) => ({ shape: edgesShape('Cropping1D', 'crop', shape, pairs), dtype }),
      weights: () => [],
      lower: (name) => crop1d(name, { start: pairs[0]?.[0] ?? 0, end: pairs[0]?.[1] ?? 0 }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `Cropping1D(cropping = 1, { name })`: one amount at both ends, or `[start, end]`.
 * @example Cropping1D([2, 1])(Input([10, 4])) //=> SymbolicTensor<[7, 4], 'float32', never>
 */
export function Cropping1D(): Layer<Cropping1DRule<EdgePairs<1, 1>>>;
export function Cropping1D<const Edges extends Edges1D>(
  cropping: Edges & EdgesCheck<'Cropping1D', 'cropping', Edges>,
  options?: BaseOptions,
): Layer<Cropping1DRule<EdgePairs<Edges, 1>>>;
export function Cropping1D(cropping?: unknown, options?: unknown): Layer<Rule> {
  return cropping1dLayer(cropping ?? 1, options);
}

registerLayer('Cropping1D', (config, name) => cropping1dLayer(config.cropping, named(name)));
