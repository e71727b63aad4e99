// What ZeroPadding and Cropping share: the amounts at the two ends of each spatial axis (one number, a pair, or a
// pair per axis, as Keras writes them), and the shape rule that adds them to (or takes them off) each spatial
// axis of [...spatial, channels]. Keras 3: keras/src/layers/reshaping/zero_padding{1,2,3}d.py and cropping{1,2,3}d.py
// (compute_output_shape; no weights).
import {
  type CropTooLargeMessage,
  describe,
  fail,
  type OptionMessage,
  type OverflowMessage,
  type RankMessage,
} from '../errors.ts';
import type { Add, Compare, Overflow, Sub } from '../shapes/arithmetic.ts';
import type { Dim, IsPositiveInteger, Shape } from '../shapes/dim.ts';
import type { JsonValue, Ok } from './layer.ts';
import type { DType } from './tensor.ts';

/** One amount for both ends, or `[start, end]`. */
export type Edges1D = number | readonly [number, number];

/** One amount everywhere, `[height, width]` (each at both ends), or `[[top, bottom], [left, right]]`. */
export type Edges2D =
  | number
  | readonly [number, number]
  | readonly [readonly [number, number], readonly [number, number]];

/** One amount everywhere, `[depth, height, width]` (each at both ends), or a `[start, end]` pair per axis. */
export type Edges3D =
  | number
  | readonly [number, number, number]
  | readonly [readonly [number, number], readonly [number, number], readonly [number, number]];

/** The amounts as `[[start, end], ...]`, one pair per spatial axis. */
export type EdgePairs<Edges, Spatial extends 1 | 2 | 3> = Spatial extends 3
  ? _Pairs3D<Edges>
  : Spatial extends 1
    ? Edges extends number
      ? [[Edges, Edges]]
      : Edges extends readonly [infer Start extends number, infer End extends number]
        ? [[Start, End]]
        : [[number, number]]
    : Edges extends number
      ? [[Edges, Edges], [Edges, Edges]]
      : Edges extends readonly [
            readonly [infer Top extends number, infer Bottom extends number],
            readonly [infer Left extends number, infer Right extends number],
          ]
        ? [[Top, Bottom], [Left, Right]]
        : Edges extends readonly [infer Height extends number, infer Width extends number]
          ? [[Height, Height], [Width, Width]]
          : [[number, number], [number, number]];

type _Pairs3D<Edges> = Edges extends number
  ? [[Edges, Edges], [Edges, Edges], [Edges, Edges]]
  : Edges extends readonly [
        readonly [infer Front extends number, infer Back extends number],
        readonly [infer Top extends number, infer Bottom extends number],
        readonly [infer Left extends number, infer Right extends number],
      ]
    ? [[Front, Back], [Top, Bottom], [Left, Right]]
    : Edges extends readonly [infer Depth extends number, infer Height extends number, infer Width extends number]
      ? [[Depth, Depth], [Height, Height], [Width, Width]]
      : [[number, number], [number, number], [number, number]];

type _Bad<N> = N extends number ? (N extends 0 ? false : IsPositiveInteger<N> extends false ? true : false) : false;

type _Written<Edges> = Edges extends number
  ? `${Edges}`
  : Edges extends readonly [infer First, infer Second, infer Third]
    ? `[${_Written<First>}, ${_Written<Second>}, ${_Written<Third>}]`
    : Edges extends readonly [infer First, infer Second]
      ? `[${_Written<First>}, ${_Written<Second>}]`
      : never;

type _AnyBad<Edges> = Edges extends readonly [infer First, infer Second, infer Third]
  ? true extends _AnyBad<First> | _AnyBad<Second> | _AnyBad<Third>
    ? true
    : false
  : Edges extends readonly [infer First, infer Second]
    ? true extends _AnyBad<First> | _AnyBad<Second>
      ? true
      : false
    : _Bad<Edges>;

/** Intersected with the amounts: `unknown` when good, the message where one can be seen not to be a count. */
export type EdgesCheck<Layer extends string, Option extends string, Edges> =
  _AnyBad<Edges> extends true
    ? { readonly error: OptionMessage<Layer, Option, 'non-negative integers', _Written<Edges>> }
    : unknown;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isPair = (value: unknown): value is [number, number] =>
  Array.isArray(value) && value.length === 2 && value.every(isCount);

/** Value-level twin of EdgePairs, checking the amounts. */
export function edgePairs(layer: string, option: string, value: unknown, spatial: 1 | 2 | 3): [number, number][] {
  if (isCount(value)) return Array.from({ length: spatial }, () => [value, value]);
  if (spatial === 3 && Array.isArray(value) && value.length === 3) {
    if (value.every(isCount)) return value.map((amount): [number, number] => [amount, amount]);
    if (value.every(isPair)) return value.map(([start, end]): [number, number] => [start, end]);
  }
  if (spatial !== 3 && isPair(value)) {
    const [first, second] = value;
    return spatial === 1
      ? [[first, second]]
      : [
          [first, first],
          [second, second],
        ];
  }
  if (spatial === 2 && Array.isArray(value) && value.length === 2 && value.every(isPair))
    return value.map(([start, end]): [number, number] => [start, end]);
  return fail({ code: 'option', layer, option, expected: 'non-negative integers', received: describe(value) });
}

