// Cropping2D: rows and columns cut off the ends of height and width, [h, w, c] => [h - top - bottom, w - left - right, c].
import * as tf from '@tensorflow/tfjs';
import type { Dim } from '../../shapes/dim.ts';
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

export interface Cropping2DRule<in out Pairs extends readonly (readonly [number, number])[]> extends Rule {
  readonly output: EdgesShape<'Cropping2D', 'crop', InputOf<this>, Pairs, DTypeOf<this>>;
}

const known = (dim: unknown): Dim => (typeof dim === 'number' ? dim : null);

/** The untyped implementation, which the typed signature and the loader call. */
function cropping2dLayer(cropping: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Cropping2D', options);
  const pairs = edgePairs('Cropping2D', 'cropping', cropping, 2);
  return unaryLayer(
    {
      className: 'Cropping2D',
      config: { cropping: pairs },
      outputShape: ({ shape, dtype }) => ({ shape: edgesShape('Cropping2D', 'crop', shape, pairs), dtype }),
      weights: () => [],
      lower: (name) => {
        const layer = tf.layers.cropping2D({ cropping: pairs2D(pairs), name });
        // tfjs computes an unknown size minus the crop as a number (null - 2 = -2); Keras keeps it unknown.
        layer.computeOutputShape = (inputShape) => {
          const [batch = null, ...rest] = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
          return [batch, ...edgesShape('Cropping2D', 'crop', rest.map(known), pairs)];
        };
        return layer;
      },
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `Cropping2D(cropping = 0, { name })`: one amount everywhere, `[height, width]` (each at both ends), or `[[top, bottom], [left, right]]`.
 * @example Cropping2D([[2, 2], [4, 4]])(Input([28, 28, 1])) //=> SymbolicTensor<[24, 20, 1], 'float32', never>
 */
export function Cropping2D(): Layer<Cropping2DRule<EdgePairs<0, 2>>>;
export function Cropping2D<const Edges extends Edges2D>(
  cropping: Edges & EdgesCheck<'Cropping2D', 'cropping', Edges>,
  options?: BaseOptions,
): Layer<Cropping2DRule<EdgePairs<Edges, 2>>>;
export function Cropping2D(cropping?: unknown, options?: unknown): Layer<Rule> {
  return cropping2dLayer(cropping ?? 0, options);
}

registerLayer('Cropping2D', (config, name) => cropping2dLayer(config.cropping, named(name)));
