// Conv3DTranspose: the transposed 3-D convolution, which grows [depth, height, width, channels] by its strides.
// Keras 3: keras/src/layers/convolutional/conv3d_transpose.py and base_conv_transpose.py (kernel of shape
// kernel_size + (filters, channels), bias (filters,); outputPadding below strides; strides and dilation not both
// above 1), keras/src/backend/common/backend_utils.py (the output size: TransposeLength). It keeps tfjs's
// Conv3DTranspose for its weights and saved form, but computes with src/dsl/transpose.ts: tfjs's op has no
// gradient (none is registered for Conv3DBackpropInputV2), neither outputPadding nor dilation, and with
// padding 'same' and a kernel smaller than its stride it shifts the output by one step (TensorFlow does not).
import * as tf from '@tensorflow/tfjs';
import {
  describe,
  fail,
  type OptionConflictMessage,
  type OverflowMessage,
  type RankMessage,
  type UnknownDimMessage,
} from '../../errors.ts';
import type { Padding, TransposeLength } from '../../shapes/conv.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { type TfjsActivation, tfjsActivation } from '../activation-functions.ts';
import { floatInputs } from '../float-inputs.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
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
  type WindowOptionsCheck,
  window3D,
} from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import { convTranspose, type TransposeGeometry, type TransposeOptionsBad, transposeSizes } from '../transpose.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';

