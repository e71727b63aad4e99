// UpSampling2D: each row repeated size[0] times and each column size[1] times (or interpolated), [h, w, c] =>
// [h * size[0], w * size[1], c]. Keras 3: keras/src/layers/reshaping/up_sampling2d.py (compute_output_shape; no
// weights).
import * as tf from '@tensorflow/tfjs';
import { fail, type OverflowMessage, type RankMessage } from '../../errors.ts';
import type { Mul } from '../../shapes/arithmetic.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { floatInputs } from '../float-inputs.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import {
  type BaseOptions,
  oneOf,
  optionsObject,
  type Pair,
  type Window2D,
  type WindowCheck,
  window2D,
} from '../options.ts';
import { named, registerLayer } from '../registry.ts';

export interface UpSampling2DOptions extends BaseOptions {
  /** Default `'nearest'`. */
  readonly interpolation?: 'nearest' | 'bilinear';
}

const hint = 'Reshape to [height, width, channels] first?';

type _Scaled<Length extends Dim, Factor extends number> = Length extends number ? Mul<Length, Factor> : null;

/**
 * [h, w, c] => [h * size[0], w * size[1], c]; an unknown size stays unknown.
 * @example UpSampling2DShape<[7, 7, 32], [2, 2]> //=> Ok<[14, 14, 32], 'float32'>
 */
export type UpSampling2DShape<S extends Shape, Size extends [number, number]> = S extends readonly [
  infer Height extends Dim,
  infer Width extends Dim,
  infer Channels extends Dim,
]
  ? [_Scaled<Height, Size[0]>, _Scaled<Width, Size[1]>] extends [infer Rows extends Dim, infer Columns extends Dim]
    ? Ok<[Rows, Columns, Channels], 'float32'>
    : OverflowMessage<'UpSampling2D', S>
  : RankMessage<'UpSampling2D', '3', '[height, width, channels]', S, typeof hint>;

export interface UpSampling2DRule<in out Size extends [number, number]> extends Rule {
  readonly output: UpSampling2DShape<InputOf<this>, Size>;
}

/** The untyped implementation, which the typed signature and the loader call. */
function upSampling2dLayer(size: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('UpSampling2D', options);
  const factors = window2D('UpSampling2D', 'size', size);
  const interpolation = oneOf('UpSampling2D', 'interpolation', opts.interpolation ?? 'nearest', [
    'nearest',
    'bilinear',
  ]);
  return unaryLayer(
    {
      className: 'UpSampling2D',
      config: { size: factors, interpolation },
      outputShape({ shape }) {
        if (shape.length !== 3)
          fail({
            code: 'rank',
            layer: 'UpSampling2D',
            expected: '3',
            form: '[height, width, channels]',
            received: shape,
            hint,
          });
        const scaled = shape.map((length, axis) =>
          length === null || axis === 2 ? length : length * (factors[axis] ?? 1),
        );
        if (scaled.some((length) => length !== null && !Number.isSafeInteger(length)))
          fail({ code: 'overflow', layer: 'UpSampling2D', received: shape });
        return { shape: scaled, dtype: 'float32' };
      },
      weights: () => [],
      lower: (name) => floatInputs(tf.layers.upSampling2d({ size: factors, interpolation, name })),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `UpSampling2D(size = 2, { interpolation = 'nearest', name })`.
 * @example UpSampling2D(2)(Input([7, 7, 32])) //=> SymbolicTensor<[14, 14, 32], 'float32', never>
 */
export function UpSampling2D(): Layer<UpSampling2DRule<[2, 2]>>;
export function UpSampling2D<const Size extends Window2D>(
  size: Size & WindowCheck<'UpSampling2D', 'size', Size>,
  options?: UpSampling2DOptions,
): Layer<UpSampling2DRule<Pair<Size>>>;
export function UpSampling2D(size?: unknown, options?: unknown): Layer<Rule> {
  return upSampling2dLayer(size ?? 2, options);
}

registerLayer('UpSampling2D', (config, name) => upSampling2dLayer(config.size, { ...config, ...named(name) }));