type _Form<Spatial extends number> = Spatial extends 1
  ? '[steps, channels]'
  : Spatial extends 2
    ? '[height, width, channels]'
    : '[depth, height, width, channels]';

/**
 * [...spatial, channels] with each spatial axis grown by its pair (`'pad'`) or shrunk by it (`'crop'`).
 * @example EdgesShape<'ZeroPadding2D', 'pad', [28, 28, 1], [[2, 2], [1, 0]], 'float32'> //=> Ok<[32, 29, 1], 'float32'>
 */
export type EdgesShape<
  Layer extends string,
  Mode extends 'pad' | 'crop',
  S extends Shape,
  Pairs extends readonly (readonly [number, number])[],
  D extends DType,
> = S extends readonly [...infer Spatial extends Dim[], infer Channels extends Dim]
  ? Spatial['length'] extends Pairs['length']
    ? _Axes<Layer, Mode, S, Spatial, Pairs, [], Channels, D>
    : _RankError<Layer, S, Pairs['length']>
  : _RankError<Layer, S, Pairs['length']>;

type _RankError<Layer extends string, S extends Shape, Spatial extends number> = RankMessage<
  Layer,
  Spatial extends 1 ? '2' : Spatial extends 2 ? '3' : '4',
  _Form<Spatial>,
  S,
  `Reshape to ${_Form<Spatial>} first?`
>;

type _Axes<
  Layer extends string,
  Mode extends 'pad' | 'crop',
  S extends Shape,
  Spatial extends readonly Dim[],
  Pairs extends readonly (readonly [number, number])[],
  Done extends Dim[],
  Channels extends Dim,
  D extends DType,
> = Spatial extends readonly [infer Length extends Dim, ...infer Rest extends Dim[]]
  ? Pairs[Done['length']] extends readonly [infer Start extends number, infer End extends number]
    ? _Axis<Layer, Mode, S, Length, Add<Start, End>, [...Done, unknown]['length']> extends infer Out
      ? Out extends Dim
        ? _Axes<Layer, Mode, S, Rest, Pairs, [...Done, Out], Channels, D>
        : Out
      : never
    : never
  : Ok<[...Done, Channels], D>;

type _Axis<
  Layer extends string,
  Mode extends 'pad' | 'crop',
  S extends Shape,
  Length extends Dim,
  Total extends number | Overflow,
  Axis extends number,
> = Length extends null
  ? null
  : Length extends number
    ? Total extends number
      ? Mode extends 'pad'
        ? Add<Length, Total> extends infer Out extends number
          ? Out
          : OverflowMessage<Layer, S>
        : number extends Length | Total
          ? number
          : Compare<Length, Total> extends 'gt'
            ? Sub<Length, Total>
            : CropTooLargeMessage<Layer, Total, Axis, S, Length>
      : OverflowMessage<Layer, S>
    : never;

const forms: { readonly [spatial: number]: string } = {
  1: '[steps, channels]',
  2: '[height, width, channels]',
  3: '[depth, height, width, channels]',
};

/** Value-level twin of EdgesShape. */
export function edgesShape(
  layer: string,
  mode: 'pad' | 'crop',
  shape: readonly Dim[],
  pairs: readonly (readonly [number, number])[],
): Dim[] {
  const spatial = pairs.length;
  const form = forms[spatial] ?? '';
  if (shape.length !== spatial + 1)
    fail({ code: 'rank', layer, expected: `${spatial + 1}`, form, received: shape, hint: `Reshape to ${form} first?` });
  return shape.map((length, axis) => {
    const [start, end] = pairs[axis] ?? [0, 0];
    if (length === null || axis === spatial) return length;
    if (mode === 'pad') {
      if (!Number.isSafeInteger(length + start + end)) fail({ code: 'overflow', layer, received: shape });
      return length + start + end;
    }
    if (length <= start + end)
      fail({ code: 'crop-too-large', layer, crop: start + end, axis: axis + 1, received: shape });
    return length - start - end;
  });
}

/** Two axes' pairs as tfjs types them. */
export function pairs2D(pairs: readonly [number, number][]): [[number, number], [number, number]] {
  const [[top, bottom] = [0, 0], [left, right] = [0, 0]] = pairs;
  return [
    [top, bottom],
    [left, right],
  ];
}

/** The `[start, end]` pairs a twin's options hold (ZeroPadding3D, Cropping3D), read back. */
export function twinPairs(value: JsonValue | undefined): [number, number][] {
  if (!Array.isArray(value)) return [];
  return value.map((pair): [number, number] =>
    Array.isArray(pair) ? [Number(pair[0] ?? 0), Number(pair[1] ?? 0)] : [0, 0],
  );
}
