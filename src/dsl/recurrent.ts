// What LSTM, GRU and SimpleRNN share: the [steps, features] shape rule, their options, and the weights, which
// differ only in the number of gates. Each recurrent layer's file supplies its gate count and tfjs lowering.

import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage, type RankMessage, type UnknownDimMessage } from '../errors.ts';
import type { Dim, IsUnknownRank, Shape, ShowShape } from '../shapes/dim.ts';
import { showShape } from '../shapes/dim.ts';
import { type TfjsActivation, tfjsActivation } from './activation-functions.ts';
import type { Constraint, TfConstraint } from './constraints.ts';
import type { Initializer, TfInitializer } from './initializers.ts';
import type { JsonValue } from './layer.ts';
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
  type Rule,
  type RuleCarrier,
  type TensorInfo,
} from './layer.ts';
import {
  type Activation,
  activations,
  type BaseOptions,
  boolean,
  oneOf,
  optionsObject,
  positiveInteger,
} from './options.ts';
import type { Regularizer, TfRegularizer } from './regularizers.ts';
import type { AnyTensor, DType, SymbolicTensor } from './tensor.ts';
import { weightOptions } from './weight-options.ts';

export interface RecurrentOptions extends BaseOptions {
  /** Return the output of every step ([steps, units]) rather than the last ([units]). Default `false`. */
  readonly returnSequences?: boolean;
  /** Also return the final state ([units] each: LSTM's h and c, GRU's and SimpleRNN's h). Default `false`. */
  readonly returnState?: boolean;
  /** Default `'tanh'`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Process the sequence in reverse. Default `false`. */
  readonly goBackwards?: boolean;
  /** Fraction of the inputs to drop, in [0, 1). Default 0. */
  readonly dropout?: number;
  /** Fraction of the recurrent state to drop, in [0, 1). Default 0. */
  readonly recurrentDropout?: number;
  /**
   * Keras's loop unrolling, a speed option: accepted and saved; tfjs's eager loop computes the same either way.
   * Default `false`.
   */
  readonly unroll?: boolean;
  /** Default `'glorotUniform'`. */
  readonly kernelInitializer?: Initializer;
  /** Default `'orthogonal'`. */
  readonly recurrentInitializer?: Initializer;
  /** Default `'zeros'`. */
  readonly biasInitializer?: Initializer;
  /** Applied after each optimizer update, as in Keras. Default none. */
  readonly kernelConstraint?: Constraint;
  readonly recurrentConstraint?: Constraint;
  readonly biasConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly kernelRegularizer?: Regularizer;
  readonly recurrentRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
  /** LSTM and GRU: the gates' activation. Default `'sigmoid'`, as Keras 3 (tfjs's default is `'hardSigmoid'`). */
  readonly recurrentActivation?: Activation;
  /** LSTM: start the forget gate's bias at 1 (Keras's unit_forget_bias). Default `true`, as Keras. */
  readonly unitForgetBias?: boolean;
  /**
   * GRU: apply the reset gate after the recurrent matmul, which then has a bias of its own (bias [2, 3 * units]).
   * Default `true`, as Keras 3; `false` is Keras 2's GRU (bias [3 * units]), as tfjs-layers computes it.
   */
  readonly resetAfter?: boolean;
}

type _Hint<S extends Shape> = S['length'] extends 1
  ? 'Reshape to [steps, 1] first, or an Embedding for token ids?'
  : 'Reshape to [steps, features] first, or TimeDistributed?';

/** The final states a recurrent layer returns with `returnState`: `States` of them, each [units]. */
export type StateOuts<Units extends number, States extends number> = States extends 2
  ? [Ok<[Units], 'float32'>, Ok<[Units], 'float32'>]
  : States extends 1
    ? [Ok<[Units], 'float32'>]
    : Ok<[Units], 'float32'>[];

/** The output alone, or with the states after it (`returnState`). */
type _WithStates<Out extends Ok<Shape, 'float32'>, Units extends number, States extends number> = States extends 0
  ? Out
  : [Out, ...StateOuts<Units, States>];

/**
 * [steps, features] => [units], or [steps, units] with returnSequences; with returnState, a list of the output
 * and `States` final states of [units]. A returnSequences typed `boolean` (from a config) may give either rank:
 * unknown rank, checked when the model is built.
 * @example RecurrentShape<'LSTM', [100, 128], 64, false> //=> Ok<[64], 'float32'>
 * @example RecurrentShape<'LSTM', [100, 128], 64, false, 2> //=> [Ok<[64], 'float32'>, Ok<[64], 'float32'>, Ok<[64], 'float32'>]
 */
export type RecurrentShape<
  Layer extends string,
  S extends Shape,
  Units extends number,
  Sequences extends boolean,
  States extends number = 0,
