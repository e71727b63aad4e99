// Conv2D: a 2-D convolution over [height, width, channels] (channels last, as Keras's default).
import * as tf from '@tensorflow/tfjs';
import type { Padding } from '../../shapes/conv.ts';
import { tfjsActivation } from '../activation-functions.ts';
import type { Constraint } from '../constraints.ts';
import { floatInputs } from '../float-inputs.ts';
import { type GroupedShape, type GroupsCheck, groupedChannels, groupedConv, groupsOption } from '../grouped-conv.ts';
import type { Initializer } from '../initializers.ts';
import { type InputOf, type Layer, type Rule, unaryLayer } from '../layer.ts';
import {
  type Activation,
  activations,
  type BaseOptions,
  boolean,
  type Opt,
  oneOf,
  optionsObject,
  type Pair,
  type PositiveArg,
  positiveInteger,
  type StridesOrDilationCheck,
  stridesOrDilation,
  type Window2D,
  type WindowCheck,
  type WindowOptionsCheck,
  window2D,
} from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';
import { type WindowShape, windowShape } from '../window.ts';

export interface Conv2DOptions extends BaseOptions {
  /** Default 1. */
  readonly strides?: Window2D;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Default 1. */
  readonly dilationRate?: Window2D;
  /**
   * How many groups the input's channels split into, each convolved with filters / groups filters of its own
   * (Keras's `groups`); it must divide both. Default 1.
   */
  readonly groups?: number;
  /** Default `'linear'`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Default `'glorotUniform'`. */
  readonly kernelInitializer?: Initializer;
  /** Default `'zeros'`. */
  readonly biasInitializer?: Initializer;
  /** Applied after each optimizer update, as in Keras. Default none. */
  readonly kernelConstraint?: Constraint;
  readonly biasConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

export interface Conv2DRule<
  in out Filters extends number,
  in out Kernel extends [number, number],
  in out Strides extends [number, number],
  in out Dilation extends [number, number],
  in out Pad extends Padding,
  in out Groups extends number = 1,
> extends Rule {
  readonly output: GroupedShape<
    'Conv2D',
    WindowShape<'Conv2D', 'kernel', InputOf<this>, Kernel, Strides, Dilation, Pad, Filters>,
    InputOf<this>,
    Filters,
    Groups
  >;
}

/**
 * `Conv2D(filters, kernelSize, { strides, padding, dilationRate, groups, activation, useBias, name })`.
 * `valid`: each spatial axis n becomes floor((n - dilation * (k - 1) - 1) / stride) + 1; `same`: ceil(n / stride).
 * @example Conv2D(16, [5, 5])(Input([64, 64, 3])) //=> SymbolicTensor<[60, 60, 16], 'float32', never>
 * @example Conv2D(64, 3, { groups: 4 })(Input([32, 32, 16])) //=> SymbolicTensor<[30, 30, 64], 'float32', never>
 */
export function Conv2D<
  const Filters extends number,
  const Kernel extends Window2D,
  const Options extends Conv2DOptions = Record<never, never>,
>(
  filters: PositiveArg<'Conv2D', 'filters', Filters>,
  kernelSize: Kernel & WindowCheck<'Conv2D', 'kernelSize', Kernel>,
  options?: Options &
    NoInfer<WeightOptionsCheck<'Conv2D', Options> & GroupsCheck<'Conv2D', Filters, Options>> &
    WindowOptionsCheck<'Conv2D', Options, 'strides' | 'dilationRate'> &
    StridesOrDilationCheck<'Conv2D', Options>,
): Layer<
  Conv2DRule<
    Filters,
    Pair<Kernel>,
    Pair<Opt<Options, 'strides', 1>>,
    Pair<Opt<Options, 'dilationRate', 1>>,
    Opt<Options, 'padding', 'valid'>,
    Opt<Options, 'groups', 1>
  >
>;
export function Conv2D(filters: unknown, kernelSize: unknown, options?: unknown): Layer<Rule> {
  return conv2DLayer(filters, kernelSize, options);
}

/** Conv2D from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function conv2DLayer(filters: unknown, kernelSize: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Conv2D', options);
  const count = positiveInteger('Conv2D', 'filters', filters);
  const kernel = window2D('Conv2D', 'kernelSize', kernelSize);
  const strides = window2D('Conv2D', 'strides', opts.strides ?? 1);
  const dilationRate = window2D('Conv2D', 'dilationRate', opts.dilationRate ?? 1);
  stridesOrDilation('Conv2D', strides, dilationRate, {
    strides: opts.strides ?? 1,
    dilationRate: opts.dilationRate ?? 1,
  });
  const padding = oneOf('Conv2D', 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const activation = oneOf('Conv2D', 'activation', opts.activation ?? 'linear', activations);
  const useBias = boolean('Conv2D', 'useBias', opts.useBias ?? true);
  const groups = groupsOption('Conv2D', opts.groups, count);
  const weighted = weightOptions(
    'Conv2D',
    opts,
    ['kernelInitializer', 'biasInitializer'],
    ['kernelConstraint', 'biasConstraint'],
    ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  const geometry = { sizes: kernel, strides, dilations: dilationRate };
  return unaryLayer(
    {
      className: 'Conv2D',
      ...weighted.spec,
      config: {
        filters: count,
        kernelSize: kernel,
        strides,
        padding,
        dilationRate,
        groups,
        activation,
        useBias,
        ...weighted.config,
      },
      outputShape: ({ shape }) => {
        const out = windowShape('Conv2D', 'kernel', shape, geometry, padding, count);
        groupedChannels('Conv2D', shape, groups);
        return { shape: out, dtype: 'float32' };
      },
      weights: ({ shape }) => [
        { name: 'kernel', shape: [...kernel, (shape[2] ?? 0) / groups, count], trainable: true },
        ...(useBias ? [{ name: 'bias', shape: [count], trainable: true }] : []),
      ],
      flops: ({ shape }) => {
        const [height = null, width = null] = windowShape('Conv2D', 'kernel', shape, geometry, padding, count);
        return (2 * kernel[0] * kernel[1] * (shape[2] ?? 0) * count * (height ?? 1) * (width ?? 1)) / groups;
      },
      lower: (name) => {
        if (groups > 1)
          return groupedConv(name, {
            layer: 'Conv2D',
            filters: count,
            kernelSize: kernel,
            strides,
            dilationRate,
            padding,
            groups,
            activation: tfjsActivation(activation),
            useBias,
            ...weighted.tfjs,
          });
        const layer = tf.layers.conv2d({
          filters: count,
          kernelSize: kernel,
          strides,
          padding,
          dilationRate,
          activation: tfjsActivation(activation),
          useBias,
          ...weighted.tfjs,
          name,
        });
        return floatInputs(
          dilationRate.some((rate) => rate > 1) ? plainConv(layer, geometry, padding, activation) : layer,
        );
      },
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * tfjs's Conv2D computes with the fused conv2d op, whose gradient refuses dilations (on every backend); a dilated
 * one computes with the plain op instead, whose gradient kerats supplies (src/runtime/kernels.ts).
 */
function plainConv(
  layer: tf.layers.Layer,
  { strides, dilations }: { readonly strides: [number, number]; readonly dilations: [number, number] },
  padding: Padding,
  activation: Activation,
): tf.layers.Layer {
  const activate = tf.layers.activation({ activation: tfjsActivation(activation) });
  layer.call = (inputs) =>
    tf.tidy(() => {
      const [x] = Array.isArray(inputs) ? inputs : [inputs];
      const [kernel, bias] = layer.weights.map((weight) => weight.read());
      if (x === undefined || kernel === undefined) throw new Error(`kerats: ${layer.name} has no input or kernel`);
      const [batch = 0, height = 0, width = 0, channels = 0] = x.shape;
      const [kh = 0, kw = 0, inChannels = 0, filters = 0] = kernel.shape;
      const y = tf.conv2d(
        x.as4D(batch, height, width, channels),
        kernel.as4D(kh, kw, inChannels, filters),
        strides,
        padding,
        'NHWC',
        dilations,
      );
      const out = activate.apply(bias === undefined ? y : tf.add(y, bias));
      if (!(out instanceof tf.Tensor)) throw new Error(`kerats: ${layer.name} did not compute one tensor`);
      return out;
    });
  return layer;
}

registerLayer('Conv2D', (config, name) =>
  conv2DLayer(config.filters, config.kernelSize, { ...config, ...named(name) }),
);
