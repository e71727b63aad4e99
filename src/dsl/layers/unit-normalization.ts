// UnitNormalization: each sample scaled to unit L2 norm over `axis`, Keras's `UnitNormalization(axis=-1)`. Keras 3:
// keras/src/layers/normalization/unit_normalization.py (call: ops.normalize(x, axis, order=2, epsilon=1e-12); no
// weights). tfjs-layers has no such layer; this one is written with the public layer API.
import * as tf from '@tensorflow/tfjs';
import { type BadAxisMessage, describe, fail } from '../../errors.ts';
import { type AxisIndex, axisIndex } from '../../shapes/axis.ts';
import type { Shape } from '../../shapes/dim.ts';
import { defineLayer } from '../define.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import type { BaseOptions, Opt } from '../options.ts';
import { registerLayer } from '../registry.ts';

export interface UnitNormalizationOptions extends BaseOptions {
  /** The axis or axes the norm is taken over (Keras numbering: 1 is the first after the batch). Default -1. */
  readonly axis?: number | readonly number[];
}

type _Axes<Axis> = Axis extends number ? [Axis] : Axis extends readonly number[] ? Axis : number[];

/**
 * The input's shape, where every axis exists.
 * @example UnitNormalizationShape<[10, 64], [-1]> //=> Ok<[10, 64], 'float32'>
 */
export type UnitNormalizationShape<S extends Shape, Axes extends readonly number[]> = Axes extends readonly [
  infer Axis extends number,
  ...infer Rest extends readonly number[],
]
  ? number extends Axis
    ? UnitNormalizationShape<S, Rest>
    : [AxisIndex<Axis, S['length']>] extends [never]
      ? BadAxisMessage<'UnitNormalization', Axis, S>
      : UnitNormalizationShape<S, Rest>
  : Ok<[...S], 'float32'>;

export interface UnitNormalizationRule<in out Axes extends readonly number[]> extends Rule {
  readonly output: UnitNormalizationShape<InputOf<this>, Axes>;
}

const UnitNormalizationClass = defineLayer({
  className: 'UnitNormalization',
  config: ({ axis = -1 }) => {
    const axes = typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(axes) || axes.length === 0 || !axes.every(Number.isInteger))
      fail({
        code: 'option',
        layer: 'UnitNormalization',
        option: 'axis',
        expected: 'an integer or a list of them',
        received: describe(axis),
      });
    return { axis: axes.map(Number) };
  },
  outputShape({ shape }, { axis }) {
    for (const each of axis)
      if (axisIndex(each, shape.length) === undefined)
        fail({ code: 'bad-axis', layer: 'UnitNormalization', axis: each, received: shape });
    return { shape, dtype: 'float32' };
  },
  // x * rsqrt(max(sum(x^2), epsilon^2)), epsilon = 1e-12, as Keras's ops.normalize for order 2.
  call(input, _weights, { config: { axis } }) {
    const x = tf.cast(input, 'float32');
    const along = axis.map((each) => (axisIndex(each, x.rank - 1) ?? 0) + 1);
    return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), along, true), 1e-24)));
  },
});

/**
 * `UnitNormalization({ axis = -1, name })`.
 * @example UnitNormalization()(Input([10, 64])) //=> SymbolicTensor<[10, 64], 'float32', never>
 */
export function UnitNormalization<const Options extends UnitNormalizationOptions = Record<never, never>>(
  options?: Options,
): Layer<UnitNormalizationRule<_Axes<Opt<Options, 'axis', -1>>>> {
  return UnitNormalizationClass.create(options);
}

registerLayer('UnitNormalization', (config, name) => UnitNormalizationClass.fromConfig(config, name));