> = S extends readonly [infer Steps extends Dim, infer Features extends Dim]
  ? Features extends null
    ? UnknownDimMessage<Layer, -1, S, 'it sizes the kernel'>
    : _WithStates<
        Ok<boolean extends Sequences ? Dim[] : Sequences extends true ? [Steps, Units] : [Units], 'float32'>,
        Units,
        States
      >
  : RankMessage<Layer, '2', '[steps, features]', S, _Hint<S>>;

/** The rule of a recurrent layer; Bidirectional accepts layers with this rule only. */
export interface RecurrentRule<
  Layer extends string,
  Units extends number,
  Sequences extends boolean,
  States extends number = 0,
  StateCount extends number = 1,
> extends Rule {
  readonly recurrent: Layer;
  readonly units: Units;
  /** The states returned: 0, or StateCount with returnState. */
  readonly states: States;
  /** The states the layer has: LSTM 2 (h, c), GRU and SimpleRNN 1 (h). */
  readonly stateCount: StateCount;
  readonly output: RecurrentShape<Layer, InputOf<this>, Units, Sequences, States>;
  /** With returnState, the outputs for an input of unknown rank: still a list, so that it destructures. */
  readonly unknownRank: States extends 0 ? unknown : [Ok<Dim[], 'float32'>, ...StateOuts<Units, States>];
}

/** `returnSequences` as a type: `true` or `false` as the options literal says, `boolean` when it is typed so. */
export type Sequences<Options> = Options extends { readonly returnSequences: infer Value }
  ? [Exclude<Value, undefined>] extends [true]
    ? true
    : [Exclude<Value, undefined>] extends [false] | [never]
      ? false
      : boolean
  : false;

/** The number of states returned: `Count` when the options literal says `returnState: true`, else 0. */
export type ReturnedStates<Options, Count extends number> = Options extends { readonly returnState: infer Value }
  ? [Exclude<Value, undefined>] extends [true]
    ? Count
    : [Exclude<Value, undefined>] extends [false] | [never]
      ? 0
      : 0 | Count // typed boolean: the call gives a tensor or a list, for the user's code to tell apart
  : 0;

/** The names of a layer's states, for messages: LSTM's `h, c`, the others' `h`. */
type _StateNames<States extends number> = States extends 2 ? 'h, c' : 'h';

/**
 * `unknown` when `initialState` holds one [units] float32 tensor per state; the message otherwise, shown at the
 * state that is wrong.
 */
export type InitialStateCheck<
  Layer extends string,
  Units extends number,
  States extends number,
  Given extends readonly unknown[],
> = StatesCheck<Layer, [Units], States, Given>;

/**
 * `unknown` when `initialState` holds one float32 tensor of `StateShape` per state (ConvLSTM2D's [rows, cols,
 * filters]); the message otherwise, shown at the state that is wrong.
 */
export type StatesCheck<
  Layer extends string,
  StateShape extends Shape,
  States extends number,
  Given extends readonly unknown[],
> = number extends Given['length']
  ? unknown
  : Given['length'] extends States
    ? { readonly [Index in keyof Given]: _StateCheck<Layer, StateShape, States, Index & string, Given[Index]> }
    : {
        readonly error: OptionMessage<
          Layer,
          'initialState',
          `${States} tensor${States extends 1 ? '' : 's'} (${_StateNames<States>})`,
          `${Given['length']}`
        >;
      };

type _StateCheck<Layer extends string, StateShape extends Shape, States extends number, Index extends string, T> =
  T extends SymbolicTensor<infer S, infer D, string>
    ? IsUnknownRank<S> extends true
      ? T
      : [S, D] extends [Readonly<StateShape>, 'float32']
        ? T
        : OptionMessage<
            Layer,
            `initialState[${Index}]`,
            `${ShowShape<StateShape>} float32 (one per state: ${_StateNames<States>})`,
            `${ShowShape<S>} ${D}`
          >
    : T;

/** What every recurrent rule has, whatever its sizes: what RecurrentLayer and Bidirectional accept. */
export interface AnyRecurrentRule extends Rule {
  readonly recurrent: string;
  readonly units: number;
  readonly states: number;
  readonly stateCount: number;
}

/** A recurrent layer: called on a sequence, optionally with `{ initialState }`, one [units] tensor per state. */
export interface RecurrentLayer<R extends AnyRecurrentRule> extends LayerHandle, RuleCarrier<R> {
  // One signature (options optional), not two overloads: a union of layers (LSTM or GRU) stays callable.
  <const T, const States extends readonly AnyTensor[] = []>(
    input: LayerInput<R, T>,
    options?: InitialStateOption<R, States>,
  ): LayerOut<R, ArgShape<T>, ArgDType<T>, ArgSources<T> | StateSources<States>, CarriedError<T>>;
}

