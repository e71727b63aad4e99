// Dimensions and shapes. A dimension is a positive integer literal or `null` (unknown, Keras's None);
// a shape is the tuple of dimensions after the implicit batch axis.

/** One dimension: a positive integer, or `null` when unknown (Keras's `None`). */
export type Dim = number | null;

/** The dimensions of a tensor after the batch axis: `[64, 64, 3]`. A non-tuple `Dim[]` is a shape of unknown rank. */
export type Shape = readonly Dim[];

/** `true` when the shape's rank is not known to the compiler (a `Dim[]` rather than a tuple). */
export type IsUnknownRank<S extends Shape> = number extends S['length'] ? true : false;

/**
 * Drops `readonly` from a shape literal: `readonly [64, 3]` => `[64, 3]`. A wide `number` stays `number`: a size
 * the runtime knows but the compiler cannot see; `null` is unknown at both levels (Keras's None).
 */
export type MutableShape<S extends Shape> = [...S];

/**
 * `true` for a positive integer literal, `false` for anything that can be seen not to be one (0, -3, 2.5),
 * `boolean` for a wide `number`, which only the runtime can check.
 * @example IsPositiveInteger<3> //=> true
 * @example IsPositiveInteger<2.5> //=> false
 */
export type IsPositiveInteger<N extends number> = number extends N
  ? boolean
  : `${N}` extends `-${string}` | '0'
    ? false
    : `${N}` extends `${bigint}`
      ? true
      : false;

/** The shape written as kerats writes it in messages: `[64, 64, 3]`, `[null, 32]`. */
export type ShowShape<S extends Shape> = IsUnknownRank<S> extends true ? '[...]' : `[${_Join<S>}]`;

type _Join<S extends Shape> = S extends readonly [infer Head extends Dim, ...infer Rest extends Shape]
  ? Rest extends readonly []
    ? `${Head}`
    : `${Head}, ${_Join<Rest>}`
  : '';

/** Value-level twin of ShowShape. */
export function showShape(shape: readonly Dim[]): string {
  return `[${shape.map((dim) => `${dim}`).join(', ')}]`;
}

/** Value-level twin of IsPositiveInteger. */
export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
