// SeparableConv1D: a depthwise convolution (depthMultiplier filters per channel) followed by a pointwise
// convolution to `filters`, [steps, c] => [steps', filters]. Keras 3: keras/src/layers/convolutional/
// separable_conv1d.py and base_separable_conv.py (depthwise kernel kernel_size + (channels, depth_multiplier),
// pointwise kernel (1, channels * depth_multiplier, filters), bias (filters,); compute_conv_output_shape).
// tfjs-layers has no SeparableConv1D: it is written with the public layer API. The depthwise step is a plain
// convolution by a block-diagonal kernel, since the wasm backend has no gradient kernels for depthwise ones.
import * as tf from '@tensorflow/tfjs';
import type { Padding } from '../../shapes/conv.ts';
import type { Dim } from '../../shapes/dim.ts';
import { tfjsActivation } from '../activation-functions.ts';
import { defineLayer } from '../define.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
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
import { registerLayer } from '../registry.ts';
import {
  type Regularizer,
  type RegularizerOptionsCheck,
  type ResolvedRegularizer,
  resolvedRegularizers,
} from '../regularizers.ts';
import type { TransposeOptionsBad } from '../transpose.ts';
import { type WindowShape, windowShape } from '../window.ts';

export interface SeparableConv1DOptions extends BaseOptions {
  /** Default 1. */
  readonly strides?: number;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Default 1. */
  readonly dilationRate?: number;
  /** Depthwise filters per input channel. Default 1. */
  readonly depthMultiplier?: number;
  /** Default `'linear'`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly depthwiseRegularizer?: Regularizer;
  readonly pointwiseRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

export interface SeparableConv1DRule<
  in out Filters extends number,
  in out Kernel extends number,
  in out Stride extends number,
  in out Dilation extends number,
  in out Pad extends Padding,
> extends Rule {
  // Strides and dilation both above 1 are reported at the option, once; the input is not checked as well.
  readonly output: TransposeOptionsBad<[Stride], [Dilation], ['none']> extends true
    ? Ok<Dim[], 'float32'>
    : WindowShape<'SeparableConv1D', 'kernel', InputOf<this>, [Kernel], [Stride], [Dilation], Pad, Filters>;
}

interface Config {
  readonly [key: string]: number | string | boolean | ResolvedRegularizer;
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly dilationRate: number;
  readonly depthMultiplier: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly depthwiseRegularizer?: ResolvedRegularizer;
  readonly pointwiseRegularizer?: ResolvedRegularizer;
  readonly biasRegularizer?: ResolvedRegularizer;
}

function checkedConfig(options: { readonly [key: string]: unknown }): Config {
  const strides = positiveInteger('SeparableConv1D', 'strides', options.strides ?? 1);
  const dilationRate = positiveInteger('SeparableConv1D', 'dilationRate', options.dilationRate ?? 1);
  stridesOrDilation('SeparableConv1D', [strides], [dilationRate], {
    strides: options.strides ?? 1,
    dilationRate: options.dilationRate ?? 1,
  });
  return {
    filters: positiveInteger('SeparableConv1D', 'filters', options.filters),
    kernelSize: positiveInteger('SeparableConv1D', 'kernelSize', options.kernelSize),
    strides,
    padding: oneOf('SeparableConv1D', 'padding', options.padding ?? 'valid', ['valid', 'same']),
    dilationRate,
    depthMultiplier: positiveInteger('SeparableConv1D', 'depthMultiplier', options.depthMultiplier ?? 1),
    activation: oneOf('SeparableConv1D', 'activation', options.activation ?? 'linear', activations),
    useBias: boolean('SeparableConv1D', 'useBias', options.useBias ?? true),
    ...resolvedRegularizers('SeparableConv1D', options, [
      'depthwiseRegularizer',
      'pointwiseRegularizer',
      'biasRegularizer',
    ]),
  };
}

const geometryOf = (config: Config) => ({
  sizes: [config.kernelSize],
  strides: [config.strides],
  dilations: [config.dilationRate],
});

const SeparableConv1DClass = defineLayer({
  className: 'SeparableConv1D',
  config: checkedConfig,
  outputShape: ({ shape }, config) => ({
    shape: windowShape('SeparableConv1D', 'kernel', shape, geometryOf(config), config.padding, config.filters),
    dtype: 'float32',
  }),
  weights: ({ shape }, config) => [
    {
      name: 'depthwise_kernel',
      shape: [config.kernelSize, shape[1] ?? 0, config.depthMultiplier],
      regularizer: config.depthwiseRegularizer,
    },
    {
      name: 'pointwise_kernel',
      shape: [1, (shape[1] ?? 0) * config.depthMultiplier, config.filters],
      regularizer: config.pointwiseRegularizer,
    },
    ...(config.useBias
      ? [
          {
            name: 'bias' as const,
            shape: [config.filters],
            initializer: 'zeros' as const,
            regularizer: config.biasRegularizer,
          },
        ]
      : []),
  ],
  flops: ({ shape }, config) => {
    const [steps = null] = windowShape('SeparableConv1D', 'kernel', shape, geometryOf(config), config.padding, 1);
    const depthwise = (shape[1] ?? 0) * config.depthMultiplier;
    return 2 * (steps ?? 1) * depthwise * (config.kernelSize + config.filters);
  },
  call(input, weights, { config }) {
    const { depthwise_kernel: depthwise, pointwise_kernel: pointwise, bias } = weights;
    const [batch = 1, steps = 1, channels = 1] = input.shape;
    const { kernelSize, depthMultiplier, filters } = config;
    // [k, c, m] => [1, k, c, c * m], zero but where the input channel is the output's own: a depthwise kernel.
    const diagonal = tf.reshape(tf.eye(channels), [1, channels, channels, 1]);
    const blocks = tf.mul(tf.reshape(depthwise, [kernelSize, 1, channels, depthMultiplier]), diagonal);
    const full = blocks.as4D(1, kernelSize, channels, channels * depthMultiplier);
    const x = tf.cast(input, 'float32').as4D(batch, 1, steps, channels);
    const spread = tf.conv2d(x, full, [1, config.strides], config.padding, 'NHWC', [1, config.dilationRate]);
    const mixed = tf.conv2d(spread, pointwise.as4D(1, 1, channels * depthMultiplier, filters), 1, 'valid');
    const y = tf.reshape(mixed, [batch, mixed.shape[2], filters]);
    const out = tf.layers
      .activation({ activation: tfjsActivation(config.activation) })
      .apply(config.useBias ? tf.add(y, bias) : y);
    if (!(out instanceof tf.Tensor)) throw new Error('kerats: SeparableConv1D did not compute one tensor');
    return out;
  },
});

/**
 * `SeparableConv1D(filters, kernelSize, { strides, padding, dilationRate, depthMultiplier = 1, activation, useBias, name })`.
 * @example SeparableConv1D(32, 5, { padding: 'same' })(Input([100, 16])) //=> SymbolicTensor<[100, 32], 'float32', never>
 */
export function SeparableConv1D<
  const Filters extends number,
  const Kernel extends number,
  const Options extends SeparableConv1DOptions = Record<never, never>,
>(
  filters: PositiveArg<'SeparableConv1D', 'filters', Filters>,
  kernelSize: PositiveArg<'SeparableConv1D', 'kernelSize', Kernel>,
  options?: Options &
    WindowOptionsCheck<'SeparableConv1D', Options, 'strides' | 'dilationRate' | 'depthMultiplier'> &
    StridesOrDilationCheck<'SeparableConv1D', Options> &
    NoInfer<RegularizerOptionsCheck<'SeparableConv1D', Options>>,
): Layer<
  SeparableConv1DRule<
    Filters,
    Kernel,
    Opt<Options, 'strides', 1>,
    Opt<Options, 'dilationRate', 1>,
    Opt<Options, 'padding', 'valid'>
  >
>;
export function SeparableConv1D(filters: unknown, kernelSize: unknown, options?: unknown): Layer<Rule> {
  return SeparableConv1DClass.create({ ...optionsObject('SeparableConv1D', options), filters, kernelSize });
}

registerLayer('SeparableConv1D', (config, name) => SeparableConv1DClass.fromConfig(config, name));
