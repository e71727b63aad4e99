// ZeroPadding2D: zeros added at the ends of height and width, [h, w, c] => [top + h + bottom, left + w + right, c].
import * as tf from '@tensorflow/tfjs';
import {
  type EdgePairs,
  type Edges2D,
  type EdgesCheck,
  type EdgesShape,
  edgePairs,
  edgesShape,
  pairs2D,
} from '../edges.ts';
import { type DTypeOf, type InputOf, type Layer, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

export interface ZeroPadding2DRule<in out Pairs extends readonly (readonly [number, number])[]> extends Rule {
  readonly output: EdgesShape<'ZeroPadding2D', 'pad', InputOf<this>, Pairs, DTypeOf<this>>;
}

/** The untyped implementation, which the typed signature and the loader call. */
function zeroPadding2dLayer(padding: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('ZeroPadding2D', options);
  const pairs = edgePairs('ZeroPadding2D', 'padding', padding, 2);
  return unaryLayer(
    {
      className: 'ZeroPadding2D',
      config: { padding: pairs },
      outputShape: ({ shape, dtype }) => ({ shape: edgesShape('ZeroPadding2D', 'pad', shape, pairs), dtype }),
      weights: () => [],
      lower: (name) => tf.layers.zeroPadding2d({ padding: pairs2D(pairs), name }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `ZeroPadding2D(padding = 1, { name })`: one amount everywhere, `[height, width]` (each at both ends), or `[[top, bottom], [left, right]]`.
 * @example ZeroPadding2D([[2, 2], [1, 0]])(Input([28, 28, 1])) //=> SymbolicTensor<[32, 29, 1], 'float32', never>
 */
export function ZeroPadding2D(): Layer<ZeroPadding2DRule<EdgePairs<1, 2>>>;
export function ZeroPadding2D<const Edges extends Edges2D>(
  padding: Edges & EdgesCheck<'ZeroPadding2D', 'padding', Edges>,
  options?: BaseOptions,
): Layer<ZeroPadding2DRule<EdgePairs<Edges, 2>>>;
export function ZeroPadding2D(padding?: unknown, options?: unknown): Layer<Rule> {
  return zeroPadding2dLayer(padding ?? 1, options);
}

registerLayer('ZeroPadding2D', (config, name) => zeroPadding2dLayer(config.padding, named(name)));
