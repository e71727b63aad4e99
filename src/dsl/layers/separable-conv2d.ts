// SeparableConv2D: a depthwise convolution (depthMultiplier filters per channel) followed by a 1x1 convolution to
// `filters`, [h, w, c] => [h', w', filters]. Keras 3: keras/src/layers/convolutional/base_separable_conv.py
// (depthwise kernel kernel_size + (channels, depth_multiplier), pointwise kernel (1, 1, channels *
// depth_multiplier, filters), bias (filters,)).
import * as tf from '@tensorflow/tfjs';
import type { Padding } from '../../shapes/conv.ts';
import { tfjsActivation } from '../activation-functions.ts';
import type { Constraint } from '../constraints.ts';
import { floatInputs } from '../float-inputs.ts';
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

export interface SeparableConv2DOptions extends BaseOptions {
  /** Default 1. */
  readonly strides?: Window2D;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Default 1. */
  readonly dilationRate?: Window2D;
  /** Depthwise filters per input channel. Default 1. */
  readonly depthMultiplier?: number;
  /** Default `'linear'`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Default `'glorotUniform'`. */
  readonly depthwiseInitializer?: Initializer;
  /** Default `'glorotUniform'`. */
  readonly pointwiseInitializer?: Initializer;
  /** Default `'zeros'`. */
  readonly biasInitializer?: Initializer;
  /** Applied after each optimizer update, as in Keras. Default none. */
  readonly depthwiseConstraint?: Constraint;
  readonly pointwiseConstraint?: Constraint;
  readonly biasConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly depthwiseRegularizer?: Regularizer;
  readonly pointwiseRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

export interface SeparableConv2DRule<
  in out Filters extends number,
  in out Kernel extends [number, number],
  in out Strides extends [number, number],
  in out Dilation extends [number, number],
  in out Pad extends Padding,
> extends Rule {
  readonly output: WindowShape<'SeparableConv2D', 'kernel', InputOf<this>, Kernel, Strides, Dilation, Pad, Filters>;
}

/** The untyped implementation, which the typed signature and the loader call. */
function separableConv2dLayer(filters: unknown, kernelSize: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('SeparableConv2D', options);
  const count = positiveInteger('SeparableConv2D', 'filters', filters);
  const kernel = window2D('SeparableConv2D', 'kernelSize', kernelSize);
  const strides = window2D('SeparableConv2D', 'strides', opts.strides ?? 1);
  const dilationRate = window2D('SeparableConv2D', 'dilationRate', opts.dilationRate ?? 1);
  stridesOrDilation('SeparableConv2D', strides, dilationRate, {
    strides: opts.strides ?? 1,
    dilationRate: opts.dilationRate ?? 1,
  });
  const depthMultiplier = positiveInteger('SeparableConv2D', 'depthMultiplier', opts.depthMultiplier ?? 1);
  const padding = oneOf('SeparableConv2D', 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const activation = oneOf('SeparableConv2D', 'activation', opts.activation ?? 'linear', activations);
  const useBias = boolean('SeparableConv2D', 'useBias', opts.useBias ?? true);
  const weighted = weightOptions(
    'SeparableConv2D',
    opts,
    ['depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer'],
    ['depthwiseConstraint', 'pointwiseConstraint', 'biasConstraint'],
    ['depthwiseRegularizer', 'pointwiseRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  const geometry = { sizes: kernel, strides, dilations: dilationRate };
  return unaryLayer(
    {
      className: 'SeparableConv2D',
      ...weighted.spec,
      config: {
        filters: count,
        kernelSize: kernel,
        strides,
        padding,
        dilationRate,
        depthMultiplier,
        activation,
        useBias,
        ...weighted.config,
      },
      outputShape: ({ shape }) => ({
        shape: windowShape('SeparableConv2D', 'kernel', shape, geometry, padding, count),
        dtype: 'float32',
      }),
      weights: ({ shape }) => [
        { name: 'depthwise_kernel', shape: [...kernel, shape[2] ?? 0, depthMultiplier], trainable: true },
        { name: 'pointwise_kernel', shape: [1, 1, (shape[2] ?? 0) * depthMultiplier, count], trainable: true },
        ...(useBias ? [{ name: 'bias', shape: [count], trainable: true }] : []),
      ],
      lower: (name) =>
        floatInputs(
          tf.layers.separableConv2d({
            filters: count,
            kernelSize: kernel,
            strides,
            padding,
            dilationRate,
            depthMultiplier,
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
 * `SeparableConv2D(filters, kernelSize, { strides, padding, dilationRate, depthMultiplier = 1, activation, useBias, name })`.
 * @example SeparableConv2D(64, 3, { padding: 'same' })(Input([128, 128, 32])) //=> SymbolicTensor<[128, 128, 64], 'float32', never>
 */
export function SeparableConv2D<
  const Filters extends number,
  const Kernel extends Window2D,
  const Options extends SeparableConv2DOptions = Record<never, never>,
>(
  filters: PositiveArg<'SeparableConv2D', 'filters', Filters>,
  kernelSize: Kernel & WindowCheck<'SeparableConv2D', 'kernelSize', Kernel>,
  options?: Options &
    NoInfer<WeightOptionsCheck<'SeparableConv2D', Options>> &
    WindowOptionsCheck<'SeparableConv2D', Options, 'strides' | 'dilationRate' | 'depthMultiplier'> &
    StridesOrDilationCheck<'SeparableConv2D', Options>,
): Layer<
  SeparableConv2DRule<
    Filters,
    Pair<Kernel>,
    Pair<Opt<Options, 'strides', 1>>,
    Pair<Opt<Options, 'dilationRate', 1>>,
    Opt<Options, 'padding', 'valid'>
  >
>;
export function SeparableConv2D(filters: unknown, kernelSize: unknown, options?: unknown): Layer<Rule> {
  return separableConv2dLayer(filters, kernelSize, options);
}

registerLayer('SeparableConv2D', (config, name) =>
  separableConv2dLayer(config.filters, config.kernelSize, { ...config, ...named(name) }),
);
