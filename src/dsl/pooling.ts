// What MaxPooling and AveragePooling share: options, shape rule (a window that keeps the channels), and the
// construction of the layer. Each pooling layer's file supplies its name and its tfjs lowering.
import type * as tf from '@tensorflow/tfjs';
import type { Padding } from '../shapes/conv.ts';
import { floatInputs } from './float-inputs.ts';
import { type InputOf, type Layer, type Rule, unaryLayer } from './layer.ts';
import {
  type BaseOptions,
  oneOf,
  optionsObject,
  positiveInteger,
  type Window2D,
  type Window3D,
  window2D,
  window3D,
} from './options.ts';
import { type WindowShape, windowShape } from './window.ts';

export interface Pooling2DOptions extends BaseOptions {
  /** Default: the pool size. */
  readonly strides?: Window2D;
  /** Default `'valid'`. */
  readonly padding?: Padding;
}

export interface Pooling3DOptions extends BaseOptions {
  /** Default: the pool size. */
  readonly strides?: Window3D;
  /** Default `'valid'`. */
  readonly padding?: Padding;
}

export interface Pooling1DOptions extends BaseOptions {
  /** Default: the pool size. */
  readonly strides?: number;
  /** Default `'valid'`. */
  readonly padding?: Padding;
}

export interface PoolingRule<
  in out Name extends string,
  in out Size extends readonly number[],
  in out Strides extends readonly number[],
  in out Pad extends Padding,
> extends Rule {
  // Pools have no dilation: 1 on every spatial axis.
  readonly output: WindowShape<Name, 'pool', InputOf<this>, Size, Strides, { [Axis in keyof Size]: 1 }, Pad, 'same'>;
}

/** The value level of a pooling layer, from its class name, its pool, its options and its tfjs lowering. */
export function poolingLayer<R extends Rule>(
  className: string,
  spatial: 1 | 2 | 3,
  poolSize: unknown,
  options: unknown,
  lower: (config: { poolSize: number[]; strides: number[]; padding: Padding; name: string }) => tf.layers.Layer,
): Layer<R> {
  const opts = optionsObject(className, options);
  const read = (option: string, value: unknown): number[] =>
    spatial === 1
      ? [positiveInteger(className, option, value)]
      : spatial === 2
        ? window2D(className, option, value)
        : window3D(className, option, value);
  const sizes = read('poolSize', poolSize);
  const strides = opts.strides === undefined ? sizes : read('strides', opts.strides);
  const padding = oneOf(className, 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const geometry = { sizes, strides, dilations: sizes.map(() => 1) };
  return unaryLayer(
    {
      className,
      config: { poolSize: sizes, strides, padding },
      outputShape: ({ shape }) => ({
        shape: windowShape(className, 'pool', shape, geometry, padding, 'same'),
        dtype: 'float32',
      }),
      weights: () => [],
      lower: (name) => floatInputs(lower({ poolSize: sizes, strides, padding, name })),
    },
    opts.name,
    opts.trainable,
  );
}
