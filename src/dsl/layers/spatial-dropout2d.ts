// SpatialDropout2D: Dropout of whole feature maps: while training, each channel of a sample, over its whole feature map is zeroed with probability
// `rate` (the rest scaled by 1 / (1 - rate)); outside training the input passes. Keras 3:
// keras/src/layers/regularization/spatial_dropout.py (noise shape [batch, 1, 1, channels]; input of rank 4 with the
// batch). Written with the public layer API; the result is float32, as Dropout's.
import * as tf from '@tensorflow/tfjs';
import { fail, type RankMessage } from '../../errors.ts';
import type { Shape } from '../../shapes/dim.ts';
import { defineLayer } from '../define.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { type BaseOptions, type LayerRateArg, unitRate } from '../options.ts';
import { registerLayer } from '../registry.ts';

/**
 * Rank 3 [height, width, channels]; the shape unchanged.
 * @example SpatialDropout2DShape<[7, 7, 8]> //=> Ok<[7, 7, 8], 'float32'>
 */
export type SpatialDropout2DShape<S extends Shape> = S['length'] extends 3
  ? Ok<[...S], 'float32'>
  : RankMessage<'SpatialDropout2D', '3', '[height, width, channels]', S, ''>;

export interface SpatialDropout2DRule extends Rule {
  readonly output: SpatialDropout2DShape<InputOf<this>>;
}

const SpatialDropout2DClass = defineLayer({
  className: 'SpatialDropout2D',
  config: ({ rate }) => ({ rate: unitRate('SpatialDropout2D', rate) }),
  outputShape({ shape }) {
    if (shape.length !== 3)
      fail({
        code: 'rank',
        layer: 'SpatialDropout2D',
        expected: '3',
        form: '[height, width, channels]',
        received: shape,
        hint: '',
      });
    return { shape, dtype: 'float32' };
  },
  call(input, _weights, { training, config: { rate } }) {
    const x = tf.cast(input, 'float32');
    if (!training || rate === 0) return x;
    const noiseShape = x.shape.map((size, axis) => (axis === 0 || axis === x.rank - 1 ? size : 1));
    return tf.dropout(x, rate, noiseShape);
  },
});

/**
 * `SpatialDropout2D(rate, { name })`, rate in [0, 1).
 * @example SpatialDropout2D(0.2)(Input([7, 7, 8])) //=> SymbolicTensor<[7, 7, 8], 'float32', never>
 */
export function SpatialDropout2D<const Rate extends number>(
  rate: LayerRateArg<'SpatialDropout2D', Rate>,
  options?: BaseOptions,
): Layer<SpatialDropout2DRule> {
  return SpatialDropout2DClass.create({ ...options, rate });
}

registerLayer('SpatialDropout2D', (config, name) => SpatialDropout2DClass.fromConfig(config, name));