export interface Conv3DTransposeOptions extends BaseOptions {
  /** Default 1. */
  readonly strides?: Window3D;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Extra steps at the end of each spatial axis of the output, below the strides. Default: none (Keras's `None`). */
  readonly outputPadding?: Window3D;
  /** Default 1. */
  readonly dilationRate?: Window3D;
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

const hint = 'Reshape to [depth, height, width, channels] first?';
const paddingRule = 'do not fit: outputPadding must be smaller than strides on every axis';
const stridesRule = 'cannot both exceed 1; set one of them to 1';

type _Padded<Written> = Written extends Window3D ? Triple<Written> : ['none', 'none', 'none'];

/**
 * [d, h, w, c] => [d', h', w', filters], each spatial size by TransposeLength.
 * @example Conv3DTransposeShape<[4, 8, 8, 16], 8, [3, 3, 3], [2, 2, 2], [1, 1, 1], 'same', ['none', 'none', 'none']> //=> Ok<[8, 16, 16, 8], 'float32'>
 */
export type Conv3DTransposeShape<
  S extends Shape,
  Filters extends number,
  Kernel extends [number, number, number],
  Strides extends [number, number, number],
  Dilation extends [number, number, number],
  Pad extends Padding,
  OutputPadding extends [number | 'none', number | 'none', number | 'none'],
> =
  TransposeOptionsBad<Strides, Dilation, OutputPadding> extends true
    ? Ok<Dim[], 'float32'> // the options have an error of their own
    : S extends readonly [
          infer Depth extends Dim,
          infer Height extends Dim,
          infer Width extends Dim,
          infer Channels extends Dim,
        ]
      ? Channels extends null
        ? UnknownDimMessage<'Conv3DTranspose', -1, S, 'it sizes the kernel'>
        : [
              TransposeLength<Depth, Kernel[0], Strides[0], Dilation[0], Pad, OutputPadding[0]>,
              TransposeLength<Height, Kernel[1], Strides[1], Dilation[1], Pad, OutputPadding[1]>,
              TransposeLength<Width, Kernel[2], Strides[2], Dilation[2], Pad, OutputPadding[2]>,
            ] extends [infer Deep extends Dim, infer Rows extends Dim, infer Columns extends Dim]
          ? Ok<[Deep, Rows, Columns, Filters], 'float32'>
          : OverflowMessage<'Conv3DTranspose', S>
      : RankMessage<'Conv3DTranspose', '4', '[depth, height, width, channels]', S, typeof hint>;

export interface Conv3DTransposeRule<
  in out Filters extends number,
  in out Kernel extends [number, number, number],
  in out Strides extends [number, number, number],
  in out Dilation extends [number, number, number],
  in out Pad extends Padding,
  in out OutputPadding extends [number | 'none', number | 'none', number | 'none'],
> extends Rule {
  readonly output: Conv3DTransposeShape<InputOf<this>, Filters, Kernel, Strides, Dilation, Pad, OutputPadding>;
}

type _Written<Size> = Size extends number
  ? Size
  : Size extends readonly [infer First extends number, infer Second extends number, infer Third extends number]
    ? `[${First}, ${Second}, ${Third}]`
    : never;

type _Triple<Size> = Size extends Window3D ? Triple<Size> : [number, number, number];
type _Strides<Options> = _Triple<Opt<Options, 'strides', 1>>;

/**
 * Errors at the options where their literals can be seen to break Keras's rules: strides and dilationRate both
 * above 1 (reported alone, first, as the runtime does), or an outputPadding that reaches its stride.
 */
export type Transpose3DOptionsCheck<Layer extends string, Options> =
  TransposeOptionsBad<
    _Strides<Options>,
    _Triple<Opt<Options, 'dilationRate', 1>>,
    ['none', 'none', 'none']
  > extends true
    ? {
        readonly dilationRate: {
          readonly error: OptionConflictMessage<
            Layer,
            'strides',
            'dilationRate',
            [_Written<Opt<Options, 'strides', 1>>, _Written<Opt<Options, 'dilationRate', 1>>],
            typeof stridesRule
          >;
        };
      }
    : Options extends { readonly outputPadding: infer Written extends Window3D }
      ? TransposeOptionsBad<_Strides<Options>, [1, 1, 1], Triple<Written>> extends true
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

function counts3D(value: unknown): [number, number, number] {
  const isCount = (item: unknown): item is number => Number.isSafeInteger(item) && Number(item) >= 0;
  if (isCount(value)) return [value, value, value];
  if (Array.isArray(value) && value.length === 3) {
    const [first, second, third]: unknown[] = value;
    if (isCount(first) && isCount(second) && isCount(third)) return [first, second, third];
  }
  return fail({
    code: 'option',
    layer: 'Conv3DTranspose',
    option: 'outputPadding',
    expected: 'non-negative integers',
    received: describe(value),
  });
}

function spatialOut(shape: readonly Dim[], geometry: TransposeGeometry): Dim[] {
  return shape
    .slice(0, 3)
    .map((length, axis) => (length === null ? null : (transposeSizes([length], axisOf(geometry, axis))[0] ?? null)));
}

/** One axis of the geometry, for the one-axis arithmetic. */
function axisOf(geometry: TransposeGeometry, axis: number): TransposeGeometry {
  const pick = (values: readonly number[]) => [values[axis] ?? 1];
  return {
    kernel: pick(geometry.kernel),
    strides: pick(geometry.strides),
    dilations: pick(geometry.dilations),
    padding: geometry.padding,
    outputPadding: geometry.outputPadding === undefined ? undefined : pick(geometry.outputPadding),
  };
}

/** tfjs's layer, its shape rule and computation replaced by Keras's (its weights stay). */
function computed(
  layer: tf.layers.Layer,
  geometry: TransposeGeometry,
  filters: number,
  activation: TfjsActivation,
): tf.layers.Layer {
  const activate = tf.layers.activation({ activation });
  layer.computeOutputShape = (inputShape) => {
    const [batch = null, ...rest] = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
    const known = (dim: unknown): Dim => (typeof dim === 'number' ? dim : null);
    return [known(batch), ...spatialOut(rest.map(known), geometry), filters];
  };
  layer.call = (inputs) =>
    tf.tidy(() => {
      const [x] = Array.isArray(inputs) ? inputs : [inputs];
      const [kernel, bias] = layer.weights.map((weight) => weight.read());
      if (x === undefined || kernel === undefined) throw new Error(`kerats: ${layer.name} has no input or kernel`);
      const y = convTranspose(x, kernel, geometry);
      const out = activate.apply(bias === undefined ? y : tf.add(y, bias));
      if (!(out instanceof tf.Tensor)) throw new Error(`kerats: ${layer.name} did not compute one tensor`);
      return out;
    });
  return layer;
}

/** The untyped implementation, which the typed signature and the loader call. */
function conv3dTransposeLayer(filters: unknown, kernelSize: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Conv3DTranspose', options);
  const count = positiveInteger('Conv3DTranspose', 'filters', filters);
  const kernel = window3D('Conv3DTranspose', 'kernelSize', kernelSize);
  const strides = window3D('Conv3DTranspose', 'strides', opts.strides ?? 1);
  const dilationRate = window3D('Conv3DTranspose', 'dilationRate', opts.dilationRate ?? 1);
  stridesOrDilation('Conv3DTranspose', strides, dilationRate, {
    strides: opts.strides ?? 1,
    dilationRate: opts.dilationRate ?? 1,
  });
  const padding = oneOf('Conv3DTranspose', 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const outputPadding =
    opts.outputPadding === undefined || opts.outputPadding === null ? undefined : counts3D(opts.outputPadding);
  if (outputPadding?.some((size, axis) => size >= (strides[axis] ?? 1)))
    fail({
      code: 'option-conflict',
      layer: 'Conv3DTranspose',
      options: ['outputPadding', 'strides'],
      received: [describe(opts.outputPadding), describe(opts.strides ?? 1)],
      rule: paddingRule,
    });
  const activation = oneOf('Conv3DTranspose', 'activation', opts.activation ?? 'linear', activations);
  const useBias = boolean('Conv3DTranspose', 'useBias', opts.useBias ?? true);
  const weighted = weightOptions(
    'Conv3DTranspose',
    opts,
    [],
    [],
    ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  const geometry: TransposeGeometry = { kernel, strides, dilations: dilationRate, padding, outputPadding };
  return unaryLayer(
    {
      className: 'Conv3DTranspose',
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
        if (shape.length !== 4)
          fail({
            code: 'rank',
            layer: 'Conv3DTranspose',
            expected: '4',
            form: '[depth, height, width, channels]',
            received: shape,
            hint,
          });
        if (shape[3] === null)
          fail({
            code: 'unknown-dim',
            layer: 'Conv3DTranspose',
            axis: -1,
            received: shape,
            why: 'it sizes the kernel',
          });
        const out = spatialOut(shape, geometry);
        if (!out.every((size) => size === null || Number.isSafeInteger(size)))
          fail({ code: 'overflow', layer: 'Conv3DTranspose', received: shape });
        return { shape: [...out, count], dtype: 'float32' };
      },
      weights: ({ shape }) => [
        { name: 'kernel', shape: [...kernel, count, shape[3] ?? 0], trainable: true },
        ...(useBias ? [{ name: 'bias', shape: [count], trainable: true }] : []),
      ],
      flops: ({ shape }) =>
        2 *
        kernel[0] *
        kernel[1] *
        kernel[2] *
        (shape[3] ?? 0) *
        count *
        (shape[0] ?? 1) *
        (shape[1] ?? 1) *
        (shape[2] ?? 1),
      lower: (name) => {
        const tfjsName = tfjsActivation(activation);
        const layer = tf.layers.conv3dTranspose({
          filters: count,
          kernelSize: kernel,
          strides,
          padding,
          activation: tfjsName,
          useBias,
          ...weighted.tfjs,
          name,
        });
        return floatInputs(computed(layer, geometry, count, tfjsName));
      },
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `Conv3DTranspose(filters, kernelSize, { strides, padding, outputPadding, dilationRate, activation, useBias, name })`.
 * @example Conv3DTranspose(8, 3, { strides: 2, padding: 'same' })(Input([4, 8, 8, 16])) //=> SymbolicTensor<[8, 16, 16, 8], 'float32', never>
 */
export function Conv3DTranspose<
  const Filters extends number,
  const Kernel extends Window3D,
  const Options extends Conv3DTransposeOptions = Record<never, never>,
>(
  filters: PositiveArg<'Conv3DTranspose', 'filters', Filters>,
  kernelSize: Kernel,
  options?: Options &
    WindowOptionsCheck<'Conv3DTranspose', Options, 'strides' | 'dilationRate'> &
    Transpose3DOptionsCheck<'Conv3DTranspose', Options> &
    NoInfer<WeightOptionsCheck<'Conv3DTranspose', Options>>,
): Layer<
  Conv3DTransposeRule<
    Filters,
    Triple<Kernel>,
    Triple<Opt<Options, 'strides', 1>>,
    Triple<Opt<Options, 'dilationRate', 1>>,
    Opt<Options, 'padding', 'valid'>,
    _Padded<Opt<Options, 'outputPadding', 'none'>>
  >
>;
export function Conv3DTranspose(filters: unknown, kernelSize: unknown, options?: unknown): Layer<Rule> {
  return conv3dTransposeLayer(filters, kernelSize, options);
}

registerLayer('Conv3DTranspose', (config, name) =>
  conv3dTransposeLayer(config.filters, config.kernelSize, { ...config, ...named(name) }),
);
