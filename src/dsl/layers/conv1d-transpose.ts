// Conv1DTranspose: the transposed 1-D convolution, which grows [steps, channels] by its stride. Keras 3:
// keras/src/layers/convolutional/conv1d_transpose.py and base_conv_transpose.py (kernel of shape kernel_size +
// (filters, channels), bias (filters,), glorot_uniform and zeros; outputPadding below strides; strides and
// dilation not both above 1), keras/src/backend/common/backend_utils.py (the output size: TransposeLength).
// tfjs-layers has no Conv1DTranspose: it is written with the public layer API, computing with src/dsl/transpose.ts.
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OverflowMessage, type RankMessage, type UnknownDimMessage } from '../../errors.ts';
import type { Padding, TransposeLength } from '../../shapes/conv.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
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
import { convTranspose, type TransposeGeometry, type TransposeOptionsBad, transposeSizes } from '../transpose.ts';
import type { OutputPaddingCheck } from './conv2d-transpose.ts';

export interface Conv1DTransposeOptions extends BaseOptions {
  /** Default 1. */
  readonly strides?: number;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Extra steps at the end of the output, below the stride. Default: none (Keras's `None`). */
  readonly outputPadding?: number;
  /** Default 1. */
  readonly dilationRate?: number;
  /** Default `'linear'`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

const hint = 'Reshape to [steps, channels] first?';
const paddingRule = 'do not fit: outputPadding must be smaller than strides on every axis';

/**
 * [steps, c] => [steps', filters], steps' by TransposeLength.
 * @example Conv1DTransposeShape<[25, 16], 8, 3, 2, 1, 'same', 'none'> //=> Ok<[50, 8], 'float32'>
 */
export type Conv1DTransposeShape<
  S extends Shape,
  Filters extends number,
  Kernel extends number,
  Stride extends number,
  Dilation extends number,
  Pad extends Padding,
  OutputPadding extends number | 'none',
> =
  TransposeOptionsBad<[Stride], [Dilation], [OutputPadding]> extends true
    ? Ok<Dim[], 'float32'> // the options have an error of their own
    : S extends readonly [infer Steps extends Dim, infer Channels extends Dim]
      ? Channels extends null
        ? UnknownDimMessage<'Conv1DTranspose', -1, S, 'it sizes the kernel'>
        : TransposeLength<Steps, Kernel, Stride, Dilation, Pad, OutputPadding> extends infer Out extends Dim
          ? Ok<[Out, Filters], 'float32'>
          : OverflowMessage<'Conv1DTranspose', S>
      : RankMessage<'Conv1DTranspose', '2', '[steps, channels]', S, typeof hint>;

export interface Conv1DTransposeRule<
  in out Filters extends number,
  in out Kernel extends number,
  in out Stride extends number,
  in out Dilation extends number,
  in out Pad extends Padding,
  in out OutputPadding extends number | 'none',
> extends Rule {
  readonly output: Conv1DTransposeShape<InputOf<this>, Filters, Kernel, Stride, Dilation, Pad, OutputPadding>;
}

interface Config {
  readonly [key: string]: number | string | boolean | null | ResolvedRegularizer;
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly outputPadding: number | null;
  readonly dilationRate: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelRegularizer?: ResolvedRegularizer;
  readonly biasRegularizer?: ResolvedRegularizer;
}

function geometryOf(config: Config): TransposeGeometry {
  return {
    kernel: [config.kernelSize],
    strides: [config.strides],
    dilations: [config.dilationRate],
    padding: config.padding,
    outputPadding: config.outputPadding === null ? undefined : [config.outputPadding],
  };
}

function checkedConfig(options: { readonly [key: string]: unknown }): Config {
  const filters = positiveInteger('Conv1DTranspose', 'filters', options.filters);
  const kernelSize = positiveInteger('Conv1DTranspose', 'kernelSize', options.kernelSize);
  const strides = positiveInteger('Conv1DTranspose', 'strides', options.strides ?? 1);
  const dilationRate = positiveInteger('Conv1DTranspose', 'dilationRate', options.dilationRate ?? 1);
  stridesOrDilation('Conv1DTranspose', [strides], [dilationRate], {
    strides: options.strides ?? 1,
    dilationRate: options.dilationRate ?? 1,
  });
  const padding = oneOf('Conv1DTranspose', 'padding', options.padding ?? 'valid', ['valid', 'same']);
  const written = options.outputPadding ?? null;
  if (written !== null && !(Number.isSafeInteger(written) && Number(written) >= 0))
    fail({
      code: 'option',
      layer: 'Conv1DTranspose',
      option: 'outputPadding',
      expected: 'a non-negative integer',
      received: describe(written),
    });
  const outputPadding = written === null ? null : Number(written);
  if (outputPadding !== null && outputPadding >= strides)
    fail({
      code: 'option-conflict',
      layer: 'Conv1DTranspose',
      options: ['outputPadding', 'strides'],
      received: [describe(written), describe(options.strides ?? 1)],
      rule: paddingRule,
    });
  return {
    filters,
    kernelSize,
    strides,
    padding,
    outputPadding,
    dilationRate,
    activation: oneOf('Conv1DTranspose', 'activation', options.activation ?? 'linear', activations),
    useBias: boolean('Conv1DTranspose', 'useBias', options.useBias ?? true),
    ...resolvedRegularizers('Conv1DTranspose', options, ['kernelRegularizer', 'biasRegularizer']),
  };
}

const Conv1DTransposeClass = defineLayer({
  className: 'Conv1DTranspose',
  config: checkedConfig,
  outputShape({ shape }, config) {
    const [steps, channels] = shape;
    if (shape.length !== 2 || steps === undefined || channels === undefined)
      return fail({
        code: 'rank',
        layer: 'Conv1DTranspose',
        expected: '2',
        form: '[steps, channels]',
        received: shape,
        hint,
      });
    if (channels === null)
      fail({ code: 'unknown-dim', layer: 'Conv1DTranspose', axis: -1, received: shape, why: 'it sizes the kernel' });
    const [out = null] = steps === null ? [null] : transposeSizes([steps], geometryOf(config));
    if (out !== null && !Number.isSafeInteger(out))
      fail({ code: 'overflow', layer: 'Conv1DTranspose', received: shape });
    return { shape: [out, config.filters], dtype: 'float32' };
  },
  weights: ({ shape }, { kernelSize, filters, useBias, kernelRegularizer, biasRegularizer }) => [
    { name: 'kernel', shape: [kernelSize, filters, shape[1] ?? 0], regularizer: kernelRegularizer },
    ...(useBias
      ? [{ name: 'bias' as const, shape: [filters], initializer: 'zeros' as const, regularizer: biasRegularizer }]
      : []),
  ],
  flops: ({ shape }, { kernelSize, filters }) => 2 * kernelSize * (shape[1] ?? 0) * filters * (shape[0] ?? 1),
  call(input, weights, { config }) {
    const { kernel, bias } = weights;
    const y = convTranspose(tf.cast(input, 'float32'), kernel, geometryOf(config));
    const biased = config.useBias ? tf.add(y, bias) : y;
    const out = tf.layers.activation({ activation: tfjsActivation(config.activation) }).apply(biased);
    if (!(out instanceof tf.Tensor)) throw new Error('kerats: Conv1DTranspose did not compute one tensor');
    return out;
  },
});

/**
 * `Conv1DTranspose(filters, kernelSize, { strides, padding, outputPadding, dilationRate, activation, useBias, name })`.
 * @example Conv1DTranspose(8, 3, { strides: 2, padding: 'same' })(Input([25, 16])) //=> SymbolicTensor<[50, 8], 'float32', never>
 */
export function Conv1DTranspose<
  const Filters extends number,
  const Kernel extends number,
  const Options extends Conv1DTransposeOptions = Record<never, never>,
>(
  filters: PositiveArg<'Conv1DTranspose', 'filters', Filters>,
  kernelSize: PositiveArg<'Conv1DTranspose', 'kernelSize', Kernel>,
  options?: Options &
    WindowOptionsCheck<'Conv1DTranspose', Options, 'strides' | 'dilationRate'> &
    StridesOrDilationCheck<'Conv1DTranspose', Options> &
    OutputPaddingCheck<'Conv1DTranspose', Options> &
    NoInfer<RegularizerOptionsCheck<'Conv1DTranspose', Options>>,
): Layer<
  Conv1DTransposeRule<
    Filters,
    Kernel,
    Opt<Options, 'strides', 1>,
    Opt<Options, 'dilationRate', 1>,
    Opt<Options, 'padding', 'valid'>,
    Opt<Options, 'outputPadding', 'none'>
  >
>;
export function Conv1DTranspose(filters: unknown, kernelSize: unknown, options?: unknown): Layer<Rule> {
  return Conv1DTransposeClass.create({ ...optionsObject('Conv1DTranspose', options), filters, kernelSize });
}

registerLayer('Conv1DTranspose', (config, name) => Conv1DTransposeClass.fromConfig(config, name));
