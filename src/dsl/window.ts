// The shape rule shared by convolutions and pools over 1 or 2 spatial axes: each spatial axis shrinks
// by the window (ConvLength), the channel axis becomes `Channels` (or stays, for pools).
import { fail, type RankMessage, type UnknownDimMessage, type WindowTooLargeMessage } from '../errors.ts';
import type { Overflow } from '../shapes/arithmetic.ts';
import { type ConvLength, convLength, type Padding, type WindowTooLarge } from '../shapes/conv.ts';
import type { Dim, Shape } from '../shapes/dim.ts';
import type { Ok } from './layer.ts';

/** What sets the output channels: a filter count, or `'same'` (pools keep their channels). */
export type OutChannels = number | 'same';

/** The spatial part of a window layer's geometry, one entry per spatial axis. */
export interface WindowGeometry {
  readonly sizes: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
}

type _RankForm<Spatial extends number> = Spatial extends 1
  ? '[steps, channels]'
  : Spatial extends 2
    ? '[height, width, channels]'
    : '[depth, height, width, channels]';

/**
 * [...spatial, channels] => [...spatial', channels'], or the message for the first axis the window does not fit.
 * @example WindowShape<'Conv2D', 'kernel', [64, 64, 3], [5, 5], [1, 1], [1, 1], 'valid', 16> //=> Ok<[60, 60, 16], 'float32'>
 */
export type WindowShape<
  Layer extends string,
  Kind extends 'kernel' | 'pool',
  S extends Shape,
  Sizes extends readonly number[],
  Strides extends readonly number[],
  Dilations extends readonly number[],
  Pad extends Padding,
  Channels extends OutChannels,
> = S extends readonly [...infer Spatial extends Dim[], infer InChannels extends Dim]
  ? Spatial['length'] extends Sizes['length']
    ? Channels extends number
      ? InChannels extends null
        ? UnknownDimMessage<Layer, -1, S, 'it sizes the kernel'>
        : _Spatial<Layer, Kind, S, Spatial, Sizes, Strides, Dilations, Pad, [], Channels>
      : _Spatial<Layer, Kind, S, Spatial, Sizes, Strides, Dilations, Pad, [], InChannels>
    : _RankError<Layer, S, Sizes['length']>
  : _RankError<Layer, S, Sizes['length']>;

type _RankError<Layer extends string, S extends Shape, Spatial extends number> = RankMessage<
  Layer,
  Spatial extends 1 ? '2' : Spatial extends 2 ? '3' : '4',
  _RankForm<Spatial>,
  S,
  `Reshape to ${_RankForm<Spatial>} first?`
>;

type _Spatial<
  Layer extends string,
  Kind extends 'kernel' | 'pool',
  S extends Shape,
  Spatial extends readonly Dim[],
  Sizes extends readonly number[],
  Strides extends readonly number[],
  Dilations extends readonly number[],
  Pad extends Padding,
  Done extends Dim[],
  Channels extends Dim,
> = Spatial extends readonly [infer Length extends Dim, ...infer Rest extends Dim[]]
  ? ConvLength<Length, Sizes[Done['length']], Strides[Done['length']], Dilations[Done['length']], Pad> extends infer Out
    ? Out extends WindowTooLarge<infer Needed>
      ? WindowTooLargeMessage<
          Layer,
          Kind,
          Sizes[Done['length']],
          Needed extends Overflow ? number : Needed,
          [...Done, unknown]['length'],
          S,
          Length
        >
      : Out extends Dim
        ? _Spatial<Layer, Kind, S, Rest, Sizes, Strides, Dilations, Pad, [...Done, Out], Channels>
        : never
    : never
  : Ok<[...Done, Channels], 'float32'>;

const forms: { readonly [spatial: number]: string } = {
  1: '[steps, channels]',
  2: '[height, width, channels]',
  3: '[depth, height, width, channels]',
};

/** Value-level twin of WindowShape. */
export function windowShape(
  layer: string,
  kind: 'kernel' | 'pool',
  shape: readonly Dim[],
  geometry: WindowGeometry,
  padding: Padding,
  channels: OutChannels,
): Dim[] {
  const spatial = geometry.sizes.length;
  const form = forms[spatial] ?? '';
  if (shape.length !== spatial + 1)
    fail({ code: 'rank', layer, expected: `${spatial + 1}`, form, received: shape, hint: `Reshape to ${form} first?` });
  const inChannels = shape[spatial] ?? null;
  if (channels !== 'same' && inChannels === null)
    fail({ code: 'unknown-dim', layer, axis: -1, received: shape, why: 'it sizes the kernel' });
  const out = shape.slice(0, spatial).map((length, axis) => {
    const size = geometry.sizes[axis] ?? 1;
    const result = convLength(length, size, geometry.strides[axis] ?? 1, geometry.dilations[axis] ?? 1, padding);
    if (result !== null && typeof result === 'object')
      fail({
        code: 'window-too-large',
        layer,
        window: kind,
        size,
        needed: result.tooLarge,
        axis: axis + 1,
        received: shape,
      });
    return result;
  });
  return [...out, channels === 'same' ? inChannels : channels];
}
