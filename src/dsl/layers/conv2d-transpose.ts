// Conv2DTranspose: the transposed 2-D convolution (the gradient of Conv2D with respect to its input), which grows
// [height, width, channels] by its strides. Keras 3: keras/src/layers/convolutional/conv2d_transpose.py and
// base_conv_transpose.py (kernel of shape kernel_size + (filters, channels), bias (filters,); outputPadding below
// strides), keras/src/backend/common/backend_utils.py (the output size: TransposeLength).
import * as tf from '@tensorflow/tfjs';
import {
  describe,
  fail,
  type OptionConflictMessage,
  type OverflowMessage,
  type RankMessage,
  type UnknownDimMessage,
} from '../../errors.ts';
import type { Compare } from '../../shapes/arithmetic.ts';
import { type Padding, type TransposeLength, transposeLength } from '../../shapes/conv.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { type TfjsActivation, tfjsActivation } from '../activation-functions.ts';
import type { Constraint } from '../constraints.ts';
import { floatInputs } from '../float-inputs.ts';
import type { Initializer } from '../initializers.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
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

export interface Conv2DTransposeOptions extends BaseOptions {
  /** Default 1. */
  readonly strides?: Window2D;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Extra rows and columns at the end of the output, below the strides. Default: none (Keras's `None`). */
  readonly outputPadding?: Window2D;
  /** Default 1. */
  readonly dilationRate?: Window2D;
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

const hint = 'Reshape to [height, width, channels] first?';
const paddingRule = 'do not fit: outputPadding must be smaller than strides on every axis';

type _OutputPadding<Written> = Written extends Window2D ? Pair<Written> : ['none', 'none'];

/**
 * [h, w, c] => [h', w', filters], each spatial size by TransposeLength.
 * @example Conv2DTransposeShape<[7, 7, 64], 32, [3, 3], [2, 2], [1, 1], 'same', ['none', 'none']> //=> Ok<[14, 14, 32], 'float32'>
 */
export type Conv2DTransposeShape<
  S extends Shape,
  Filters extends number,
  Kernel extends [number, number],
  Strides extends [number, number],
  Dilation extends [number, number],
  Pad extends Padding,
  OutputPadding extends [number | 'none', number | 'none'],
> = true extends
  | _NotBelow<OutputPadding[0], Strides[0]>
  | _NotBelow<OutputPadding[1], Strides[1]>
  | (true extends _Above1<Strides> ? _Above1<Dilation> : false)
  ? Ok<Dim[], 'float32'> // the options have an error of their own
  : S extends readonly [infer Height extends Dim, infer Width extends Dim, infer Channels extends Dim]
    ? Channels extends null
      ? UnknownDimMessage<'Conv2DTranspose', -1, S, 'it sizes the kernel'>
      : [
            TransposeLength<Height, Kernel[0], Strides[0], Dilation[0], Pad, OutputPadding[0]>,
            TransposeLength<Width, Kernel[1], Strides[1], Dilation[1], Pad, OutputPadding[1]>,
          ] extends [infer Rows extends Dim, infer Columns extends Dim]
        ? Ok<[Rows, Columns, Filters], 'float32'>
        : OverflowMessage<'Conv2DTranspose', S>
    : RankMessage<'Conv2DTranspose', '3', '[height, width, channels]', S, typeof hint>;

export interface Conv2DTransposeRule<
  in out Filters extends number,
  in out Kernel extends [number, number],
  in out Strides extends [number, number],
  in out Dilation extends [number, number],
  in out Pad extends Padding,
  in out OutputPadding extends [number | 'none', number | 'none'],
> extends Rule {
  readonly output: Conv2DTransposeShape<InputOf<this>, Filters, Kernel, Strides, Dilation, Pad, OutputPadding>;
}

/** `true` where a literal of the pair can be seen to exceed 1. */
type _Above1<Pair extends [number, number]> =
  | (number extends Pair[0] ? false : Pair[0] extends 1 ? false : true)
  | (number extends Pair[1] ? false : Pair[1] extends 1 ? false : true);

type _NotBelow<Padded, Stride> = Padded extends number
  ? Stride extends number
    ? number extends Padded | Stride
      ? false
      : Compare<Padded, Stride> extends 'lt'
        ? false
        : true
    : false
  : false;

type _Pair<Size> = Size extends Window2D ? Pair<Size> : [number, number];

type _Written<Size> = Size extends number
  ? Size
  : Size extends readonly [infer First extends number, infer Second extends number]
    ? `[${First}, ${Second}]`
    : never;

/** An error at `outputPadding` where its literal can be seen to reach the strides on some axis. */
export type OutputPaddingCheck<Layer extends string, Options> =
  // strides and dilationRate both above 1 is reported first, alone, as the runtime does
  true extends (
    true extends _Above1<_Pair<Opt<Options, 'strides', 1>>>
      ? _Above1<_Pair<Opt<Options, 'dilationRate', 1>>>
      : false
  )
    ? unknown
    : _OutputPaddingCheck<Layer, Options>;

type _OutputPaddingCheck<Layer extends string, Options> = Options extends {
  readonly outputPadding: infer Written extends Window2D;
}
  ? true extends
      | _NotBelow<Pair<Written>[0], _Pair<Opt<Options, 'strides', 1>>[0]>
      | _NotBelow<Pair<Written>[1], _Pair<Opt<Options, 'strides', 1>>[1]>
    ? {
        readonly outputPadding: {
          readonly error: OptionConflictMessage<
            Layer,
            'outputPadding',
            'strides',
            [_Written<Written>, _Written<Opt<Options, 'strides', 1>>],
            typeof paddingRule
          >;
        };
      }
    : unknown
  : unknown;

function counts2D(value: unknown): [number, number] {
  const isCount = (item: unknown): item is number => Number.isSafeInteger(item) && Number(item) >= 0;
  if (isCount(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && isCount(value[0]) && isCount(value[1])) return [value[0], value[1]];
  return fail({
    code: 'option',
    layer: 'Conv2DTranspose',
    option: 'outputPadding',
    expected: 'non-negative integers',
    received: describe(value),
  });
}

/** The kernel with dilation - 1 zeros between its taps, for tfjs's transposed convolution, which has no dilation. */
function dilatedKernel(kernel: tf.Tensor4D, [rows, columns]: readonly [number, number]): tf.Tensor4D {
  if (rows === 1 && columns === 1) return kernel;
  const [height, width, out, inChannels] = kernel.shape;
  const spread = tf.reshape(kernel, [height, 1, width, 1, out, inChannels]);
  const padded = tf.pad(spread, [
    [0, 0],
    [0, rows - 1],
    [0, 0],
    [0, columns - 1],
    [0, 0],
    [0, 0],
  ]);
  const flat = tf.reshape(padded, [height * rows, width * columns, out, inChannels]);
  const [spanRows, spanColumns] = [(height - 1) * rows + 1, (width - 1) * columns + 1];
  return tf
    .slice(flat, [0, 0, 0, 0], [spanRows, spanColumns, out, inChannels])
    .as4D(spanRows, spanColumns, out, inChannels);
}

interface Geometry {
  readonly filters: number;
  readonly kernel: [number, number];
  readonly strides: [number, number];
  readonly dilationRate: [number, number];
  readonly padding: Padding;
  readonly outputPadding: [number, number] | undefined;
}

function spatialOut(shape: readonly Dim[], geometry: Geometry): [Dim, Dim] {
  const along = (axis: 0 | 1): Dim =>
    transposeLength(
      shape[axis] ?? null,
      geometry.kernel[axis],
      geometry.strides[axis],
      geometry.dilationRate[axis],
      geometry.padding,
      geometry.outputPadding?.[axis],
    );
  return [along(0), along(1)];
}

/**
 * tfjs's Conv2DTranspose has neither outputPadding nor dilation: such a layer keeps tfjs's weights and computes
 * with the plain op, given the output shape Keras's rule says.
 */
function plainTranspose(layer: tf.layers.Layer, geometry: Geometry, activation: TfjsActivation): tf.layers.Layer {
  const activate = tf.layers.activation({ activation });
  layer.computeOutputShape = (inputShape) => {
    const [batch = null, ...rest] = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
    const known = (dim: unknown): Dim => (typeof dim === 'number' ? dim : null);
    return [known(batch), ...spatialOut(rest.map(known), geometry), geometry.filters];
  };
  layer.call = (inputs) =>
    tf.tidy(() => {
      const [x] = Array.isArray(inputs) ? inputs : [inputs];
      const [kernel, bias] = layer.weights.map((weight) => weight.read());
      if (x === undefined || kernel === undefined) throw new Error(`kerats: ${layer.name} has no input or kernel`);
      const [batch = 0, height = 0, width = 0, channels = 0] = x.shape;
      const [kh = 0, kw = 0, filters = 0, inChannels = 0] = kernel.shape;
      const [rows, columns] = spatialOut([height, width], geometry);
      const y = tf.conv2dTranspose(
        x.as4D(batch, height, width, channels),
        dilatedKernel(kernel.as4D(kh, kw, filters, inChannels), geometry.dilationRate),
        [batch, rows ?? 0, columns ?? 0, filters],
        geometry.strides,
        geometry.padding,
      );
      const out = activate.apply(bias === undefined ? y : tf.add(y, bias));
      if (!(out instanceof tf.Tensor)) throw new Error(`kerats: ${layer.name} did not compute one tensor`);
      return out;
    });
  return layer;
}

/** The untyped implementation, which the typed signature and the loader call. */
function conv2dTransposeLayer(filters: unknown, kernelSize: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Conv2DTranspose', options);
  const count = positiveInteger('Conv2DTranspose', 'filters', filters);
  const kernel = window2D('Conv2DTranspose', 'kernelSize', kernelSize);
  const strides = window2D('Conv2DTranspose', 'strides', opts.strides ?? 1);
  const dilationRate = window2D('Conv2DTranspose', 'dilationRate', opts.dilationRate ?? 1);
  stridesOrDilation('Conv2DTranspose', strides, dilationRate, {
    strides: opts.strides ?? 1,
    dilationRate: opts.dilationRate ?? 1,
  });
  const padding = oneOf('Conv2DTranspose', 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const outputPadding =
    opts.outputPadding === undefined || opts.outputPadding === null ? undefined : counts2D(opts.outputPadding);
  if (outputPadding?.some((size, axis) => size >= (strides[axis] ?? 1)))
    fail({
      code: 'option-conflict',
      layer: 'Conv2DTranspose',
      options: ['outputPadding', 'strides'],
      received: [describe(opts.outputPadding), describe(opts.strides ?? 1)],
      rule: paddingRule,
    });
  const activation = oneOf('Conv2DTranspose', 'activation', opts.activation ?? 'linear', activations);
  const useBias = boolean('Conv2DTranspose', 'useBias', opts.useBias ?? true);
  const weighted = weightOptions(
    'Conv2DTranspose',
    opts,
    ['kernelInitializer', 'biasInitializer'],
    ['kernelConstraint', 'biasConstraint'],
    ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  const geometry: Geometry = { filters: count, kernel, strides, dilationRate, padding, outputPadding };
  return unaryLayer(
    {
      className: 'Conv2DTranspose',
      ...weighted.spec,
      config: {
        filters: count,
        kernelSize: kernel,
        strides,
        padding,
        outputPadding: outputPadding ?? null,
        dilationRate,
        activation,
        useBias,
        ...weighted.config,
      },
      outputShape({ shape }) {
        if (shape.length !== 3)
          fail({
            code: 'rank',
            layer: 'Conv2DTranspose',
            expected: '3',
            form: '[height, width, channels]',
            received: shape,
            hint,
          });
        if (shape[2] === null)
          fail({
            code: 'unknown-dim',
            layer: 'Conv2DTranspose',
            axis: -1,
            received: shape,
            why: 'it sizes the kernel',
          });
        const [rows, columns] = spatialOut(shape, geometry);
        if (![rows, columns].every((size) => size === null || Number.isSafeInteger(size)))
          fail({ code: 'overflow', layer: 'Conv2DTranspose', received: shape });
        return { shape: [rows, columns, count], dtype: 'float32' };
      },
      weights: ({ shape }) => [
        { name: 'kernel', shape: [...kernel, count, shape[2] ?? 0], trainable: true },
        ...(useBias ? [{ name: 'bias', shape: [count], trainable: true }] : []),
      ],
      flops: ({ shape }) => 2 * kernel[0] * kernel[1] * (shape[2] ?? 0) * count * (shape[0] ?? 1) * (shape[1] ?? 1),
      lower: (name) => {
        const tfjsName = tfjsActivation(activation);
        const layer = tf.layers.conv2dTranspose({
          filters: count,
          kernelSize: kernel,
          strides,
          padding,
          activation: tfjsName,
          useBias,
          ...weighted.tfjs,
          name,
        });
        const plain = outputPadding !== undefined || dilationRate.some((rate) => rate > 1);
        return floatInputs(plain ? plainTranspose(layer, geometry, tfjsName) : layer);
      },
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `Conv2DTranspose(filters, kernelSize, { strides, padding, outputPadding, dilationRate, activation, useBias, name })`.
 * @example Conv2DTranspose(32, 3, { strides: 2, padding: 'same' })(Input([7, 7, 64])) //=> SymbolicTensor<[14, 14, 32], 'float32', never>
 */
export function Conv2DTranspose<
  const Filters extends number,
  const Kernel extends Window2D,
  const Options extends Conv2DTransposeOptions = Record<never, never>,
>(
  filters: PositiveArg<'Conv2DTranspose', 'filters', Filters>,
  kernelSize: Kernel & WindowCheck<'Conv2DTranspose', 'kernelSize', Kernel>,
  options?: Options &
    NoInfer<WeightOptionsCheck<'Conv2DTranspose', Options>> &
    WindowOptionsCheck<'Conv2DTranspose', Options, 'strides' | 'dilationRate'> &
    StridesOrDilationCheck<'Conv2DTranspose', Options> &
    OutputPaddingCheck<'Conv2DTranspose', Options>,
): Layer<
  Conv2DTransposeRule<
    Filters,
    Pair<Kernel>,
    Pair<Opt<Options, 'strides', 1>>,
    Pair<Opt<Options, 'dilationRate', 1>>,
    Opt<Options, 'padding', 'valid'>,
    _OutputPadding<Opt<Options, 'outputPadding', 'none'>>
  >
>;
export function Conv2DTranspose(filters: unknown, kernelSize: unknown, options?: unknown): Layer<Rule> {
  return conv2dTransposeLayer(filters, kernelSize, options);
}

registerLayer('Conv2DTranspose', (config, name) =>
  conv2dTransposeLayer(config.filters, config.kernelSize, { ...config, ...named(name) }),
);
