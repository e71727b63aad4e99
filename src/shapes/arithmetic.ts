// Exact integer arithmetic on number literal types, for every integer up to 2^53 - 1.
// Results that cannot be represented are `Overflow`, never a silent `number`.
import type { _Add, _Compare, _DivMod, _Mul, _Sub } from './internal/_digits.ts';

/** The result of an operation whose exact value exceeds Number.MAX_SAFE_INTEGER (2^53 - 1). */
export interface Overflow {
  readonly overflow: 'exceeds 2^53 - 1';
}

type _MaxSafe = '9007199254740991';

/** A wide `number` operand (a size only the runtime knows) gives a wide `number`; literals give literals. */
type _Wide<A extends number, B extends number> = number extends A ? true : number extends B ? true : false;

type _ToNumber<Digits extends string> =
  _Compare<Digits, _MaxSafe> extends 'gt' ? Overflow : Digits extends `${infer Value extends number}` ? Value : never;

/**
 * A + B. @example Add<3211264, 1> //=> 3211265
 */
export type Add<A extends number, B extends number> =
  _Wide<A, B> extends true ? number : _ToNumber<_Add<`${A}`, `${B}`>>;

/**
 * A - B, `never` when B > A (dimensions are never negative; callers compare first).
 * @example Sub<64, 4> //=> 60
 */
export type Sub<A extends number, B extends number> =
  _Wide<A, B> extends true ? number : _Compare<`${A}`, `${B}`> extends 'lt' ? never : _ToNumber<_Sub<`${A}`, `${B}`>>;

/** A * B. @example Mul<50176, 64> //=> 3211264 */
export type Mul<A extends number, B extends number> =
  _Wide<A, B> extends true ? number : _ToNumber<_Mul<`${A}`, `${B}`>>;

/** floor(A / B) for B > 0. @example FloorDiv<59, 2> //=> 29 */
export type FloorDiv<A extends number, B extends number> =
  _Wide<A, B> extends true ? number : _ToNumber<_DivMod<`${A}`, `${B}`>[0]>;

/** A mod B for B > 0. @example Mod<59, 2> //=> 1 */
export type Mod<A extends number, B extends number> =
  _Wide<A, B> extends true ? number : _ToNumber<_DivMod<`${A}`, `${B}`>[1]>;

/** ceil(A / B) for B > 0. @example CeilDiv<59, 2> //=> 30 */
export type CeilDiv<A extends number, B extends number> =
  _Wide<A, B> extends true
    ? number
    : _DivMod<`${A}`, `${B}`> extends [infer Quotient extends string, infer Remainder extends string]
      ? _ToNumber<Remainder extends '0' ? Quotient : _Add<Quotient, '1'>>
      : never;

/** 'lt' | 'eq' | 'gt'. @example Compare<9007199254740991, 9007199254740990> //=> 'gt' */
export type Compare<A extends number, B extends number> =
  _Wide<A, B> extends true ? 'lt' | 'eq' | 'gt' : _Compare<`${A}`, `${B}`>;

/** Product of non-negative integer literals, folded left; Overflow once a partial product overflows. */
export type Product<Factors extends readonly number[], Acc extends number | Overflow = 1> = Acc extends number
  ? Factors extends readonly [infer Head extends number, ...infer Rest extends readonly number[]]
    ? Product<Rest, Mul<Acc, Head>>
    : Acc
  : Overflow;
