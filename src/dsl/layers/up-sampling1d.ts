// UpSampling1D: repeats each step `size` times, Keras's `UpSampling1D(size=2)`: [steps, features] =>
// [steps * size, features]. tfjs-layers has no such layer; this one is written with the public layer API.
import * as tf from '@tensorflow/tfjs';
import { fail, type OverflowMessage, type RankMessage } from '../../errors.ts';
import type { Mul } from '../../shapes/arithmetic.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { defineLayer } from '../define.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { type BaseOptions, type PositiveArg, positiveInteger } from '../options.ts';
import { registerLayer } from '../registry.ts';

/**
 * [steps, features] => [steps * size, features]; unknown steps stay unknown.
 * @example UpSampling1DShape<[4, 3], 2> //=> Ok<[8, 3], 'float32'>
 */
export type UpSampling1DShape<S extends Shape, Size extends number> = S extends readonly [
  infer Steps extends Dim,
  infer Features extends Dim,
]
  ? Steps extends number
    ? Mul<Steps, Size> extends infer Repeated extends number
      ? Ok<[Repeated, Features], 'float32'>
      : OverflowMessage<'UpSampling1D', S>
    : Ok<[null, Features], 'float32'>
  : RankMessage<'UpSampling1D', '2', '[steps, features]', S, ''>;

export interface UpSampling1DRule<in out Size extends number> extends Rule {
  readonly output: UpSampling1DShape<InputOf<this>, Size>;
}

const UpSampling1DClass = defineLayer({
  className: 'UpSampling1D',
  config: ({ size = 2 }) => ({ size: positiveInteger('UpSampling1D', 'size', size) }),
  outputShape({ shape }, { size }) {
    const [steps, features] = shape;
    if (shape.length !== 2 || steps === undefined || features === undefined)
      return fail({
        code: 'rank',
        layer: 'UpSampling1D',
        expected: '2',
        form: '[steps, features]',
        received: shape,
        hint: '',
      });
    const repeated = steps === null ? null : steps * size;
    if (repeated !== null && !Number.isSafeInteger(repeated))
      fail({ code: 'overflow', layer: 'UpSampling1D', received: shape });
    return { shape: [repeated, features], dtype: 'float32' };
  },
  // [batch, steps, features] => [batch, steps, size, features] => [batch, steps * size, features].
  call(input, _weights, { config: { size } }) {
    const [batch = 1, steps = 1, features = 1] = input.shape;
    const tiled = tf.tile(tf.expandDims(tf.cast(input, 'float32'), 2), [1, 1, size, 1]);
    return tf.reshape(tiled, [batch, steps * size, features]);
  },
});

/**
 * `UpSampling1D(size = 2, { name })`.
 * @example UpSampling1D(3)(Input([10, 4])) //=> SymbolicTensor<[30, 4], 'float32', never>
 */
export function UpSampling1D<const Size extends number = 2>(
  size?: PositiveArg<'UpSampling1D', 'size', Size>,
  options?: BaseOptions,
): Layer<UpSampling1DRule<Size>> {
  return UpSampling1DClass.create({ ...options, size });
}

registerLayer('UpSampling1D', (config, name) => UpSampling1DClass.fromConfig(config, name));
