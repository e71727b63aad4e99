// UpSampling3D: each step of depth, height and width repeated size[0], size[1] and size[2] times, [d, h, w, c] =>
// [d * size[0], h * size[1], w * size[2], c]. Keras 3: keras/src/layers/reshaping/up_sampling3d.py (size
// (2, 2, 2) by default; compute_output_shape; no weights). tfjs-layers has no UpSampling3D: it lowers to a twin
// (src/dsl/twin.ts).
import * as tf from '@tensorflow/tfjs';
import { fail, type OverflowMessage, type RankMessage } from '../../errors.ts';
import type { Mul } from '../../shapes/arithmetic.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject, type Triple, type Window3D, window3D } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import { defineTwin } from '../twin.ts';

const hint = 'Reshape to [depth, height, width, channels] first?';

type _Scaled<Length extends Dim, Factor extends number> = Length extends number ? Mul<Length, Factor> : null;

/**
 * [d, h, w, c] => [d * size[0], h * size[1], w * size[2], c]; an unknown size stays unknown.
 * @example UpSampling3DShape<[4, 7, 7, 32], [2, 2, 2]> //=> Ok<[8, 14, 14, 32], 'float32'>
 */
export type UpSampling3DShape<S extends Shape, Size extends [number, number, number]> = S extends readonly [
  infer Depth extends Dim,
  infer Height extends Dim,
  infer Width extends Dim,
  infer Channels extends Dim,
]
  ? [_Scaled<Depth, Size[0]>, _Scaled<Height, Size[1]>, _Scaled<Width, Size[2]>] extends [
      infer Deep extends Dim,
      infer Rows extends Dim,
      infer Columns extends Dim,
    ]
    ? Ok<[Deep, Rows, Columns, Channels], 'float32'>
    : OverflowMessage<'UpSampling3D', S>
  : RankMessage<'UpSampling3D', '4', '[depth, height, width, channels]', S, typeof hint>;

export interface UpSampling3DRule<in out Size extends [number, number, number]> extends Rule {
  readonly output: UpSampling3DShape<InputOf<this>, Size>;
}

const factorsOf = (size: unknown): number[] => (Array.isArray(size) ? size.map(Number) : []);

const repeat3d = defineTwin('upsampling3d', {
  outputShape: (shape, { size }) => {
    const factors = factorsOf(size);
    return shape.map((dim, axis) => (dim === null || axis === 0 || axis > 3 ? dim : dim * (factors[axis - 1] ?? 1)));
  },
  // Each spatial axis in turn: [..., n, ...rest] => [..., n, 1, ...rest], broadcast to [..., n, factor, ...rest] by a
  // product with ones (tfjs's gradient of tile stops at rank 4), then [..., n * factor, ...rest] (Keras's ops.repeat
  // along the axis).
  call: (input, { size }) =>
    factorsOf(size).reduce(
      (x, factor, index) => {
        if (factor === 1) return x;
        const axis = index + 1;
        const ones = [...x.shape.map(() => 1), 1];
        ones[axis + 1] = factor;
        const repeated = tf.mul(tf.expandDims(x, axis + 1), tf.ones(ones));
        return tf.reshape(
          repeated,
          x.shape.map((dim, at) => (at === axis ? dim * factor : dim)),
        );
      },
      tf.cast(input, 'float32'),
    ),
});

/** The untyped implementation, which the typed signature and the loader call. */
function upSampling3dLayer(size: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('UpSampling3D', options);
  const factors = window3D('UpSampling3D', 'size', size);
  return unaryLayer(
    {
      className: 'UpSampling3D',
      config: { size: factors },
      outputShape({ shape }) {
        if (shape.length !== 4)
          fail({
            code: 'rank',
            layer: 'UpSampling3D',
            expected: '4',
            form: '[depth, height, width, channels]',
            received: shape,
            hint,
          });
        const scaled = shape.map((length, axis) =>
          length === null || axis === 3 ? length : length * (factors[axis] ?? 1),
        );
        if (scaled.some((length) => length !== null && !Number.isSafeInteger(length)))
          fail({ code: 'overflow', layer: 'UpSampling3D', received: shape });
        return { shape: scaled, dtype: 'float32' };
      },
      weights: () => [],
      lower: (name) => repeat3d(name, { size: factors }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `UpSampling3D(size = 2, { name })`.
 * @example UpSampling3D(2)(Input([4, 7, 7, 32])) //=> SymbolicTensor<[8, 14, 14, 32], 'float32', never>
 */
export function UpSampling3D(): Layer<UpSampling3DRule<[2, 2, 2]>>;
export function UpSampling3D<const Size extends Window3D>(
  size: Size,
  options?: BaseOptions,
): Layer<UpSampling3DRule<Triple<Size>>>;
export function UpSampling3D(size?: unknown, options?: unknown): Layer<Rule> {
  return upSampling3dLayer(size ?? 2, options);
}

registerLayer('UpSampling3D', (config, name) => upSampling3dLayer(config.size, { ...config, ...named(name) }));
