// Conv3D: a 3-D convolution over [depth, height, width, channels]. Keras 3: keras/src/layers/convolutional/
// conv3d.py and base_conv.py (kernel kernel_size + (channels, filters), bias (filters,)); each spatial axis follows
// ConvLength, as Conv2D's.
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
  stridesOrDilation,
  type Triple,
  type Window3D,
  window3D,
} from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';
import { type WindowShape, windowShape } from '../window.ts';

export interface Conv3DOptions extends BaseOptions {
  /** Default 1. */
  readonly strides?: Window3D;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Default 1. */
  readonly dilationRate?: Window3D;
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

export interface Conv3DRule<
  in out Filters extends number,
  in out Kernel extends [number, number, number],
  in out Strides extends [number, number, number],
  in out Dilation extends [number, number, number],
  in out Pad extends Padding,
  in out Groups extends number = 1,
> extends Rule {
  readonly output: GroupedShape<
    'Conv3D',
    WindowShape<'Conv3D', 'kernel', InputOf<this>, Kernel, Strides, Dilation, Pad, Filters>,
    InputOf<this>,
    Filters,
    Groups
  >;
}

/** The untyped implementation, which the typed signature and the loader call. */
function conv3dLayer(filters: unknown, kernelSize: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Conv3D', options);
  const count = positiveInteger('Conv3D', 'filters', filters);
  const kernel = window3D('Conv3D', 'kernelSize', kernelSize);
  const strides = window3D('Conv3D', 'strides', opts.strides ?? 1);
  const dilationRate = window3D('Conv3D', 'dilationRate', opts.dilationRate ?? 1);
  stridesOrDilation('Conv3D', strides, dilationRate, {
    strides: opts.strides ?? 1,
    dilationRate: opts.dilationRate ?? 1,
  });
  const padding = oneOf('Conv3D', 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const activation = oneOf('Conv3D', 'activation', opts.activation ?? 'linear', activations);
  const useBias = boolean('Conv3D', 'useBias', opts.useBias ?? true);
  const groups = groupsOption('Conv3D', opts.groups, count);
  const weighted = weightOptions(
    'Conv3D',
    opts,
    ['kernelInitializer', 'biasInitializer'],
    ['kernelConstraint', 'biasConstraint'],
    ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  const geometry = { sizes: kernel, strides, dilations: dilationRate };
  return unaryLayer(
    {
      className: 'Conv3D',
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
        const out = windowShape('Conv3D', 'kernel', shape, geometry, padding, count);
        groupedChannels('Conv3D', shape, groups);
        return { shape: out, dtype: 'float32' };
      },
      weights: ({ shape }) => [
        { name: 'kernel', shape: [...kernel, (shape[3] ?? 0) / groups, count], trainable: true },
        ...(useBias ? [{ name: 'bias', shape: [count], trainable: true }] : []),
      ],
      lower: (name) =>
        groups > 1
          ? groupedConv(name, {
              layer: 'Conv3D',
              filters: count,
              kernelSize: kernel,
              strides,
              dilationRate,
              padding,
              groups,
              activation: tfjsActivation(activation),
              useBias,
              ...weighted.tfjs,
            })
          : floatInputs(
              tf.layers.conv3d({
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

/**
 * `Conv3D(filters, kernelSize, { strides, padding, dilationRate, groups, activation, useBias, name })`.
 * @example Conv3D(8, 3)(Input([16, 32, 32, 1])) //=> SymbolicTensor<[14, 30, 30, 8], 'float32', never>
 */
export function Conv3D<
  const Filters extends number,
  const Kernel extends Window3D,
  const Options extends Conv3DOptions = Record<never, never>,
>(
  filters: PositiveArg<'Conv3D', 'filters', Filters>,
  kernelSize: Kernel,
  options?: Options & NoInfer<WeightOptionsCheck<'Conv3D', Options> & GroupsCheck<'Conv3D', Filters, Options>>,
): Layer<
  Conv3DRule<
    Filters,
    Triple<Kernel>,
    Triple<Opt<Options, 'strides', 1>>,
    Triple<Opt<Options, 'dilationRate', 1>>,
    Opt<Options, 'padding', 'valid'>,
    Opt<Options, 'groups', 1>
  >
>;
export function Conv3D(filters: unknown, kernelSize: unknown, options?: unknown): Layer<Rule> {
  return conv3dLayer(filters, kernelSize, options);
}

registerLayer('Conv3D', (config, name) =>
  conv3dLayer(config.filters, config.kernelSize, { ...config, ...named(name) }),
);
