// Conv1D/2D/3D's `groups` (Keras 3: keras/src/layers/convolutional/base_conv.py): the input's channels split into
// `groups` parts, each convolved with its own filters // groups filters, the results concatenated; the kernel is
// kernel_size + (channels // groups, filters), so the parameters are prod(kernel) * (channels // groups) * filters
// (+ filters for the bias). Both filters and the channels must be multiples of groups. tfjs-layers has no groups,
// so a grouped convolution lowers to the tfjs layer class below, which owns its kernel and bias and computes each
// group's convolution with tf ops (Keras's backends pass the groups to one grouped op; the sums are the same).
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage } from '../errors.ts';
import type { Mod } from '../shapes/arithmetic.ts';
import { convLength, type Padding } from '../shapes/conv.ts';
import type { Dim, IsPositiveInteger, Shape, ShowShape } from '../shapes/dim.ts';
import { showShape } from '../shapes/dim.ts';
import { isRegistered, type TfjsActivation } from './activation-functions.ts';
import type { Ok } from './layer.ts';
import { positiveInteger } from './options.ts';
import { deserialized, isConstraint, isInitializer, isRegularizer, serialized } from './tfjs-serialized.ts';

// Each member of a union of groups on its own (Mod of a union would multiply the work).
type _GroupsError<Layer extends string, Filters extends number, Groups extends number> = Groups extends number
  ? _GroupError<Layer, Filters, Groups>
  : never;

type _GroupError<Layer extends string, Filters extends number, Groups extends number> = number extends Groups
  ? never
  : IsPositiveInteger<Groups> extends false
    ? OptionMessage<Layer, 'groups', 'a positive integer', Groups>
    : number extends Filters
      ? never
      : Mod<Filters, Groups> extends 0
        ? never
        : OptionMessage<Layer, 'groups', `a divisor of ${Filters} (filters)`, Groups>;

/**
 * Intersected with a convolution's options: an error at `groups` where its literal is not a positive integer, or
 * does not divide the literal `filters`.
 * @example GroupsCheck<'Conv2D', 64, { groups: 3 }> //=> { readonly groups: { readonly error: 'Conv2D: groups must be a divisor of 64 (filters), got 3' } }
 */
export type GroupsCheck<Layer extends string, Filters extends number, Options> = 'groups' extends keyof Options
  ? Options['groups'] extends infer Groups extends number
    ? [_GroupsError<Layer, Filters, Groups>] extends [never]
      ? unknown
      : { readonly groups: { readonly error: _GroupsError<Layer, Filters, Groups> } }
    : unknown
  : unknown;

/**
 * A convolution's output `Out` once its groups are checked against the input `S`'s channels (a literal last axis):
 * the message where they do not divide them. Where GroupsCheck reports the option itself, the shape is of unknown
 * rank, so that the mistake is reported once.
 * @example GroupedShape<'Conv2D', Ok<[30, 30, 64], 'float32'>, [32, 32, 6], 64, 4> //=> 'Conv2D: groups must be a divisor of 6 (the channels of the input [32, 32, 6]), got 4'
 */
export type GroupedShape<
  Layer extends string,
  Out,
  S extends Shape,
  Filters extends number,
  Groups extends number,
> = Groups extends 1
  ? Out
  : number extends Groups
    ? Out
    : [_GroupsError<Layer, Filters, Groups>] extends [never]
      ? Out extends Ok<Shape, 'float32'>
        ? S extends readonly [...Dim[], infer Channels extends number]
          ? number extends Channels
            ? Out
            : Mod<Channels, Groups> extends 0
              ? Out
              : OptionMessage<
                  Layer,
                  'groups',
                  `a divisor of ${Channels} (the channels of the input ${ShowShape<S>})`,
                  Groups
                >
          : Out
        : Out
      : Ok<Dim[], 'float32'>;

/** Value-level twin of GroupsCheck: the groups option, checked (default 1). */
export function groupsOption(layer: string, value: unknown, filters: number): number {
  const groups = positiveInteger(layer, 'groups', value ?? 1);
  if (filters % groups !== 0)
    fail({
      code: 'option',
      layer,
      option: 'groups',
      expected: `a divisor of ${filters} (filters)`,
      received: describe(groups),
    });
  return groups;
}

/** Value-level twin of GroupedShape's check: the input's channels are a multiple of groups. */
export function groupedChannels(layer: string, shape: readonly Dim[], groups: number): void {
  const channels = shape.at(-1) ?? null;
  if (channels !== null && channels % groups !== 0)
    fail({
      code: 'option',
      layer,
      option: 'groups',
      expected: `a divisor of ${channels} (the channels of the input ${showShape(shape)})`,
      received: describe(groups),
    });
}

