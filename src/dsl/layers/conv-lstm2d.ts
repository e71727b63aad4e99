// ConvLSTM2D: an LSTM over [time, rows, cols, channels] whose input and recurrent transformations are 2-D
// convolutions (Keras 3, keras/src/layers/rnn/conv_lstm.py); its states h and c are [rows', cols', filters].
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type RankMessage, type UnknownDimMessage } from '../../errors.ts';
import type { Padding } from '../../shapes/conv.ts';
import type { Dim, IsUnknownRank, Shape } from '../../shapes/dim.ts';
import { tfjsActivation } from '../activation-functions.ts';
import { floatInputs } from '../float-inputs.ts';
import {
  type ArgDType,
  type ArgShape,
  type ArgSources,
  type CarriedError,
  type InputOf,
  LayerCore,
  type LayerHandle,
  type LayerInput,
  type LayerOut,
  layerHandle,
  type Ok,
  type PartsOf,
  type Rule,
  type RuleCarrier,
  type SeenParts,
  type TensorInfo,
  type Unchecked,
} from '../layer.ts';
import {
  activations,
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
import {
  callWithStates,
  checkStates,
  fraction,
  type RecurrentOptions,
  type ReturnedStates,
  type Sequences,
  type StateSources,
  type StatesCheck,
  withCellLosses,
} from '../recurrent.ts';
import { named, registerLayer } from '../registry.ts';
import type { AnyTensor, SymbolicTensor } from '../tensor.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';
import { type WindowShape, windowShape } from '../window.ts';

export interface ConvLSTM2DOptions
  extends Omit<RecurrentOptions, 'returnSequences' | 'returnState' | 'unroll' | 'resetAfter'> {
  /** Return h at every step ([time, rows', cols', filters]) rather than the last ([rows', cols', filters]). Default `false`. */
  readonly returnSequences?: boolean;
  /** Also return the final states h and c ([rows', cols', filters] each). Default `false`. */
  readonly returnState?: boolean;
  /** Of the input convolution (the recurrent one has stride 1 and `'same'` padding, as in Keras). Default 1. */
  readonly strides?: Window2D;
  /** Of the input convolution. Default `'valid'`. */
  readonly padding?: Padding;
  /** Of the input convolution. Default 1. */
  readonly dilationRate?: Window2D;
  /** Only `'channelsLast'`, the only layout kerats' layers read. Default `'channelsLast'`. */
  readonly dataFormat?: 'channelsLast';
  /** Only `false`: a stateful layer needs a fixed batch size, which kerats' shapes leave out. Default `false`. */
  readonly stateful?: false;
}

/**
 * [time, rows, cols, channels] => [time, rows', cols', filters], rows' and cols' by the convolution rule
 * (ConvLength): WindowShape over three axes, time a window of 1, so that a message names the axis of the whole input.
 */
type _Frame<
  S extends Shape,
  Filters extends number,
  Kernel extends [number, number],
  Strides extends [number, number],
  Dilation extends [number, number],
  Pad extends Padding,
> = S extends readonly [Dim, infer Rows extends Dim, infer Cols extends Dim, Dim]
  ? Rows extends null
    ? UnknownDimMessage<'ConvLSTM2D', 2, S, _Static>
    : Cols extends null
      ? UnknownDimMessage<'ConvLSTM2D', 3, S, _Static>
      : WindowShape<
          'ConvLSTM2D',
          'kernel',
          S,
          [1, Kernel[0], Kernel[1]],
          [1, Strides[0], Strides[1]],
          [1, Dilation[0], Dilation[1]],
          Pad,
          Filters
        >
  : RankMessage<'ConvLSTM2D', '4', '[time, rows, cols, channels]', S, _Hint<S>>;

type _Static = 'it sizes the states, as in Keras';
const staticWhy: _Static = 'it sizes the states, as in Keras';

type _Hint<S extends Shape> = S['length'] extends 3
  ? 'Reshape to [time, rows, cols, channels] first, or Conv2D for one image?'
  : 'Reshape to [time, rows, cols, channels] first?';

/** The output alone, or with the states h and c after it (`returnState`). */
type _Outputs<Frame, Sequences extends boolean, States extends number> =
  Frame extends Ok<[infer Time extends Dim, ...infer State extends Dim[]], 'float32'>
    ? States extends 0
      ? Ok<Sequences extends true ? [Time, ...State] : State, 'float32'>
      : [Ok<Sequences extends true ? [Time, ...State] : State, 'float32'>, Ok<State, 'float32'>, Ok<State, 'float32'>]
    : Frame;

/**
 * [time, rows, cols, channels] => [rows', cols', filters], or [time, rows', cols', filters] with returnSequences;
 * with returnState (`States` 2), a list of the output, h and c.
 * @example ConvLSTM2DShape<[10, 32, 32, 3], 16, [3, 3], [1, 1], [1, 1], 'valid', false> //=> Ok<[30, 30, 16], 'float32'>
 * @example ConvLSTM2DShape<[10, 32, 32, 3], 16, [3, 3], [1, 1], [1, 1], 'same', true> //=> Ok<[10, 32, 32, 16], 'float32'>
 */
export type ConvLSTM2DShape<
  S extends Shape,
  Filters extends number,
  Kernel extends [number, number],
  Strides extends [number, number],
  Dilation extends [number, number],
  Pad extends Padding,
  Sequences extends boolean,
  States extends number = 0,
> = _Outputs<_Frame<S, Filters, Kernel, Strides, Dilation, Pad>, Sequences, States>;

/** The shape of ConvLSTM2D's states h and c for an input: [rows', cols', filters], or the rule's message. */
export type ConvLSTM2DStateShape<
  S extends Shape,
  Filters extends number,
  Kernel extends [number, number],
  Strides extends [number, number],
  Dilation extends [number, number],
  Pad extends Padding,
> =
  _Frame<S, Filters, Kernel, Strides, Dilation, Pad> extends Ok<[Dim, ...infer State extends Dim[]], 'float32'>
    ? State
    : _Frame<S, Filters, Kernel, Strides, Dilation, Pad>;

export interface ConvLSTM2DRule<
  in out Filters extends number,
  in out Kernel extends [number, number],
  in out Strides extends [number, number],
  in out Dilation extends [number, number],
  in out Pad extends Padding,
  in out Sequences extends boolean,
  in out States extends number,
> extends Rule {
  readonly output: ConvLSTM2DShape<InputOf<this>, Filters, Kernel, Strides, Dilation, Pad, Sequences, States>;
  /** The shape every initial state must have. */
  readonly state: ConvLSTM2DStateShape<InputOf<this>, Filters, Kernel, Strides, Dilation, Pad>;
  /** With returnState, the outputs for an input of unknown rank: still a list, so that it destructures. */
  readonly unknownRank: States extends 0
    ? unknown
    : [Ok<Dim[], 'float32'>, Ok<[Dim, Dim, Filters], 'float32'>, Ok<[Dim, Dim, Filters], 'float32'>];
}

/** What every ConvLSTM2D rule has, whatever its sizes. */
export interface AnyConvLSTM2DRule extends Rule {
  readonly state: unknown;
}

/** `{ initialState }`: h and c, each [rows', cols', filters] float32 for this input (StatesCheck). */
export interface ConvLSTM2DStateOption<R extends AnyConvLSTM2DRule, T, States extends readonly AnyTensor[]> {
  readonly initialState: States & NoInfer<Unchecked<PartsOf<T>, SeenParts, _StatesCheck<R, T, States>, unknown>>;
}

type _StatesCheck<R extends AnyConvLSTM2DRule, T, States extends readonly AnyTensor[]> =
  T extends SymbolicTensor<infer S, infer D, string>
    ? IsUnknownRank<S> extends true
      ? unknown
      : (R & { readonly input: S; readonly dtype: D })['state'] extends infer State extends Shape
        ? StatesCheck<'ConvLSTM2D', State, 2, States>
        : unknown
    : unknown;

/** A ConvLSTM2D layer: called on a video, optionally with `{ initialState: [h, c] }`. */
export interface ConvLSTM2DLayer<R extends AnyConvLSTM2DRule> extends LayerHandle, RuleCarrier<R> {
  <const T, const States extends readonly AnyTensor[] = []>(
    input: LayerInput<R, T>,
    options?: ConvLSTM2DStateOption<R, T, States>,
  ): LayerOut<R, ArgShape<T>, ArgDType<T>, ArgSources<T> | StateSources<States>, CarriedError<T>>;
}

/**
 * `ConvLSTM2D(filters, kernelSize, { strides, padding, dilationRate, returnSequences, returnState, activation,
 * recurrentActivation, useBias, unitForgetBias, goBackwards, dropout, recurrentDropout, kernelInitializer, ..., name })`.
 * Parameters: 4 * filters * kh * kw * (channels + filters), and 4 * filters with a bias.
 * @example ConvLSTM2D(16, 3)(Input([10, 32, 32, 3])) //=> SymbolicTensor<[30, 30, 16], 'float32', never>
 * @example ConvLSTM2D(16, 3, { padding: 'same', returnSequences: true })(Input([10, 32, 32, 3])) //=> SymbolicTensor<[10, 32, 32, 16], 'float32', never>
 */
export function ConvLSTM2D<
  const Filters extends number,
  const Kernel extends Window2D,
  const Options extends ConvLSTM2DOptions = Record<never, never>,
>(
  filters: PositiveArg<'ConvLSTM2D', 'filters', Filters>,
  kernelSize: Kernel & WindowCheck<'ConvLSTM2D', 'kernelSize', Kernel>,
  options?: Options &
    NoInfer<WeightOptionsCheck<'ConvLSTM2D', Options>> &
    WindowOptionsCheck<'ConvLSTM2D', Options, 'strides' | 'dilationRate'> &
    StridesOrDilationCheck<'ConvLSTM2D', Options>,
): ConvLSTM2DLayer<
  ConvLSTM2DRule<
    Filters,
    Pair<Kernel>,
    Pair<Opt<Options, 'strides', 1>>,
    Pair<Opt<Options, 'dilationRate', 1>>,
    Opt<Options, 'padding', 'valid'>,
    Sequences<Options>,
    ReturnedStates<Options, 2>
  >
> {
  return convLSTM2DLayer(filters, kernelSize, options);
}

/** ConvLSTM2D from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function convLSTM2DLayer<R extends AnyConvLSTM2DRule>(
  filters: unknown,
  kernelSize: unknown,
  options: unknown,
): ConvLSTM2DLayer<R> {
  const layer = 'ConvLSTM2D';
  const opts = optionsObject(layer, options);
  const count = positiveInteger(layer, 'filters', filters);
  const kernel = window2D(layer, 'kernelSize', kernelSize);
  const strides = window2D(layer, 'strides', opts.strides ?? 1);
  const dilationRate = window2D(layer, 'dilationRate', opts.dilationRate ?? 1);
  stridesOrDilation(layer, strides, dilationRate, {
    strides: opts.strides ?? 1,
    dilationRate: opts.dilationRate ?? 1,
  });
  const padding = oneOf(layer, 'padding', opts.padding ?? 'valid', ['valid', 'same']);
  const dataFormat = oneOf(layer, 'dataFormat', opts.dataFormat ?? 'channelsLast', ['channelsLast']);
  if (opts.stateful !== undefined && opts.stateful !== false)
    fail({
      code: 'option',
      layer,
      option: 'stateful',
      expected: 'false (a stateful layer needs a fixed batch size, which kerats leaves out)',
      received: describe(opts.stateful),
    });
  if (opts.unroll !== undefined)
    fail({
      code: 'option',
      layer,
      option: 'unroll',
      expected: 'absent (a convolutional recurrent layer does not unroll, in Keras or tfjs)',
      received: describe(opts.unroll),
    });
  const activation = oneOf(layer, 'activation', opts.activation ?? 'tanh', activations);
  const recurrentActivation = oneOf(layer, 'recurrentActivation', opts.recurrentActivation ?? 'sigmoid', activations);
  const useBias = boolean(layer, 'useBias', opts.useBias ?? true);
  const unitForgetBias = boolean(layer, 'unitForgetBias', opts.unitForgetBias ?? true);
  const returnSequences = boolean(layer, 'returnSequences', opts.returnSequences ?? false);
  const returnState = boolean(layer, 'returnState', opts.returnState ?? false);
  const goBackwards = boolean(layer, 'goBackwards', opts.goBackwards ?? false);
  const dropout = fraction(layer, 'dropout', opts.dropout ?? 0);
  const recurrentDropout = fraction(layer, 'recurrentDropout', opts.recurrentDropout ?? 0);
  const weighted = weightOptions(
    layer,
    opts,
    ['kernelInitializer', 'recurrentInitializer', 'biasInitializer'],
    ['kernelConstraint', 'recurrentConstraint', 'biasConstraint'],
    ['kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  // Time is a window of 1: the convolution rule leaves it as it is, and messages number the input's own axes.
  const geometry = { sizes: [1, ...kernel], strides: [1, ...strides], dilations: [1, ...dilationRate] };
  /** The input, its steps and the states' shape [rows', cols', filters]; checks the initial states given. */
  const frame = (inputs: readonly TensorInfo[]): { input: TensorInfo; steps: Dim; state: readonly Dim[] } => {
    const [input, ...initial] = inputs;
    if (input === undefined)
      return fail({ code: 'input-count', layer, expected: 'exactly 1', received: inputs.length });
    const { shape } = input;
    if (shape.length !== 4)
      fail({
        code: 'rank',
        layer,
        expected: '4',
        form: '[time, rows, cols, channels]',
        received: shape,
        hint:
          shape.length === 3
            ? 'Reshape to [time, rows, cols, channels] first, or Conv2D for one image?'
            : 'Reshape to [time, rows, cols, channels] first?',
      });
    for (const axis of [1, 2])
      if (shape[axis] === null) fail({ code: 'unknown-dim', layer, axis: axis + 1, received: shape, why: staticWhy });
    const [steps = null, ...state] = windowShape(layer, 'kernel', shape, geometry, padding, count);
    checkStates(layer, 2, state, initial);
    return { input, steps, state };
  };
  const config = {
    filters: count,
    kernelSize: kernel,
    strides,
    padding,
    dataFormat,
    dilationRate,
    activation,
    recurrentActivation,
    useBias,
    unitForgetBias,
    returnSequences,
    returnState,
    goBackwards,
    dropout,
    recurrentDropout,
  };
  const core = new LayerCore(
    {
      className: layer,
      ...weighted.spec,
      config: { ...config, ...weighted.config },
      outputShape(inputs) {
        const { steps, state } = frame(inputs);
        const output: TensorInfo = { shape: returnSequences ? [steps, ...state] : state, dtype: 'float32' };
        if (!returnState) return output;
        return [output, { shape: state, dtype: 'float32' }, { shape: state, dtype: 'float32' }];
      },
      weights(inputs) {
        const channels = frame(inputs).input.shape[3] ?? 0;
        return [
          { name: 'kernel', shape: [...kernel, channels, 4 * count], trainable: true },
          { name: 'recurrent_kernel', shape: [...kernel, count, 4 * count], trainable: true },
          ...(useBias ? [{ name: 'bias', shape: [4 * count], trainable: true }] : []),
        ];
      },
      flops(inputs) {
        const { input, steps, state } = frame(inputs);
        const [rows = null, cols = null] = state;
        const perPosition = 2 * 4 * count * kernel[0] * kernel[1] * ((input.shape[3] ?? 0) + count);
        return perPosition * (rows ?? 1) * (cols ?? 1) * (steps ?? 1);
      },
      lower: (name) =>
        withCellLosses(
          withStateShapes(
            floatInputs(
              tf.layers.convLstm2d({
                ...config,
                activation: tfjsActivation(activation),
                recurrentActivation: tfjsActivation(recurrentActivation),
                ...weighted.tfjs,
                name,
              }),
            ),
          ),
        ),
    },
    opts.name,
    opts.trainable,
  );
  function apply<const T, const States extends readonly AnyTensor[] = []>(
    input: LayerInput<R, T>,
    options?: ConvLSTM2DStateOption<R, T, States>,
  ): LayerOut<R, ArgShape<T>, ArgDType<T>, ArgSources<T> | StateSources<States>, CarriedError<T>>;
  function apply(input: unknown, options?: unknown): AnyTensor | AnyTensor[] {
    return callWithStates(core, 2, input, options);
  }
  return layerHandle(apply, core);
}

/**
 * tfjs's ConvLSTM2D, given initial states, is given the list of the input's and the states' shapes, and reads the
 * list as one shape (its computeOutputShape lacks the first step of tfjs's RNN's, which takes the input's): the
 * same step, added.
 */
function withStateShapes(layer: tf.layers.Layer): tf.layers.Layer {
  const compute = layer.computeOutputShape.bind(layer);
  layer.computeOutputShape = (shape) => {
    const [first] = shape;
    return compute(Array.isArray(first) ? first : shape);
  };
  return layer;
}

registerLayer('ConvLSTM2D', (config, name) =>
  convLSTM2DLayer(config.filters, config.kernelSize, { ...config, ...named(name) }),
);
