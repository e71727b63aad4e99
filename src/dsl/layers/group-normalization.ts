// GroupNormalization: the channels on `axis` split into `groups` groups; each sample normalized per group over the
// group's channels and every other axis, then scaled by gamma and shifted by beta (one of each per channel). Keras 3:
// keras/src/layers/normalization/group_normalization.py (build: gamma and beta of shape (dim,), when scale and
// center; dim must be known and a multiple of groups; groups=-1 is one group per channel). tfjs-layers has no such
// layer; this one is written with the public layer API.
import * as tf from '@tensorflow/tfjs';
import { type BadAxisMessage, fail, type OptionMessage, type UnknownDimMessage } from '../../errors.ts';
import type { Mod } from '../../shapes/arithmetic.ts';
import { type AxisIndex, axisIndex } from '../../shapes/axis.ts';
import { type Shape, type ShowShape, showShape } from '../../shapes/dim.ts';
import { defineLayer } from '../define.ts';
import type { InputOf, Layer, Ok, Rule, TensorInfo } from '../layer.ts';
import { type BaseOptions, boolean, nonNegative, type Opt } from '../options.ts';
import { registerLayer } from '../registry.ts';
import { type Regularizer, type RegularizerOptionsCheck, resolvedRegularizers } from '../regularizers.ts';