/** What a grouped convolution is made of: one entry per spatial axis in each list. */
interface GroupedConvOptions {
  /** The kerats layer, for messages: `Conv2D`. */
  readonly layer: string;
  readonly filters: number;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly dilationRate: readonly number[];
  readonly padding: Padding;
  readonly groups: number;
  /** A tfjs activation name. */
  readonly activation: TfjsActivation;
  readonly useBias: boolean;
  readonly kernelInitializer?: tf.serialization.Serializable;
  readonly biasInitializer?: tf.serialization.Serializable;
  readonly kernelConstraint?: tf.serialization.Serializable;
  readonly biasConstraint?: tf.serialization.Serializable;
  readonly kernelRegularizer?: tf.serialization.Serializable;
  readonly biasRegularizer?: tf.serialization.Serializable;
}

const weightKeys = [
  'kernelInitializer',
  'biasInitializer',
  'kernelConstraint',
  'biasConstraint',
  'kernelRegularizer',
  'biasRegularizer',
] as const;

/** The tfjs layer of a grouped convolution (unbuilt). */
export function groupedConv(name: string, options: GroupedConvOptions): tf.layers.Layer {
  const { layer, filters, kernelSize, strides, dilationRate, padding, groups, activation, useBias } = options;
  return new GroupedConv({
    name,
    layer,
    filters,
    kernelSize: [...kernelSize],
    strides: [...strides],
    dilationRate: [...dilationRate],
    padding,
    groups,
    activation,
    useBias,
    ...Object.fromEntries(
      weightKeys.flatMap((key) => {
        const value = options[key];
        return value === undefined ? [] : [[key, serialized(value)]];
      }),
    ),
  });
}

function integers(layer: string, config: tf.serialization.ConfigDict, key: string): number[] {
  const value = config[key];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => positiveInteger(layer, key, item));
}

/**
 * tfjs's layer for a grouped Conv1D/2D/3D (channels last): its rank is the length of kernelSize. Each group's
 * convolution is the plain op (not the fused one, whose gradient refuses dilations; kerats supplies the plain
 * dilated one's, src/runtime/kernels.ts), then the bias and the activation.
 */
