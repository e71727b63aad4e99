// What the global pools share (GlobalMaxPooling1D/2D/3D, GlobalAveragePooling1D/2D/3D): [...spatial, channels] =>
// [channels], or [1, ..., 1, channels] with `keepdims` (Keras 3, keras/src/layers/pooling/base_global_pooling.py:
// compute_output_shape; no weights). Each layer's file supplies its name, its rank and its reduction.
import * as tf from '@tensorflow/tfjs';
import { fail, type RankMessage } from '../errors.ts';
import type { Dim, Shape } from '../shapes/dim.ts';
import { floatInputs } from './float-inputs.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from './layer.ts';
import { type BaseOptions, boolean, optionsObject } from './options.ts';
import { defineTwin } from './twin.ts';

export interface GlobalPoolingOptions extends BaseOptions {
  /** Keep the pooled axes, as size 1. Default `false`. */
  readonly keepdims?: boolean;
}

type _Form<Spatial extends 1 | 2 | 3> = Spatial extends 1
  ? '[steps, channels]'
  : Spatial extends 2
    ? '[height, width, channels]'
    : '[depth, height, width, channels]';
type _Ones<Spatial extends 1 | 2 | 3> = Spatial extends 1 ? [1] : Spatial extends 2 ? [1, 1] : [1, 1, 1];

/**
 * [...spatial, channels] => [channels], or [1, ..., 1, channels] with keepdims; a keepdims typed `boolean` gives
 * a shape of unknown rank, which the runtime fills in.
 * @example GlobalPoolingShape<'GlobalMaxPooling2D', 2, [7, 7, 512], true> //=> Ok<[1, 1, 512], 'float32'>
 */
export type GlobalPoolingShape<
  Name extends string,
  Spatial extends 1 | 2 | 3,
  S extends Shape,
  KeepDims extends boolean,
> = S extends readonly [...infer Axes extends Dim[], infer Channels extends Dim]
  ? Axes['length'] extends Spatial
    ? boolean extends KeepDims
      ? Ok<Dim[], 'float32'>
      : KeepDims extends true
        ? Ok<[..._Ones<Spatial>, Channels], 'float32'>
        : Ok<[Channels], 'float32'>
    : _RankError<Name, Spatial, S>
  : _RankError<Name, Spatial, S>;

type _RankError<Name extends string, Spatial extends 1 | 2 | 3, S extends Shape> = RankMessage<
  Name,
  Spatial extends 1 ? '2' : Spatial extends 2 ? '3' : '4',
  _Form<Spatial>,
  S,
  `Reshape to ${_Form<Spatial>} first?`
>;

export interface GlobalPoolingRule<
  in out Name extends string,
  in out Spatial extends 1 | 2 | 3,
  in out KeepDims extends boolean,
> extends Rule {
  readonly output: GlobalPoolingShape<Name, Spatial, InputOf<this>, KeepDims>;
}

/**
 * What tfjs-layers lacks: the keepdims form, and the 3-D pools (`keepdims: false` drops the pooled axes; a twin
 * saved without it keeps them).
 */
const keptPool = defineTwin('globalpool', {
  outputShape: (shape, { spatial, keepdims }) =>
    keepdims === false
      ? [shape[0] ?? null, shape.at(-1) ?? null]
      : shape.map((dim, axis) => (axis === 0 || axis === shape.length - 1 ? dim : axis <= Number(spatial) ? 1 : dim)),
  call: (input, { spatial, reduction, keepdims }) => {
    const axes = Array.from({ length: Number(spatial) }, (_, axis) => axis + 1);
    const float = tf.cast(input, 'float32');
    const keep = keepdims !== false;
    return reduction === 'max' ? tf.max(float, axes, keep) : tf.mean(float, axes, keep);
  },
});

const forms = { 1: '[steps, channels]', 2: '[height, width, channels]', 3: '[depth, height, width, channels]' };

/**
 * The value level of a global pool. `lower` builds tfjs's own layer (without keepdims); where tfjs has none (the
 * 3-D pools), `undefined` lowers to the twin.
 */
export function globalPoolingLayer<R extends Rule>(
  className: string,
  spatial: 1 | 2 | 3,
  reduction: 'max' | 'average',
  options: unknown,
  lower: ((name: string) => tf.layers.Layer) | undefined,
): Layer<R> {
  const opts = optionsObject(className, options);
  const keepdims = boolean(className, 'keepdims', opts.keepdims ?? false);
  const form = forms[spatial];
  return unaryLayer(
    {
      className,
      config: { keepdims },
      outputShape({ shape }) {
        if (shape.length !== spatial + 1)
          fail({
            code: 'rank',
            layer: className,
            expected: `${spatial + 1}`,
            form,
            received: shape,
            hint: `Reshape to ${form} first?`,
          });
        const channels = shape[spatial] ?? null;
        return { shape: keepdims ? [...shape.slice(0, spatial).map(() => 1), channels] : [channels], dtype: 'float32' };
      },
      weights: () => [],
      lower: (name) => {
        const twin = { spatial, reduction: reduction === 'max' ? 'max' : 'mean' };
        if (keepdims) return keptPool(name, twin);
        return lower === undefined ? keptPool(name, { ...twin, keepdims: false }) : floatInputs(lower(name));
      },
    },
    opts.name,
    opts.trainable,
  );
}