export interface GroupNormalizationOptions extends BaseOptions {
  /** How many groups the channels form; -1 is one per channel (instance normalization). Default 32. */
  readonly groups?: number;
  /** The channels' axis (Keras numbering: 1 is the first after the batch). Default -1. */
  readonly axis?: number;
  /** Default 1e-3. */
  readonly epsilon?: number;
  /** Add beta. Default `true`. */
  readonly center?: boolean;
  /** Multiply by gamma. Default `true`. */
  readonly scale?: boolean;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly betaRegularizer?: Regularizer;
  readonly gammaRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

const why = 'it is split into groups';

type _Divisor<
  Size extends number,
  Axis extends number,
  S extends Shape,
> = `a divisor of ${Size} (the size of axis ${Axis} of ${ShowShape<S>})`;

/**
 * The input's shape, where the axis exists, is known, and is a multiple of groups.
 * @example GroupNormalizationShape<[8, 8, 64], 32, -1> //=> Ok<[8, 8, 64], 'float32'>
 */
export type GroupNormalizationShape<S extends Shape, Groups extends number, Axis extends number> = number extends Axis
  ? Ok<[...S], 'float32'>
  : [AxisIndex<Axis, S['length']>] extends [never]
    ? BadAxisMessage<'GroupNormalization', Axis, S>
    : S[AxisIndex<Axis, S['length']>] extends infer Size
      ? Size extends null
        ? UnknownDimMessage<'GroupNormalization', Axis, S, typeof why>
        : Size extends number
          ? number extends Size | Groups
            ? Ok<[...S], 'float32'>
            : Groups extends -1
              ? Ok<[...S], 'float32'>
              : Mod<Size, Groups> extends 0
                ? Ok<[...S], 'float32'>
                : OptionMessage<'GroupNormalization', 'groups', _Divisor<Size, Axis, S>, Groups>
          : never
      : never;

export interface GroupNormalizationRule<in out Groups extends number, in out Axis extends number> extends Rule {
  readonly output: GroupNormalizationShape<InputOf<this>, Groups, Axis>;
}

/** The channel count and the resolved group count, after the checks the type states. */
function grouping({ shape }: TensorInfo, { groups, axis }: { groups: number; axis: number }): [number, number] {
  const index = axisIndex(axis, shape.length);
  if (index === undefined) return fail({ code: 'bad-axis', layer: 'GroupNormalization', axis, received: shape });
  const size = shape[index] ?? null;
  if (size === null) return fail({ code: 'unknown-dim', layer: 'GroupNormalization', axis, received: shape, why });
  const count = groups === -1 ? size : groups;
  if (size % count !== 0)
    fail({
      code: 'option',
      layer: 'GroupNormalization',
      option: 'groups',
      expected: `a divisor of ${size} (the size of axis ${axis} of ${showShape(shape)})`,
      received: String(groups),
    });
  return [size, count];
}

const GroupNormalizationClass = defineLayer({
  className: 'GroupNormalization',
  config: ({ groups = 32, axis = -1, epsilon = 1e-3, center = true, scale = true, ...rest }) => {
    if (typeof groups !== 'number' || !(Number.isInteger(groups) && (groups > 0 || groups === -1)))
      fail({
        code: 'option',
        layer: 'GroupNormalization',
        option: 'groups',
        expected: 'a positive integer, or -1 (one group per channel)',
        received: String(groups),
      });
    if (typeof axis !== 'number' || !Number.isInteger(axis))
      fail({
        code: 'option',
        layer: 'GroupNormalization',
        option: 'axis',
        expected: 'an integer',
        received: String(axis),
      });
    const eps = nonNegative('GroupNormalization', 'epsilon', epsilon);
    return {
      groups,
      axis,
      epsilon: eps,
      center: boolean('GroupNormalization', 'center', center),
      scale: boolean('GroupNormalization', 'scale', scale),
      ...resolvedRegularizers('GroupNormalization', rest, ['betaRegularizer', 'gammaRegularizer']),
    };
  },
  outputShape(input, config) {
    grouping(input, config);
    return { shape: input.shape, dtype: 'float32' };
  },
  weights(input, config) {
    const [size] = grouping(input, config);
    return [
      ...(config.scale
        ? [{ name: 'gamma', shape: [size], initializer: 'ones' as const, regularizer: config.gammaRegularizer }]
        : []),
      ...(config.center
        ? [{ name: 'beta', shape: [size], initializer: 'zeros' as const, regularizer: config.betaRegularizer }]
        : []),
    ];
  },
  // Keras's call: the channel axis split into [groups, size / groups], moments over every axis but the batch and
  // the groups, then (x - mean) * rsqrt(variance + epsilon) * gamma + beta.
  call(input, { gamma, beta }, { config: { groups, axis, epsilon } }) {
    const x = tf.cast(input, 'float32');
    const channel = (axisIndex(axis, x.rank - 1) ?? 0) + 1;
    const size = x.shape[channel] ?? 1;
    const count = groups === -1 ? size : groups;
    const split = [...x.shape.slice(0, channel), count, size / count, ...x.shape.slice(channel + 1)];
    const grouped = tf.reshape(
      x,
      split.map((dim, index) => (index === 0 ? -1 : dim)),
    );
    const reduced = [...grouped.shape.keys()].filter((index) => index !== 0 && index !== channel);
    const { mean, variance } = tf.moments(grouped, reduced, true);
    const normalized = tf.reshape(
      tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, epsilon))),
      x.shape.map((dim, index) => (index === 0 ? -1 : dim)),
    );
    const broadcast = x.shape.map((dim, index) => (index === channel ? dim : 1));
    // Each weight is there when its option made it (scale: gamma, center: beta).
    const scaled = gamma === undefined ? normalized : tf.mul(normalized, tf.reshape(gamma, broadcast));
    return beta === undefined ? scaled : tf.add(scaled, tf.reshape(beta, broadcast));
  },
});

/**
 * `GroupNormalization({ groups = 32, axis = -1, epsilon = 1e-3, center = true, scale = true, name })`.
 * @example GroupNormalization({ groups: 4 })(Input([8, 8, 16])) //=> SymbolicTensor<[8, 8, 16], 'float32', never>
 */
export function GroupNormalization<const Options extends GroupNormalizationOptions = Record<never, never>>(
  options?: Options & NoInfer<RegularizerOptionsCheck<'GroupNormalization', Options>>,
): Layer<GroupNormalizationRule<Opt<Options, 'groups', 32>, Opt<Options, 'axis', -1>>> {
  return GroupNormalizationClass.create(options);
}

registerLayer('GroupNormalization', (config, name) => GroupNormalizationClass.fromConfig(config, name));