class GroupedConv extends tf.layers.Layer {
  static readonly className = 'KeratsGroupedConv';
  private readonly settings: tf.serialization.ConfigDict;
  private readonly layer: string;
  private readonly filters: number;
  private readonly kernelSize: number[];
  private readonly stridesOf: number[];
  private readonly dilations: number[];
  private readonly padding: Padding;
  private readonly groups: number;
  private readonly useBias: boolean;
  private readonly activate: tf.layers.Layer;
  private readonly config: tf.serialization.ConfigDict;
  private kernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(config: tf.serialization.ConfigDict) {
    super({
      ...(typeof config.name === 'string' ? { name: config.name } : {}),
      ...(typeof config.trainable === 'boolean' ? { trainable: config.trainable } : {}),
    });
    const { layer, filters, kernelSize, padding, groups, activation, useBias } = config;
    this.layer = typeof layer === 'string' ? layer : 'Conv';
    this.config = config;
    this.filters = positiveInteger(this.layer, 'filters', filters);
    this.kernelSize = integers(this.layer, config, 'kernelSize');
    this.stridesOf = integers(this.layer, config, 'strides');
    this.dilations = integers(this.layer, config, 'dilationRate');
    if (![1, 2, 3].includes(this.kernelSize.length))
      fail({
        code: 'option',
        layer: this.layer,
        option: 'kernelSize',
        expected: '1, 2 or 3 sizes',
        received: describe(kernelSize),
      });
    if (padding !== 'valid' && padding !== 'same')
      fail({
        code: 'option',
        layer: this.layer,
        option: 'padding',
        expected: "one of 'valid', 'same'",
        received: describe(padding),
      });
    this.padding = padding;
    this.groups = groupsOption(this.layer, groups, this.filters);
    this.useBias = useBias !== false;
    const activationName = activationOf(this.layer, activation ?? 'linear');
    this.activate = tf.layers.activation({ activation: activationName });
    // What getConfig gives back: the checked options, and the weight options as given (tfjs's serialized form).
    this.settings = {
      layer: this.layer,
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.stridesOf,
      dilationRate: this.dilations,
      padding: this.padding,
      groups: this.groups,
      activation: activationName,
      useBias: this.useBias,
      ...Object.fromEntries(
        weightKeys.flatMap((key) => {
          const value = config[key];
          return value === undefined || value === null ? [] : [[key, value]];
        }),
      ),
    };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
    const channels = shape.at(-1);
    if (typeof channels !== 'number')
      throw new Error(`kerats: ${this.layer} needs a known channel count, got ${String(channels)}`);
    const dims = shape.map((dim) => (typeof dim === 'number' ? dim : null));
    groupedChannels(this.layer, dims.slice(1), this.groups);
    const { config, layer } = this;
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, channels / this.groups, this.filters],
      'float32',
      deserialized(layer, config, 'kernelInitializer', 'a tfjs initializer', isInitializer) ??
        tf.initializers.glorotUniform({}),
      deserialized(layer, config, 'kernelRegularizer', 'a tfjs regularizer', isRegularizer),
      true,
      deserialized(layer, config, 'kernelConstraint', 'a tfjs constraint', isConstraint),
    );
    this.bias = this.useBias
      ? this.addWeight(
          'bias',
          [this.filters],
          'float32',
          deserialized(layer, config, 'biasInitializer', 'a tfjs initializer', isInitializer) ??
            tf.initializers.zeros(),
          deserialized(layer, config, 'biasRegularizer', 'a tfjs regularizer', isRegularizer),
          true,
          deserialized(layer, config, 'biasConstraint', 'a tfjs constraint', isConstraint),
        )
      : undefined;
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
    const [batch = null, ...rest] = shape.map((dim) => (typeof dim === 'number' ? dim : null));
    const spatial = rest.slice(0, this.kernelSize.length).map((length, axis) => {
      const out = convLength(
        length,
        this.kernelSize[axis] ?? 1,
        this.stridesOf[axis] ?? 1,
        this.dilations[axis] ?? 1,
        this.padding,
      );
      if (out !== null && typeof out === 'object')
        throw new Error(`kerats: ${this.layer}'s kernel does not fit axis ${axis + 1} of ${showShape(rest)}`);
      return out;
    });
    return [batch, ...spatial, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [given] = Array.isArray(inputs) ? inputs : [inputs];
      const { kernel, bias, groups } = this;
      if (given === undefined || kernel === undefined) throw new Error(`kerats: ${this.name} has no input or kernel`);
      const x = given.dtype === 'float32' ? given : tf.cast(given, 'float32');
      const parts = groups === 1 ? [x] : tf.split(x, groups, -1);
      const filters = tf.split(kernel.read(), groups, -1);
      const outputs = parts.map((part, index) => {
        const filter = filters[index];
        if (filter === undefined) throw new Error(`kerats: ${this.name} has no filters for group ${index}`);
        return this.convolve(part, filter);
      });
      const y = outputs.length === 1 ? (outputs[0] ?? x) : tf.concat(outputs, -1);
      const out = this.activate.apply(bias === undefined ? y : tf.add(y, bias.read()));
      if (!(out instanceof tf.Tensor)) throw new Error(`kerats: ${this.name} did not compute one tensor`);
      return out;
    });
  }

  /** One group's convolution: the plain op of the layer's rank. */
  private convolve(x: tf.Tensor, filter: tf.Tensor): tf.Tensor {
    const { stridesOf: strides, dilations, padding } = this;
    const [s0 = 1, s1 = 1, s2 = 1] = strides;
    const [d0 = 1, d1 = 1, d2 = 1] = dilations;
    switch (this.kernelSize.length) {
      case 1:
        return tf.conv1d(x.as3D(...sizes(x, 3)), filter.as3D(...sizes(filter, 3)), s0, padding, 'NWC', d0);
      case 2:
        return tf.conv2d(x.as4D(...sizes(x, 4)), filter.as4D(...sizes(filter, 4)), [s0, s1], padding, 'NHWC', [d0, d1]);
      default:
        return tf.conv3d(x.as5D(...sizes(x, 5)), filter.as5D(...sizes(filter, 5)), [s0, s1, s2], padding, 'NDHWC', [
          d0,
          d1,
          d2,
        ]);
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.settings };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
tf.serialization.registerClass(GroupedConv);

/** A tensor's sizes as the tuple of its rank that tfjs's asND takes. */
function sizes<const Rank extends 3 | 4 | 5>(t: tf.Tensor, rank: Rank): _Tuple<Rank> {
  const found = Array.from({ length: rank }, (_, axis) => t.shape[axis] ?? 0);
  if (!isTuple(found, rank)) throw new Error(`kerats: expected a tensor of rank ${rank}, got ${t.rank}`);
  return found;
}

type _Tuple<Rank extends number, Done extends number[] = []> = Done['length'] extends Rank
  ? Done
  : _Tuple<Rank, [...Done, number]>;

function isTuple<const Rank extends number>(list: number[], rank: Rank): list is _Tuple<Rank> {
  return list.length === rank;
}

/** The tfjs activation a config names (kerats writes the tfjs name: Keras's snake_case ones would not survive). */
function activationOf(layer: string, name: unknown): TfjsActivation {
  if (typeof name === 'string' && isRegistered(name)) return name;
  return fail({
    code: 'option',
    layer,
    option: 'activation',
    expected: 'the name of a tfjs activation',
    received: describe(name),
  });
}
