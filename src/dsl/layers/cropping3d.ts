// Cropping3D: steps cut off the ends of depth, height and width, [d, h, w, c] => [d - front - back,
// h - top - bottom, w - left - right, c]. Keras 3: keras/src/layers/reshaping/cropping3d.py (cropping
// ((1, 1), (1, 1), (1, 1)) by default; no weights). tfjs-layers has no Cropping3D: it lowers to a twin
// (src/dsl/twin.ts).
import * as tf from '@tensorflow/tfjs';
import {
  type EdgePairs,
  type Edges3D,
  type EdgesCheck,
  type EdgesShape,
  edgePairs,
  edgesShape,
  twinPairs,
} from '../edges.ts';
import { type DTypeOf, type InputOf, type Layer, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import { defineTwin } from '../twin.ts';

export interface Cropping3DRule<in out Pairs extends readonly (readonly [number, number])[]> extends Rule {
  readonly output: EdgesShape<'Cropping3D', 'crop', InputOf<this>, Pairs, DTypeOf<this>>;
}

const crop3d = defineTwin('cropping3d', {
  outputShape: (shape, { cropping }) => {
    const pairs = twinPairs(cropping);
    return shape.map((dim, axis) => {
      const [start = 0, end = 0] = pairs[axis - 1] ?? [];
      return dim === null || axis === 0 || axis > 3 ? dim : dim - start - end;
    });
  },
  call: (input, { cropping }) => {
    const pairs = twinPairs(cropping);
    const begin = [0, ...pairs.map(([start]) => start), 0];
    const size = input.shape.map((dim, axis) => {
      const [start = 0, end = 0] = pairs[axis - 1] ?? [];
      return axis === 0 || axis > 3 ? dim : dim - start - end;
    });
    return tf.slice(input, begin, size);
  },
});

/** The untyped implementation, which the typed signature and the loader call. */
function cropping3dLayer(cropping: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Cropping3D', options);
  const pairs = edgePairs('Cropping3D', 'cropping', cropping, 3);
  return unaryLayer(
    {
      className: 'Cropping3D',
      config: { cropping: pairs },
      outputShape: ({ shape, dtype }) => ({ shape: edgesShape('Cropping3D', 'crop', shape, pairs), dtype }),
      weights: () => [],
      lower: (name) => crop3d(name, { cropping: pairs.map(([start, end]) => [start, end]) }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `Cropping3D(cropping = 1, { name })`: one amount everywhere, `[depth, height, width]` (each at both ends), or
 * `[[front, back], [top, bottom], [left, right]]`.
 * @example Cropping3D([[1, 1], [2, 2], [0, 3]])(Input([8, 8, 8, 1])) //=> SymbolicTensor<[6, 4, 5, 1], 'float32', never>
 */
export function Cropping3D(): Layer<Cropping3DRule<EdgePairs<1, 3>>>;
export function Cropping3D<const Edges extends Edges3D>(
  cropping: Edges & EdgesCheck<'Cropping3D', 'cropping', Edges>,
  options?: BaseOptions,
): Layer<Cropping3DRule<EdgePairs<Edges, 3>>>;
export function Cropping3D(cropping?: unknown, options?: unknown): Layer<Rule> {
  return cropping3dLayer(cropping ?? 1, options);
}

registerLayer('Cropping3D', (config, name) => cropping3dLayer(config.cropping, named(name)));
