// Output length of a convolution or pooling window along one axis, shared by Conv1D, Conv2D and the pools.
import type { Add, CeilDiv, Compare, FloorDiv, Mul, Overflow, Sub } from './arithmetic.ts';
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
