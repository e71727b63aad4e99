// ZeroPadding1D: zeros added at the ends of the steps, [steps, c] => [start + steps + end, c]. tfjs-layers has no
// ZeroPadding1D: it lowers to a twin (src/dsl/twin.ts).
import * as tf from '@tensorflow/tfjs';
import { type EdgePairs, type Edges1D, type EdgesCheck, type EdgesShape, edgePairs, edgesShape } from '../edges.ts';
import { type DTypeOf, type InputOf, type Layer, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import { defineTwin } from '../twin.ts';

export interface ZeroPadding1DRule<in out Pairs extends readonly (readonly [number, number])[]> extends Rule {
  readonly output: EdgesShape<'ZeroPadding1D', 'pad', InputOf<this>, Pairs, DTypeOf<this>>;
}

const pad1d = defineTwin('zeropadding1d', {
  outputShape: ([batch = null, steps = null, channels = null], { start, end }) => [
    batch,
    steps === null ? null : steps + Number(start) + Number(end),
    channels,
  ],
  call: (input, { start, end }) =>
    tf.pad(input, [
      [0, 0],
      [Number(start), Number(end)],
      [0, 0],
    ]),
});

/** The untyped implementation, which the typed signature and the loader call. */
function zeroPadding1dLayer(padding: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('ZeroPadding1D', options);
  const pairs = edgePairs('ZeroPadding1D', 'padding', padding, 1);
  return unaryLayer(
    {
      className: 'ZeroPadding1D',
      config: { padding: pairs[0] ?? [0, 0] },
      outputShape: ({ shape, dtype }) => ({ shape: edgesShape('ZeroPadding1D', 'pad', shape, pairs), dtype }),
      weights: () => [],
      lower: (name) => pad1d(name, { start: pairs[0]?.[0] ?? 0, end: pairs[0]?.[1] ?? 0 }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `ZeroPadding1D(padding = 1, { name })`: one amount at both ends, or `[start, end]`.
 * @example ZeroPadding1D([2, 1])(Input([10, 4])) //=> SymbolicTensor<[13, 4], 'float32', never>
 */
export function ZeroPadding1D(): Layer<ZeroPadding1DRule<EdgePairs<1, 1>>>;
export function ZeroPadding1D<const Edges extends Edges1D>(
  padding: Edges & EdgesCheck<'ZeroPadding1D', 'padding', Edges>,
  options?: BaseOptions,
): Layer<ZeroPadding1DRule<EdgePairs<Edges, 1>>>;
export function ZeroPadding1D(padding?: unknown, options?: unknown): Layer<Rule> {
  return zeroPadding1dLayer(padding ?? 1, options);
}

registerLayer('ZeroPadding1D', (config, name) => zeroPadding1dLayer(config.padding, named(name)));
