// Exact arithmetic on non-negative integers written as decimal strings, one digit per step.
// Recursion depth is the number of digits (at most 17 for numbers up to 2^53), never the value itself,
// so a dimension of 3211264 costs as much as one of 32. See docs/design.md, "Type-level arithmetic".
import type { _Diff0, _Diff1, _Prod, _Sum0, _Sum1 } from './_tables.ts';

export type _Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/** Reverses a string: "123" => "321". Internal operations work least significant digit first. */
export type _Reverse<Text extends string, Acc extends string = ''> = Text extends `${infer Head}${infer Rest}`
  ? _Reverse<Rest, `${Head}${Acc}`>
  : Acc;

/** Drops leading zeros of a most-significant-first string, keeping a lone "0". */
export type _Trim<Digits extends string> = Digits extends `0${infer Rest extends string}`
  ? Rest extends ''
    ? '0'
    : _Trim<Rest>
  : Digits extends ''
    ? '0'
    : Digits;

type _First<Pair extends string> = Pair extends `${infer Head}${string}` ? Head : never;
type _Second<Pair extends string> = Pair extends `${string}${infer Tail}` ? Tail : never;
type _Split<Text extends string> = Text extends `${infer Head extends _Digit}${infer Rest}` ? [Head, Rest] : ['0', ''];

/** Sum of two reversed digit strings, reversed. */
export type _AddRev<
  Left extends string,
  Right extends string,
  Carry extends '0' | '1' = '0',
  Acc extends string = '',
> = Left extends ''
  ? Right extends ''
    ? Carry extends '1'
      ? `${Acc}1`
      : Acc
    : _AddStep<_Split<Left>, _Split<Right>, Carry, Acc>
  : _AddStep<_Split<Left>, _Split<Right>, Carry, Acc>;

type _AddStep<
  Left extends [_Digit, string],
  Right extends [_Digit, string],
  Carry extends '0' | '1',
  Acc extends string,
> = (Carry extends '1' ? _Sum1 : _Sum0)[Left[0]][Right[0]] extends infer Pair extends string
  ? _AddRev<Left[1], Right[1], _First<Pair> & ('0' | '1'), `${Acc}${_Second<Pair>}`>
  : never;

/** Left - Right of two reversed digit strings, reversed; `never` when Right > Left. */
export type _SubRev<
  Left extends string,
  Right extends string,
  Borrow extends '0' | '1' = '0',
  Acc extends string = '',
> = Left extends ''
  ? Right extends ''
    ? Borrow extends '1'
      ? never
      : Acc
    : never
  : _SubStep<_Split<Left>, _Split<Right>, Borrow, Acc>;

type _SubStep<
  Left extends [_Digit, string],
  Right extends [_Digit, string],
  Borrow extends '0' | '1',
  Acc extends string,
> = (Borrow extends '1' ? _Diff1 : _Diff0)[Left[0]][Right[0]] extends infer Pair extends string
  ? _SubRev<Left[1], Right[1], _First<Pair> & ('0' | '1'), `${Acc}${_Second<Pair>}`>
  : never;

/** A reversed digit string times one digit, reversed. */
type _MulDigitRev<
  Left extends string,
  Factor extends _Digit,
  Carry extends _Digit = '0',
  Acc extends string = '',
> = Left extends `${infer Head extends _Digit}${infer Rest}`
  ? _Prod[Head][Factor] extends infer Product extends string
    ? _Sum0[_Second<Product> & _Digit][Carry] extends infer Low extends string
      ? _MulDigitRev<
          Rest,
          Factor,
          _Second<_Sum0[_First<Product> & _Digit][_First<Low> & _Digit]> & _Digit,
          `${Acc}${_Second<Low>}`
        >
      : never
    : never
  : Carry extends '0'
    ? Acc
    : `${Acc}${Carry}`;

/** Product of two reversed digit strings, reversed: long multiplication, one partial product per digit. */
export type _MulRev<
  Left extends string,
  Right extends string,
  Shift extends string = '',
  Acc extends string = '0',
> = Right extends `${infer Head extends _Digit}${infer Rest}`
  ? _MulRev<Left, Rest, `${Shift}0`, _AddRev<Acc, `${Shift}${_MulDigitRev<Left, Head>}`>>
  : Acc;

/** Compares equal-length most-significant-first digit strings. */
type _CompareSameLength<
  Left extends string,
  Right extends string,
> = Left extends `${infer L extends _Digit}${infer LRest}`
  ? Right extends `${infer R extends _Digit}${infer RRest}`
    ? L extends R
      ? _CompareSameLength<LRest, RRest>
      : _SubRev<L, R> extends never
        ? 'lt'
        : 'gt'
    : 'gt'
  : 'eq';

type _CompareLength<Left extends string, Right extends string> = Left extends `${string}${infer LRest}`
  ? Right extends `${string}${infer RRest}`
    ? _CompareLength<LRest, RRest>
    : 'gt'
  : Right extends ''
    ? 'eq'
    : 'lt';

/** Compares two canonical (no leading zero) digit strings: 'lt' | 'eq' | 'gt'. */
export type _Compare<Left extends string, Right extends string> =
  _CompareLength<Left, Right> extends 'eq' ? _CompareSameLength<Left, Right> : _CompareLength<Left, Right>;

/** Canonical Left - Right for canonical Left >= Right. */
export type _Sub<Left extends string, Right extends string> = _Trim<_Reverse<_SubRev<_Reverse<Left>, _Reverse<Right>>>>;

/** How many times Divisor fits into Remainder (0..9), and what is left. Remainder < 10 * Divisor. */
type _DivDigit<Remainder extends string, Divisor extends string, Count extends unknown[] = []> =
  _Compare<Remainder, Divisor> extends 'lt'
    ? [`${Count['length']}`, Remainder]
    : _DivDigit<_Sub<Remainder, Divisor>, Divisor, [...Count, unknown]>;

/** Long division of canonical digit strings: [quotient, remainder]. */
export type _DivMod<
  Dividend extends string,
  Divisor extends string,
  Remainder extends string = '0',
  Quotient extends string = '',
> = Dividend extends `${infer Head extends _Digit}${infer Rest}`
  ? _DivDigit<_Trim<`${Remainder}${Head}`>, Divisor> extends [infer Digit extends string, infer Left extends string]
    ? _DivMod<Rest, Divisor, Left, `${Quotient}${Digit}`>
    : never
  : [_Trim<Quotient>, Remainder];

export type _Add<Left extends string, Right extends string> = _Reverse<_AddRev<_Reverse<Left>, _Reverse<Right>>>;

export type _Mul<Left extends string, Right extends string> = _Trim<_Reverse<_MulRev<_Reverse<Left>, _Reverse<Right>>>>;
