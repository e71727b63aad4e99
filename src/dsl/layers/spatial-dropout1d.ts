// SpatialDropout1D: Dropout of whole feature maps: while training, each channel of a sample, over all its steps is zeroed with probability
// `rate` (the rest scaled by 1 / (1 - rate)); outside training the input passes. Keras 3:
// keras/src/layers/regularization/spatial_dropout.py (noise shape [batch, 1, channels]; input of rank 3 with the
// batch). Written with the public layer API; the result is float32, as Dropout's.
import * as tf from '@tensorflow/tfjs';
import { fail, type RankMessage } from '../../errors.ts';
import type { Shape } from '../../shapes/dim.ts';
import { defineLayer } from '../define.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { type BaseOptions, type LayerRateArg, unitRate } from '../options.ts';
import { registerLayer } from '../registry.ts';

/**
 * Rank 2 [steps, channels]; the shape unchanged.
 * @example SpatialDropout1DShape<[10, 8]> //=> Ok<[10, 8], 'float32'>
 */
export type SpatialDropout1DShape<S extends Shape> = S['length'] extends 2
  ? Ok<[...S], 'float32'>
  : RankMessage<'SpatialDropout1D', '2', '[steps, channels]', S, ''>;

export interface SpatialDropout1DRule extends Rule {
  readonly output: SpatialDropout1DShape<InputOf<this>>;
}

const SpatialDropout1DClass = defineLayer({
  className: 'SpatialDropout1D',
  config: ({ rate }) => ({ rate: unitRate('SpatialDropout1D', rate) }),
  outputShape({ shape }) {
    if (shape.length !== 2)
      fail({
        code: 'rank',
        layer: 'SpatialDropout1D',
        expected: '2',
        form: '[steps, channels]',
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
 * `SpatialDropout1D(rate, { name })`, rate in [0, 1).
 * @example SpatialDropout1D(0.2)(Input([10, 8])) //=> SymbolicTensor<[10, 8], 'float32', never>
 */
export function SpatialDropout1D<const Rate extends number>(
  rate: LayerRateArg<'SpatialDropout1D', Rate>,
  options?: BaseOptions,
): Layer<SpatialDropout1DRule> {
  return SpatialDropout1DClass.create({ ...options, rate });
}

registerLayer('SpatialDropout1D', (config, name) => SpatialDropout1DClass.fromConfig(config, name));
