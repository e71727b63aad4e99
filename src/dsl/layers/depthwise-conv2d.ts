// DepthwiseConv2D: each input channel convolved with its own depthMultiplier filters, [h, w, c] =>
// [h', w', c * depthMultiplier]. Keras 3: keras/src/layers/convolutional/base_depthwise_conv.py (kernel
// kernel_size + (channels, depth_multiplier), bias (channels * depth_multiplier,)).
import * as tf from '@tensorflow/tfjs';
import { fail, type OverflowMessage, type UnknownDimMessage } from '../../errors.ts';
import type { Mul } from '../../shapes/arithmetic.ts';
import type { Padding } from '../../shapes/conv.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { tfjsActivation } from '../activation-functions.ts';
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

export interface DepthwiseConv2DOptions extends BaseOptions {
  /** Filters per input channel. Default 1. */
  readonly depthMultiplier?: number;
  /** Default 1. */
  readonly strides?: Window2D;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Default 1. */
  readonly dilationRate?: Window2D;
  /** Default `'linear'`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Default `'glorotUniform'`. */
  readonly depthwiseInitializer?: Initializer;
  /** Default `'zeros'`. */
  readonly biasInitializer?: Initializer;
  /** Applied after each optimizer update, as in Keras. Default none. */
  readonly depthwiseConstraint?: Constraint;
  readonly biasConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly depthwiseRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

const why = 'it sizes the kernel';

/** A window rule's result with its channels multiplied. */
type _Multiplied<Out, Multiplier extends number, S extends Shape> =
  Out extends Ok<[...infer Spatial extends Dim[], infer Channels extends Dim], 'float32'>
    ? Channels extends number
      ? Mul<Channels, Multiplier> extends infer Total extends number
        ? Ok<[...Spatial, Total], 'float32'>
        : OverflowMessage<'DepthwiseConv2D', S>
      : Out
    : Out;

/**
 * [h, w, c] => [h', w', c * depthMultiplier], h' and w' as for Conv2D.
 * @example DepthwiseConv2DShape<[32, 32, 8], [3, 3], [1, 1], [1, 1], 'same', 2> //=> Ok<[32, 32, 16], 'float32'>
 */
export type DepthwiseConv2DShape<
  S extends Shape,
  Kernel extends [number, number],
  Strides extends [number, number],
  Dilation extends [number, number],
  Pad extends Padding,
  Multiplier extends number,
> = S extends readonly [Dim, Dim, null]
  ? UnknownDimMessage<'DepthwiseConv2D', -1, S, typeof why>
  : _Multiplied<WindowShape<'DepthwiseConv2D', 'kernel', S, Kernel, Strides, Dilation, Pad, 'same'>, Multiplier, S>;

export interface DepthwiseConv2DRule<
  in out Kernel extends [number, number],
  in out Strides extends [number, number],
  in out Dilation extends [number, number],
  in out Pad extends Padding,
  in out Multiplier extends number,
> extends Rule {
  readonly output: DepthwiseConv2DShape<InputOf<this>, Kernel, Strides, Dilation, Pad, Multiplier>;
}

/** The untyped implementation, which the typed signature and the loader call. */
function depthwiseConv2dLayer(kernelSize: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('DepthwiseConv2D', options);
  const kernel = window2D('DepthwiseConv2D', 'kernelSize', kernelSize);
  const depthMultiplier = positiveInteger('DepthwiseConv2D', 'depthMultiplier', opts.depthMultiplier ?? 1);
  const strides = window2D('DepthwiseConv2D', 'strides', opts.strides ?? 1);
  const dilationRate = window2D('DepthwiseConv2D', 'dilationRate', opts.dilationRate ?? 1);
  stridesOrDilation('DepthwiseConv2D', strides, dilationRate, {
    strides: opts.strides ?? 1,
    dilationRate: opts.dilationRate ?? 1,
  });
  const padding = oneOf('DepthwiseConv2D', 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const activation = oneOf('DepthwiseConv2D', 'activation', opts.activation ?? 'linear', activations);
  const useBias = boolean('DepthwiseConv2D', 'useBias', opts.useBias ?? true);
  const weighted = weightOptions(
    'DepthwiseConv2D',
    opts,
    ['depthwiseInitializer', 'biasInitializer'],
    ['depthwiseConstraint', 'biasConstraint'],
    ['depthwiseRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  const geometry = { sizes: kernel, strides, dilations: dilationRate };
  const spatial = (shape: readonly Dim[]): Dim[] => {
    if (shape.length === 3 && shape[2] === null)
      fail({ code: 'unknown-dim', layer: 'DepthwiseConv2D', axis: -1, received: shape, why });
    return windowShape('DepthwiseConv2D', 'kernel', shape, geometry, padding, 'same');
  };
  return unaryLayer(
    {
      className: 'DepthwiseConv2D',
      ...weighted.spec,
      config: {
        kernelSize: kernel,
        depthMultiplier,
        strides,
        padding,
        dilationRate,
        activation,
        useBias,
        ...weighted.config,
      },
      outputShape({ shape }) {
        const [rows = null, columns = null, channels = null] = spatial(shape);
        const total = (channels ?? 0) * depthMultiplier;
        if (!Number.isSafeInteger(total)) fail({ code: 'overflow', layer: 'DepthwiseConv2D', received: shape });
        return { shape: [rows, columns, total], dtype: 'float32' };
      },
      weights: ({ shape }) => [
        { name: 'depthwise_kernel', shape: [...kernel, shape[2] ?? 0, depthMultiplier], trainable: true },
        ...(useBias ? [{ name: 'bias', shape: [(shape[2] ?? 0) * depthMultiplier], trainable: true }] : []),
      ],
      lower: (name) =>
        floatInputs(
          tf.layers.depthwiseConv2d({
            kernelSize: kernel,
            depthMultiplier,
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
 * `DepthwiseConv2D(kernelSize, { depthMultiplier = 1, strides, padding, dilationRate, activation, useBias, name })`.
 * @example DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' })(Input([32, 32, 8])) //=> SymbolicTensor<[32, 32, 16], 'float32', never>
 */
export function DepthwiseConv2D<
  const Kernel extends Window2D,
  const Options extends DepthwiseConv2DOptions = Record<never, never>,
>(
  kernelSize: Kernel & WindowCheck<'DepthwiseConv2D', 'kernelSize', Kernel>,
  options?: Options &
    NoInfer<WeightOptionsCheck<'DepthwiseConv2D', Options>> &
    WindowOptionsCheck<'DepthwiseConv2D', Options, 'strides' | 'dilationRate' | 'depthMultiplier'> &
    StridesOrDilationCheck<'DepthwiseConv2D', Options>,
): Layer<
  DepthwiseConv2DRule<
    Pair<Kernel>,
    Pair<Opt<Options, 'strides', 1>>,
    Pair<Opt<Options, 'dilationRate', 1>>,
    Opt<Options, 'padding', 'valid'>,
    Opt<Options, 'depthMultiplier', 1>
  >
>;
export function DepthwiseConv2D(kernelSize: unknown, options?: unknown): Layer<Rule> {
  return depthwiseConv2dLayer(kernelSize, options);
}

registerLayer('DepthwiseConv2D', (config, name) =>
  depthwiseConv2dLayer(config.kernelSize, { ...config, ...named(name) }),
);
