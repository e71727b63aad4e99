// Merging two shapes that must agree on every axis but one (Concatenate), or that must broadcast on every axis
// (Add, Multiply, ...: equal, or 1, as Keras's and tfjs' elementwise merges allow). An unknown dimension agrees
// with anything, and the merged shape keeps whatever is known.
import type { Dim, Shape } from './dim.ts';

/** The axis (Keras numbering, 1-based) where two shapes first disagree. */
export interface Disagreement<Axis extends number> {
  readonly disagreeOn: Axis;
}

/**
 * Merges equal-rank shapes dimension by dimension, ignoring index `Skip` (-1 for none), where the first shape's
 * dimension is kept.
 * @example MergeShapes<[null, 3], [4, 3], -1> //=> [4, 3]
 * @example MergeShapes<[2, 3], [4, 3], -1> //=> Disagreement<1>
 */
export type MergeShapes<
  First extends Shape,
  Second extends Shape,
  Skip extends number,
  Done extends Dim[] = [],
> = First extends readonly [infer A extends Dim, ...infer RestA extends Shape]
  ? Second extends readonly [infer B extends Dim, ...infer RestB extends Shape]
    ? Done['length'] extends Skip
      ? MergeShapes<RestA, RestB, Skip, [...Done, A]>
      : A extends null
        ? MergeShapes<RestA, RestB, Skip, [...Done, B]>
        : B extends null
          ? MergeShapes<RestA, RestB, Skip, [...Done, A]>
          : [A, B] extends [B, A]
            ? MergeShapes<RestA, RestB, Skip, [...Done, A]>
            : number extends A | B
              ? MergeShapes<RestA, RestB, Skip, [...Done, number]>
              : Disagreement<[...Done, unknown]['length']>
    : Done
  : Done;

/** Value-level twin of MergeShapes: the merged shape, or the disagreeing axis (1-based). */
export function mergeShapes(
  first: readonly Dim[],
  second: readonly Dim[],
  skip: number,
): Dim[] | { readonly disagreeOn: number } {
  const merged: Dim[] = [];
  for (const [index, a] of first.entries()) {
    const b = second[index] ?? null;
    if (index === skip || b === null) merged.push(a);
    else if (a === null || a === b) merged.push(b);
    else return { disagreeOn: index + 1 };
  }
  return merged;
}

/**
 * Broadcasts equal-rank shapes dimension by dimension, as Keras's elementwise merges do: equal sizes, or a 1 that
 * takes the other's size. An unknown size takes a known one other than 1 (it must be that size or 1); with a 1 it
 * stays unknown.
 * @example BroadcastShapes<[1, 8], [4, 8]> //=> [4, 8]
 * @example BroadcastShapes<[null, 8], [1, 8]> //=> [null, 8]
 * @example BroadcastShapes<[2, 8], [4, 8]> //=> Disagreement<1>
 */
export type BroadcastShapes<
  First extends Shape,
  Second extends Shape,
  Done extends Dim[] = [],
> = First extends readonly [infer A extends Dim, ...infer RestA extends Shape]
  ? Second extends readonly [infer B extends Dim, ...infer RestB extends Shape]
    ? BroadcastDim<A, B> extends infer Merged extends Dim
      ? BroadcastShapes<RestA, RestB, [...Done, Merged]>
      : Disagreement<[...Done, unknown]['length']>
    : Done
  : Done;

/** One axis of BroadcastShapes: the size, or `false` where the two cannot broadcast. */
type BroadcastDim<A extends Dim, B extends Dim> = A extends 1
  ? B
  : B extends 1
    ? A
    : A extends null
      ? B
      : B extends null
        ? A
        : [A, B] extends [B, A]
          ? A
          : number extends A | B
            ? number
            : false;

/** Value-level twin of BroadcastShapes: the broadcast shape, or the disagreeing axis (1-based). */
export function broadcastShapes(
  first: readonly Dim[],
  second: readonly Dim[],
): Dim[] | { readonly disagreeOn: number } {
  const merged: Dim[] = [];
  for (const [index, a] of first.entries()) {
    const b = second[index] ?? null;
    if (a === 1 || a === b) merged.push(b);
    else if (b === 1) merged.push(a);
    else if (a === null) merged.push(b);
    else if (b === null) merged.push(a);
    else return { disagreeOn: index + 1 };
  }
  return merged;
}
