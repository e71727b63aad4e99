// The transposed convolution over 1 or 3 spatial axes (Conv1DTranspose, Conv3DTranspose), computed as a stride-1
// convolution, so that it has a gradient everywhere: tfjs has none for Conv3DBackpropInputV2 (its 3-D transposed
// convolution) and no 1-D form at all. Output position o receives x[i] * kernel[j] where o = i * stride +
// j * dilation - padBefore (TensorFlow's rule, which Keras 3's TensorFlow backend runs); that is a convolution of
// x with stride - 1 zeros between its steps, padded, by the flipped kernel with its channel axes swapped.
import * as tf from '@tensorflow/tfjs';
import type { Compare } from '../shapes/arithmetic.ts';
import { type Padding, transposeLength } from '../shapes/conv.ts';

/** A transposed convolution's geometry, one entry per spatial axis. */
export interface TransposeGeometry {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padding: Padding;
  /** Keras's `None`: `undefined`. */
  readonly outputPadding: readonly number[] | undefined;
}

/** The output's spatial sizes for an input's, by Keras 3's rule (TransposeLength). */
export function transposeSizes(sizes: readonly number[], geometry: TransposeGeometry): number[] {
  return sizes.map(
    (length, axis) =>
      transposeLength(
        length,
        geometry.kernel[axis] ?? 1,
        geometry.strides[axis] ?? 1,
        geometry.dilations[axis] ?? 1,
        geometry.padding,
        geometry.outputPadding?.[axis],
      ) ?? 0,
  );
}

/** `factor - 1` zeros after each step of `axis` but the last (a product with [1, 0, ...]: gradients at any rank). */
function spread(x: tf.Tensor, axis: number, factor: number): tf.Tensor {
  if (factor === 1) return x;
  const pattern = [...x.shape.map(() => 1), 1];
  pattern[axis + 1] = factor;
  const comb = tf.oneHot([0], factor).reshape(pattern);
  const length = x.shape[axis] ?? 1;
  const spreadShape = x.shape.map((dim, at) => (at === axis ? dim * factor : dim));
  const wide = tf.reshape(tf.mul(tf.expandDims(x, axis + 1), comb), spreadShape);
  const begin = x.shape.map(() => 0);
  const size = spreadShape.map((dim, at) => (at === axis ? (length - 1) * factor + 1 : dim));
  return tf.slice(wide, begin, size);
}

/**
 * x [batch, ...spatial, channels] by a kernel [...kernel, filters, channels] (Keras's layout for transposed
 * kernels) => [batch, ...spatial', filters].
 */
export function convTranspose(x: tf.Tensor, kernel: tf.Tensor, geometry: TransposeGeometry): tf.Tensor {
  const rank = geometry.kernel.length;
  const spatial = x.shape.slice(1, rank + 1);
  const out = transposeSizes(spatial, geometry);
  const spans = geometry.kernel.map((size, axis) => (geometry.dilations[axis] ?? 1) * (size - 1) + 1);
  // The input with stride - 1 zeros between its steps, padded so that a stride-1 valid convolution gives `out`.
  let spreadInput = x;
  for (const [axis, stride] of geometry.strides.entries()) spreadInput = spread(spreadInput, axis + 1, stride);
  const pads = spatial.map((length, axis): [number, number] => {
    const [stride = 1, span = 1, size = 1] = [geometry.strides[axis], spans[axis], out[axis]];
    const total = geometry.padding === 'same' ? Math.max((length - 1) * stride + span - size, 0) : 0;
    const before = span - 1 - Math.floor(total / 2);
    return [before, size - ((length - 1) * stride + 1) - before + span - 1];
  });
  const padded = tf.pad(spreadInput, [[0, 0], ...pads, [0, 0]]);
  // The kernel with dilation - 1 zeros between its taps, flipped, its channel axes swapped: [...span, channels, filters].
  let dilated = kernel;
  for (const [axis, rate] of geometry.dilations.entries()) dilated = spread(dilated, axis, rate);
  const axes = Array.from({ length: rank }, (_, axis) => axis);
  const flipped = tf.transpose(tf.reverse(dilated, axes), [...axes, rank + 1, rank]);
  if (rank === 3) {
    const [b = 1, d = 1, h = 1, w = 1, c = 1] = padded.shape;
    const [kd = 1, kh = 1, kw = 1, inner = 1, outer = 1] = flipped.shape;
    return tf.conv3d(padded.as5D(b, d, h, w, c), flipped.as5D(kd, kh, kw, inner, outer), 1, 'valid');
  }
  // One spatial axis: a 2-D convolution over [1, steps].
  const [batch = 1, steps = 1, channels = 1] = padded.shape;
  const [span = 1, inChannels = 1, filters = 1] = flipped.shape;
  const y = tf.conv2d(padded.as4D(batch, 1, steps, channels), flipped.as4D(1, span, inChannels, filters), 1, 'valid');
  return y.reshape([batch, y.shape[2], filters]);
}

/** `true` where a literal of the tuple can be seen to exceed 1. */
type _Above1<Sizes extends readonly number[]> = {
  [Axis in keyof Sizes]: number extends Sizes[Axis] ? false : Sizes[Axis] extends 1 ? false : true;
}[number];

type _NotBelow<Padded, Stride> = Padded extends number
  ? Stride extends number
    ? number extends Padded | Stride
      ? false
      : Compare<Padded, Stride> extends 'lt'
        ? false
        : true
    : false
  : false;

/**
 * `true` where the options can be seen to break Keras's rules (an outputPadding not below its stride; strides and
 * dilation both above 1): their checks report it at the option, and the rule gives a tensor of unknown rank.
 */
export type TransposeOptionsBad<
  Strides extends readonly number[],
  Dilation extends readonly number[],
  OutputPadding extends readonly (number | 'none')[],
> = true extends
  | { [Axis in keyof Strides]: _NotBelow<OutputPadding[Axis & keyof OutputPadding], Strides[Axis]> }[number]
  | (true extends _Above1<Strides> ? _Above1<Dilation> : false)
  ? true
  : false;
