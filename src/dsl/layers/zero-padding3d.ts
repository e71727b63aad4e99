// ZeroPadding3D: zeros added at the ends of depth, height and width, [d, h, w, c] => [front + d + back,
// top + h + bottom, left + w + right, c]. Keras 3: keras/src/layers/reshaping/zero_padding3d.py (padding
// ((1, 1), (1, 1), (1, 1)) by default; no weights). tfjs-layers has no ZeroPadding3D: it lowers to a twin
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

export interface ZeroPadding3DRule<in out Pairs extends readonly (readonly [number, number])[]> extends Rule {
  readonly output: EdgesShape<'ZeroPadding3D', 'pad', InputOf<this>, Pairs, DTypeOf<this>>;
}

const pad3d = defineTwin('zeropadding3d', {
  outputShape: (shape, { padding }) => {
    const pairs = twinPairs(padding);
    return shape.map((dim, axis) => {
      const [start = 0, end = 0] = pairs[axis - 1] ?? [];
      return dim === null || axis === 0 || axis > 3 ? dim : dim + start + end;
    });
  },
  call: (input, { padding }) => tf.pad(input, [[0, 0], ...twinPairs(padding), [0, 0]]),
});

/** The untyped implementation, which the typed signature and the loader call. */
function zeroPadding3dLayer(padding: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('ZeroPadding3D', options);
  const pairs = edgePairs('ZeroPadding3D', 'padding', padding, 3);
  return unaryLayer(
    {
      className: 'ZeroPadding3D',
      config: { padding: pairs },
      outputShape: ({ shape, dtype }) => ({ shape: edgesShape('ZeroPadding3D', 'pad', shape, pairs), dtype }),
      weights: () => [],
      lower: (name) => pad3d(name, { padding: pairs.map(([start, end]) => [start, end]) }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `ZeroPadding3D(padding = 1, { name })`: one amount everywhere, `[depth, height, width]` (each at both ends), or
 * `[[front, back], [top, bottom], [left, right]]`.
 * @example ZeroPadding3D([1, 2, 0])(Input([8, 8, 8, 1])) //=> SymbolicTensor<[10, 12, 8, 1], 'float32', never>
 */
export function ZeroPadding3D(): Layer<ZeroPadding3DRule<EdgePairs<1, 3>>>;
export function ZeroPadding3D<const Edges extends Edges3D>(
  padding: Edges & EdgesCheck<'ZeroPadding3D', 'padding', Edges>,
  options?: BaseOptions,
): Layer<ZeroPadding3DRule<EdgePairs<Edges, 3>>>;
export function ZeroPadding3D(padding?: unknown, options?: unknown): Layer<Rule> {
  return zeroPadding3dLayer(padding ?? 1, options);
}

registerLayer('ZeroPadding3D', (config, name) => zeroPadding3dLayer(config.padding, named(name)));
