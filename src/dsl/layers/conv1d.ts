// Conv1D: a 1-D convolution over [steps, channels].
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
  type PositiveArg,
  positiveInteger,
  type StridesOrDilationCheck,
  stridesOrDilation,
  type WindowOptionsCheck,
} from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';
import { type WindowShape, windowShape } from '../window.ts';

export interface Conv1DOptions extends BaseOptions {
  /** Default 1. */
  readonly strides?: number;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Default 1. */
  readonly dilationRate?: number;
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

export interface Conv1DRule<
  in out Filters extends number,
  in out Kernel extends number,
  in out Stride extends number,
  in out Dilation extends number,
  in out Pad extends Padding,
  in out Groups extends number = 1,
> extends Rule {
  readonly output: GroupedShape<
    'Conv1D',
    WindowShape<'Conv1D', 'kernel', InputOf<this>, [Kernel], [Stride], [Dilation], Pad, Filters>,
    InputOf<this>,
    Filters,
    Groups
  >;
}

/**
 * `Conv1D(filters, kernelSize, { strides, padding, dilationRate, groups, activation, useBias, name })`.
 * @example Conv1D(8, 3)(Input([100, 16])) //=> SymbolicTensor<[98, 8], 'float32', never>
 */
export function Conv1D<
  const Filters extends number,
  const Kernel extends number,
  const Options extends Conv1DOptions = Record<never, never>,
>(
  filters: PositiveArg<'Conv1D', 'filters', Filters>,
  kernelSize: PositiveArg<'Conv1D', 'kernelSize', Kernel>,
  options?: Options &
    NoInfer<WeightOptionsCheck<'Conv1D', Options> & GroupsCheck<'Conv1D', Filters, Options>> &
    WindowOptionsCheck<'Conv1D', Options, 'strides' | 'dilationRate'> &
    StridesOrDilationCheck<'Conv1D', Options>,
): Layer<
  Conv1DRule<
    Filters,
    Kernel,
    Opt<Options, 'strides', 1>,
    Opt<Options, 'dilationRate', 1>,
    Opt<Options, 'padding', 'valid'>,
    Opt<Options, 'groups', 1>
  >
>;
export function Conv1D(filters: unknown, kernelSize: unknown, options?: unknown): Layer<Rule> {
  return conv1DLayer(filters, kernelSize, options);
}

/** Conv1D from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function conv1DLayer(filters: unknown, kernelSize: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Conv1D', options);
  const count = positiveInteger('Conv1D', 'filters', filters);
  const kernel = positiveInteger('Conv1D', 'kernelSize', kernelSize);
  const strides = positiveInteger('Conv1D', 'strides', opts.strides ?? 1);
  const dilationRate = positiveInteger('Conv1D', 'dilationRate', opts.dilationRate ?? 1);
  stridesOrDilation('Conv1D', [strides], [dilationRate], {
    strides: opts.strides ?? 1,
    dilationRate: opts.dilationRate ?? 1,
  });
  const padding = oneOf('Conv1D', 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const activation = oneOf('Conv1D', 'activation', opts.activation ?? 'linear', activations);
  const useBias = boolean('Conv1D', 'useBias', opts.useBias ?? true);
  const groups = groupsOption('Conv1D', opts.groups, count);
  const weighted = weightOptions(
    'Conv1D',
    opts,
    ['kernelInitializer', 'biasInitializer'],
    ['kernelConstraint', 'biasConstraint'],
    ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  const geometry = { sizes: [kernel], strides: [strides], dilations: [dilationRate] };
  return unaryLayer(
    {
      className: 'Conv1D',
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
        const out = windowShape('Conv1D', 'kernel', shape, geometry, padding, count);
        groupedChannels('Conv1D', shape, groups);
        return { shape: out, dtype: 'float32' };
      },
      weights: ({ shape }) => [
        { name: 'kernel', shape: [kernel, (shape[1] ?? 0) / groups, count], trainable: true },
        ...(useBias ? [{ name: 'bias', shape: [count], trainable: true }] : []),
      ],
      flops: ({ shape }) => {
        const [steps = null] = windowShape('Conv1D', 'kernel', shape, geometry, padding, count);
        return (2 * kernel * (shape[1] ?? 0) * count * (steps ?? 1)) / groups;
      },
      lower: (name) =>
        groups > 1
          ? groupedConv(name, {
              layer: 'Conv1D',
              filters: count,
              kernelSize: [kernel],
              strides: [strides],
              dilationRate: [dilationRate],
              padding,
              groups,
              activation: tfjsActivation(activation),
              useBias,
              ...weighted.tfjs,
            })
          : floatInputs(
              tf.layers.conv1d({
                filters: count,
                kernelSize: kernel,
                strides,
                padding,
                dilationRate,
                activation: tfjsActivation(activation),
                useBias,
                ...weighted.tfjs,
                name,
              }),
            ),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Conv1D', (config, name) =>
  conv1DLayer(config.filters, config.kernelSize, { ...config, ...named(name) }),
);