/** `{ initialState }`: one tensor per state, each checked (InitialStateCheck). */
export interface InitialStateOption<R extends AnyRecurrentRule, States extends readonly AnyTensor[]> {
  readonly initialState: States & NoInfer<InitialStateCheck<R['recurrent'], R['units'], _StateCount<R>, States>>;
}

/** The named Inputs the initial states depend on (not recursive: SourcesOf on a generic list is too deep). */
export type StateSources<States extends readonly AnyTensor[]> = [States[number]] extends [never]
  ? never
  : States[number] extends SymbolicTensor<Shape, DType, infer Sources>
    ? Sources
    : never;

/** How many states a layer has, whether or not it returns them: LSTM 2, the others 1. */
type _StateCount<R extends AnyRecurrentRule> = R['stateCount'];

export interface RecurrentConfig {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly activation: TfjsActivation;
  readonly useBias: boolean;
  readonly goBackwards: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly kernelInitializer?: TfInitializer;
  readonly recurrentInitializer?: TfInitializer;
  readonly biasInitializer?: TfInitializer;
  readonly kernelConstraint?: TfConstraint;
  readonly recurrentConstraint?: TfConstraint;
  readonly biasConstraint?: TfConstraint;
  readonly kernelRegularizer?: TfRegularizer;
  readonly recurrentRegularizer?: TfRegularizer;
  readonly biasRegularizer?: TfRegularizer;
  readonly name: string;
}

/** Checks a dropout fraction (`dropout`, `recurrentDropout`). */
export function fraction(layer: string, option: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value < 1) return value;
  return fail({ code: 'option', layer, option, expected: 'a number in [0, 1)', received: String(value) });
}

/** Refuses the recurrent options a layer does not have (SimpleRNN's recurrentActivation, as Keras does). */
export function refuseOptions(className: string, options: unknown, keys: readonly string[]): void {
  const opts = optionsObject(className, options);
  for (const key of keys)
    if (opts[key] !== undefined)
      fail({
        code: 'option',
        layer: className,
        option: key,
        expected: `absent (an option of ${key === 'unitForgetBias' ? 'LSTM' : key === 'resetAfter' ? 'GRU' : 'LSTM and GRU'} only)`,
        received: describe(opts[key]),
      });
}

/**
 * The losses of a tfjs recurrent layer: its cell's, which hold the penalties of the weight regularizers (tfjs's RNN
 * lists none of them, so they would count nowhere).
 */
export function cellLosses(layer: tf.layers.Layer): tf.layers.Layer['losses'] {
  return layer instanceof tf.RNN ? layer.cell.losses : layer.losses;
}

/** The tfjs recurrent layer, listing its cell's losses as its own. */
export function withCellLosses(layer: tf.layers.Layer): tf.layers.Layer {
  const losses = cellLosses(layer);
  Object.defineProperty(layer, 'losses', { get: () => losses });
  return layer;
}

/** What a recurrent layer's own file adds: its own options, checked (its config entries), and its bias's shape. */
export interface RecurrentOwn {
  readonly config?: { readonly [key: string]: JsonValue };
  /** The bias's shape for `units` (default [gates * units]; GRU's resetAfter has two biases, [2, 3 * units]). */
  readonly biasShape?: (units: number) => readonly number[];
}

/**
 * The value level of a recurrent layer with `gates` gates (LSTM 4, GRU 3, SimpleRNN 1) and `states` states
 * (LSTM 2, the others 1). A call reads the sequence, then the initial states if given (tfjs takes them the same
 * way: as the inputs after the first).
 */
