// Output length of a convolution or pooling window along one axis, shared by Conv1D, Conv2D and the pools.
import type { Add, CeilDiv, Compare, FloorDiv, Mod, Mul, Overflow, Sub } from './arithmetic.ts';
import type { Dim } from './dim.ts';

export type Padding = 'valid' | 'same';

/** A window too large for its input along some axis: the output would have fewer than one step. */
export interface WindowTooLarge<Needed extends number | Overflow> {
  readonly windowTooLarge: Needed;
}

/** The input length a dilated window covers: dilation * (size - 1) + 1. */
export type DilatedSize<Size extends number, Dilation extends number> =
  Sub<Size, 1> extends infer Gaps extends number
    ? Mul<Dilation, Gaps> extends infer Span extends number
      ? Add<Span, 1>
      : Overflow
    : never;

/**
 * `valid`: floor((n - dilation * (size - 1) - 1) / stride) + 1; `same`: ceil(n / stride).
 * An unknown length stays unknown; a window longer than its input is WindowTooLarge.
 * @example ConvLength<64, 5, 1, 1, 'valid'> //=> 60
 * @example ConvLength<31, 2, 2, 1, 'same'> //=> 16
 */
export type ConvLength<
  Length extends Dim,
  Size extends number,
  Stride extends number,
  Dilation extends number,
  Pad extends Padding,
> = Length extends number
  ? Pad extends 'same'
    ? Stride extends 1
      ? Length
      : CeilDiv<Length, Stride>
    : DilatedSize<Size, Dilation> extends infer Needed extends number
      ? Compare<Length, Needed> extends 'lt'
        ? WindowTooLarge<Needed>
        : Sub<Length, Needed> extends infer Rest extends number
          ? (Stride extends 1 ? Rest : FloorDiv<Rest, Stride>) extends infer Steps extends number
            ? Add<Steps, 1>
            : never
          : never
      : WindowTooLarge<Overflow>
  : null;

/** Value-level twin of ConvLength: `{ tooLarge: needed }` where the type is WindowTooLarge. */
export function convLength(
  length: Dim,
  size: number,
  stride: number,
  dilation: number,
  padding: Padding,
): Dim | { readonly tooLarge: number } {
  if (length === null) return null;
  if (padding === 'same') return Math.ceil(length / stride);
  const needed = dilation * (size - 1) + 1;
  if (length < needed) return { tooLarge: needed };
  return Math.floor((length - needed) / stride) + 1;
}

/**
 * Output length of a transposed convolution along one axis, Keras 3's rule
 * (keras/src/backend/common/backend_utils.py, _get_output_shape_given_tf_padding), with k' the dilated kernel:
 * `valid`: (n - 1) * stride + k' + outputPadding (by default max(k', stride) - k'); `same`: n * stride, or with an
 * outputPadding, (n - 1) * stride + k' % 2 + outputPadding. An unknown length stays unknown.
 * @example TransposeLength<7, 3, 2, 1, 'same', 'none'> //=> 14
 * @example TransposeLength<7, 3, 2, 1, 'valid', 'none'> //=> 15
 * @example TransposeLength<7, 3, 2, 1, 'valid', 1> //=> 16
 */
export type TransposeLength<
  Length extends Dim,
  Size extends number,
  Stride extends number,
  Dilation extends number,
  Pad extends Padding,
  OutputPadding extends number | 'none',
> = Length extends number
  ? DilatedSize<Size, Dilation> extends infer Span extends number
    ? Sub<Length, 1> extends infer Before extends number
      ? Mul<Before, Stride> extends infer Base extends number
        ? OutputPadding extends number
          ? Add<Base, Pad extends 'same' ? Extract<Mod<Span, 2>, number> : Span> extends infer Reach extends number
            ? Add<Reach, OutputPadding>
            : Overflow
          : Pad extends 'same'
            ? Mul<Length, Stride>
            : Add<Base, Compare<Span, Stride> extends 'lt' ? Stride : Span>
        : Overflow
      : never
    : Overflow
  : null;

/** Value-level twin of TransposeLength (`undefined` output padding: the default). */
export function transposeLength(
  length: Dim,
  size: number,
  stride: number,
  dilation: number,
  padding: Padding,
  outputPadding: number | undefined,
): Dim {
  if (length === null) return null;
  const span = dilation * (size - 1) + 1;
  if (padding === 'valid') return (length - 1) * stride + span + (outputPadding ?? Math.max(span, stride) - span);
  return outputPadding === undefined ? length * stride : (length - 1) * stride + (span % 2) + outputPadding;
}
