// Axis numbers follow Keras: axis 0 is the (implicit) batch, axis 1 the first dimension of `.shape`,
// and -1 the last. These map such an axis to an index into `.shape`.
import type { Compare, Sub } from './arithmetic.ts';

/**
 * The index into `.shape` that a Keras axis names, or `never` when the axis is the batch or out of range.
 * @example AxisIndex<-1, 3> //=> 2
 * @example AxisIndex<1, 3> //=> 0
 */
export type AxisIndex<Axis extends number, Rank extends number> =
  _AxisIndex<Axis, Rank> extends infer Index extends number ? Index : never;

type _AxisIndex<Axis extends number, Rank extends number> = `${Axis}` extends `-${infer Magnitude extends number}`
  ? Compare<Magnitude, Rank> extends 'gt'
    ? never
    : Sub<Rank, Magnitude>
  : Axis extends 0
    ? never
    : Compare<Axis, Rank> extends 'gt'
      ? never
      : Sub<Axis, 1>;

/** Value-level twin of AxisIndex: `undefined` where the type is `never`. */
export function axisIndex(axis: number, rank: number): number | undefined {
  if (!Number.isInteger(axis)) return undefined;
  if (axis < 0) return -axis > rank ? undefined : rank + axis;
  return axis === 0 || axis > rank ? undefined : axis - 1;
}