export function recurrentLayer<R extends AnyRecurrentRule>(
  className: string,
  gates: number,
  states: number,
  units: unknown,
  options: unknown,
  lower: (config: RecurrentConfig) => tf.layers.Layer,
  own: RecurrentOwn = {},
): RecurrentLayer<R> {
  const opts = optionsObject(className, options);
  const size = positiveInteger(className, 'units', units);
  const returnSequences = boolean(className, 'returnSequences', opts.returnSequences ?? false);
  const returnState = boolean(className, 'returnState', opts.returnState ?? false);
  const activation = oneOf(className, 'activation', opts.activation ?? 'tanh', activations);
  const useBias = boolean(className, 'useBias', opts.useBias ?? true);
  const goBackwards = boolean(className, 'goBackwards', opts.goBackwards ?? false);
  const dropout = fraction(className, 'dropout', opts.dropout ?? 0);
  const recurrentDropout = fraction(className, 'recurrentDropout', opts.recurrentDropout ?? 0);
  const unroll = boolean(className, 'unroll', opts.unroll ?? false);
  const weighted = weightOptions(
    className,
    opts,
    ['kernelInitializer', 'recurrentInitializer', 'biasInitializer'],
    ['kernelConstraint', 'recurrentConstraint', 'biasConstraint'],
    ['kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  const config = {
    units: size,
    returnSequences,
    ...(returnState ? { returnState } : {}),
    activation,
    useBias,
    goBackwards,
    dropout,
    recurrentDropout,
  };
  const saved = { ...config, ...(unroll ? { unroll } : {}), ...own.config, ...weighted.config };
  const sequence = (inputs: readonly TensorInfo[]): TensorInfo => {
    const [input, ...initial] = inputs;
    if (input === undefined)
      return fail({ code: 'input-count', layer: className, expected: 'exactly 1', received: inputs.length });
    checkStates(className, states, [size], initial);
    return input;
  };
  const core = new LayerCore(
    {
      className,
      ...weighted.spec,
      config: saved,
      recurrent: true,
      outputShape(inputs) {
        const { shape } = sequence(inputs);
        const [steps, features] = shape;
        if (shape.length !== 2 || steps === undefined || features === undefined)
          fail({
            code: 'rank',
            layer: className,
            expected: '2',
            form: '[steps, features]',
            received: shape,
            hint:
              shape.length === 1
                ? 'Reshape to [steps, 1] first, or an Embedding for token ids?'
                : 'Reshape to [steps, features] first, or TimeDistributed?',
          });
        if (features === null)
          fail({ code: 'unknown-dim', layer: className, axis: -1, received: shape, why: 'it sizes the kernel' });
        const output: TensorInfo = { shape: returnSequences ? [steps, size] : [size], dtype: 'float32' };
        if (!returnState) return output;
        return [output, ...Array.from({ length: states }, (): TensorInfo => ({ shape: [size], dtype: 'float32' }))];
      },
      weights: (inputs) => {
        const { shape } = sequence(inputs);
        return [
          { name: 'kernel', shape: [shape[1] ?? 0, gates * size], trainable: true },
          { name: 'recurrent_kernel', shape: [size, gates * size], trainable: true },
          ...(useBias ? [{ name: 'bias', shape: own.biasShape?.(size) ?? [gates * size], trainable: true }] : []),
        ];
      },
      flops: (inputs) => {
        const { shape } = sequence(inputs);
        return 2 * gates * size * ((shape[1] ?? 0) + size) * (shape[0] ?? 1);
      },
      lower: (name) =>
        withCellLosses(
          lower({ ...config, activation: tfjsActivation(activation), returnState, ...weighted.tfjs, name }),
        ),
    },
    opts.name,
    opts.trainable,
  );
  function apply<const T, const States extends readonly AnyTensor[] = []>(
    input: LayerInput<R, T>,
    options?: InitialStateOption<R, States>,
  ): LayerOut<R, ArgShape<T>, ArgDType<T>, ArgSources<T> | StateSources<States>, CarriedError<T>>;
  function apply(input: unknown, options?: unknown): AnyTensor | AnyTensor[] {
    return callWithStates(core, states, input, options);
  }
  return layerHandle(apply, core);
}

const stateNames = (states: number): string => (states === 2 ? 'h, c' : 'h');

/**
 * Value-level twin of StatesCheck: the initial states given to a call (none, or one float32 tensor of `expected`
 * per state; an unknown size matches any).
 */
export function checkStates(
  className: string,
  states: number,
  expected: readonly Dim[],
  initial: readonly TensorInfo[],
): void {
  if (initial.length > 0 && initial.length !== states)
    fail({
      code: 'option',
      layer: className,
      option: 'initialState',
      expected: `${states} tensor${states === 1 ? '' : 's'} (${stateNames(states)})`,
      received: `${initial.length}`,
    });
  for (const [index, state] of initial.entries())
    if (
      state.dtype !== 'float32' ||
      state.shape.length !== expected.length ||
      state.shape.some((dim, axis) => dim !== null && expected[axis] !== null && dim !== expected[axis])
    )
      fail({
        code: 'option',
        layer: className,
        option: `initialState[${index}]`,
        expected: `${showShape(expected)} float32 (one per state: ${stateNames(states)})`,
        received: `${showShape(state.shape)} ${state.dtype}`,
      });
}

/** A recurrent layer's call: the sequence, then the initial states if `{ initialState }` gives them. */
export function callWithStates(
  core: LayerCore,
  states: number,
  input: unknown,
  options: unknown,
): AnyTensor | AnyTensor[] {
  if (options === undefined) return core.call([input]);
  const initial = optionsObject(core.className, options).initialState;
  if (!Array.isArray(initial))
    return fail({
      code: 'option',
      layer: core.className,
      option: 'initialState',
      expected: `a list of ${states} tensors (${stateNames(states)})`,
      received: describe(initial),
    });
  return core.call([input, ...initial]);
}
