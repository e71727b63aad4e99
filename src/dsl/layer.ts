// What every layer shares: the shape of a type-level rule, the callable layer object, and the runtime core
// that validates a call, builds the layer's weights and records the call in the graph. Nothing here knows
// which layer it is running; each layer answers through its LayerSpec (value level) and its Rule (type level).
import type * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../errors.ts';
import type { Dim, IsUnknownRank, Shape } from '../shapes/dim.ts';
import type { Functional } from './model.ts';
import type { ResolvedRegularizer } from './regularizers.ts';
import { type AnyTensor, type DType, type GraphNode, isTensor, SymbolicTensor } from './tensor.ts';

// ---------------------------------------------------------------------------------------------------------
// Type level. A layer's shape rule is an interface extending Rule whose `output` reads `this['input']` and
// `this['dtype']`: a type-level function the compiler applies with Apply, and that wrappers
// (Bidirectional, TimeDistributed) can apply to shapes of their own.

/**
 * A single-input layer's shape rule: `output` is Ok<shape, dtype> or the error message. `input` and `dtype` are
 * declared `unknown` so that applying the rule (an intersection) leaves exactly the applied types; rules read
 * them through InputOf and DTypeOf.
 */
export interface Rule {
  readonly input: unknown;
  readonly dtype: unknown;
  readonly output: unknown;
}

/** The input shape a rule is applied to. */
export type InputOf<R extends Rule> = R['input'] extends infer S extends Shape ? S : never;

/** The input dtype a rule is applied to. */
export type DTypeOf<R extends Rule> = R['dtype'] extends infer D extends DType ? D : never;

/** A rule's successful result. */
export interface Ok<S extends Shape, D extends DType> {
  readonly shape: S;
  readonly dtype: D;
}

/**
 * A rule's output shape as the call's result carries it: a union of shapes (from options typed as a union, such as
 * `padding: 'same' | 'valid'` or `flag ? 2 : 3`) becomes one shape whose axes that differ are `number` (null where
 * one of them is null), or a shape of unknown rank when the ranks differ. So the next layer never meets a union,
 * whose every member it would have to accept: what the compiler cannot see is checked when the model is built.
 * @example Widened<[26, 26, 8] | [28, 28, 8]> //=> [number, number, 8]
 */
export type Widened<Out extends Shape> =
  _IsUnion<Out> extends true ? (_IsUnion<Out['length']> extends true ? Dim[] : _WidenAxes<Out, []>) : Out;

type _WidenAxes<Out extends Shape, Done extends Dim[]> = Done['length'] extends Out['length']
  ? Done
  : _WidenAxes<Out, [...Done, _WidenDim<Out[Done['length']]>]>;

type _WidenDim<D> = _IsUnion<D> extends true ? (null extends D ? null : number) : D;

type _IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never;

/** The successful result of a rule with several outputs (an LSTM with `returnState`): one Ok per output. */
export type OkList = readonly [Ok<Shape, DType>, ...Ok<Shape, DType>[]];

/** The tensors of a several-output result, in order. */
export type TensorsOf<Outs extends readonly unknown[], Sources extends string> = {
  -readonly [Index in keyof Outs]: Outs[Index] extends Ok<infer Out extends Shape, infer OutDType extends DType>
    ? SymbolicTensor<Widened<Out>, OutDType, Sources>
    : never;
};

/** Applies a rule to an input shape and dtype. */
export type Apply<R extends Rule, S extends Shape, D extends DType> = (R & {
  readonly input: S;
  readonly dtype: D;
})['output'];

/**
 * The parameter type of a layer call: the tensor itself when the rule accepts it, else the rule's message, so the
 * compiler reports the message at the call that is wrong. A tensor of unknown rank is accepted unchecked.
 */
export type LayerArg<R extends Rule, S extends Shape, D extends DType, Sources extends string> =
  IsUnknownRank<S> extends true
    ? SymbolicTensor<S, D, Sources>
    : Apply<R, S, D> extends Ok<Shape, DType> | OkList
      ? SymbolicTensor<S, D, Sources>
      : Apply<R, S, D>;

/**
 * The parameter type of a call of a single-input layer on `T`: T itself, intersected with the rule's message
 * where the compiler can see that the rule rejects T, so that the compiler reports the message at the call that
 * is wrong. Where T holds a type parameter (inside a helper generic over its input) the check waits for the
 * helper's call (see Unchecked). The check is NoInfer: T is inferred from the argument alone.
 */
export type LayerInput<R extends Rule, T> = T & NoInfer<Unchecked<PartsOf<T>, SeenParts, _LayerCheck<R, T>, unknown>>;

type _LayerCheck<R extends Rule, T> =
  T extends SymbolicTensor<infer S, infer D, string>
    ? IsUnknownRank<S> extends true
      ? unknown
      : Apply<R, S, D> extends Ok<Shape, DType> | OkList
        ? unknown
        : Apply<R, S, D>
    : AnyTensor;

/**
 * The result of a layer call: a tensor, or a tuple of them for a layer with several outputs. After an error it
 * is a tensor of unknown rank, which every later layer accepts, so one mistake is reported once rather than at
 * every call after it. A rule with several outputs says how many for an input of unknown rank (`unknownRank`).
 */
export type LayerOut<R extends Rule, S extends Shape, D extends DType, Sources extends string, Carried = unknown> =
  IsUnknownRank<S> extends true
    ? R extends { readonly unknownRank: infer Outs extends OkList }
      ? TensorsOf<Outs, Sources>
      : SymbolicTensor<Dim[], DType, Sources> & Carried
    : Apply<R, S, D> extends Ok<infer Out extends Shape, infer OutDType extends DType>
      ? SymbolicTensor<Widened<Out>, OutDType, Sources>
      : Apply<R, S, D> extends infer Outs extends OkList
        ? TensorsOf<Outs, Sources>
        : Apply<R, S, D> extends Ok<Shape, DType> | OkList
          ? _EitherOut<Apply<R, S, D>, Sources> // an option typed boolean (returnState): either form
          : SymbolicTensor<Dim[], DType, Sources> & RuleError<Apply<R, S, D>>;

type _EitherOut<Out, Sources extends string> =
  Out extends Ok<infer Shape_ extends Shape, infer OutDType extends DType>
    ? SymbolicTensor<Widened<Shape_>, OutDType, Sources>
    : Out extends OkList
      ? TensorsOf<Out, Sources>
      : never;

declare const ruleErrorKey: unique symbol;

/**
 * Phantom, on the tensor of unknown rank a rejected call gives: the rule's message. Every layer accepts the tensor,
 * so a mistake is reported once; where the mistake is inside a helper generic over its input, the call that is
 * wrong cannot report it (the compiler checks the helper's body once, for every input), and this is where the
 * sentence shows: in the type the helper returns at the call that causes it, and in the error where that result
 * is pinned to a shape.
 */
export interface RuleError<Message> {
  readonly [ruleErrorKey]?: Message;
}

/** LayerOut for a call on `T` (a tensor type, or a type parameter standing for one), passing on its RuleError. */
export type LayerOutOf<R extends Rule, T> = LayerOut<R, ArgShape<T>, ArgDType<T>, ArgSources<T>, CarriedError<T>>;

/** RuleError of the messages the given tensor types carry (`unknown` where none does): passed on by every call. */
export type CarriedError<Tensors> = [_Carried<Tensors>] extends [never] ? unknown : RuleError<_Carried<Tensors>>;

type _Carried<Tensors> = Tensors extends { readonly [ruleErrorKey]?: infer Message extends string } ? Message : never;

/**
 * A parameter the compiler can check only where it can see the call's inputs: `Checked` where `Probe` fits
 * `Seen` (no type parameter in it), `Generic` where it holds a type parameter. Inside a helper generic over its
 * input (`function block<const T extends AnyTensor>(x: T)`) every rule stays unevaluated until the helper is
 * called; there the parameter is `Generic` (the argument itself, or `unknown`), the call compiles, and its result
 * is the rule's, evaluated at each call of the helper, so the helper's callers see exact shapes, and a wiring
 * mistake inside it shows in the type the helper returns; the runtime checks the call when the model is built,
 * with the same sentence. How: `[Probe] extends [Seen]` is decided at once where Probe holds no type parameter,
 * picking the index signature (`Checked`); where it holds one, the key is a deferred conditional type, and
 * TypeScript reads a deferred key through its constraint, from which an `any` branch is left out: `'generic'`.
 * A probe must not be a tuple (`[PartsOf<A>, PartsOf<B>]`): TypeScript decides a tuple of deferred types at
 * once, through their constraints. A union (`PartsOf<A> | PartsOf<B>`) or one conditional type waits.
 */
export type Unchecked<Probe, Seen, Checked, Generic> = ({ readonly generic: Generic } & {
  readonly [key: string]: Checked;
})[_GenericKey<Probe, Seen>];

// biome-ignore lint/suspicious/noExplicitAny: the key TypeScript leaves out of a deferred key's constraint (see Unchecked).
type _GenericKey<Probe, Seen> = [Probe] extends [Seen] ? any : 'generic';

/** A tensor type's shape, dtype and sources (`[]` for anything else): what Unchecked probes. */
export type PartsOf<T> = T extends SymbolicTensor<infer S, infer D, infer Sources> ? [S, D, Sources] : [];

/** What PartsOf gives for a value whose type the compiler can see. */
export type SeenParts = readonly [Shape, DType, string] | readonly [];

/** The shape, dtype and named inputs of a call's argument type (those of unknown rank for a non-tensor). */
export type ArgShape<T> = T extends SymbolicTensor<infer S, DType, string> ? S : Dim[];
export type ArgDType<T> = T extends SymbolicTensor<Shape, infer D, string> ? D : DType;
export type ArgSources<T> = T extends SymbolicTensor<Shape, DType, infer Sources> ? Sources : never;

declare const ruleKey: unique symbol;

/** Phantom: the shape rule a layer carries, read by wrappers (Bidirectional, TimeDistributed) through inference. */
export interface RuleCarrier<R> {
  readonly [ruleKey]?: R;
}

/** What every layer object exposes, whatever its arity. */
export interface LayerHandle {
  /** The layer's unique name, as Keras gives it: `dense`, `dense_1`, ... or the `name` option. */
  readonly name: string;
  /** The Keras class name: `Dense`, `Conv2D`, ... */
  readonly className: string;
  /** The runtime part of the layer (graph, weights, lowering). */
  readonly core: LayerCore;
}

/** A single-input layer. Call it on a tensor; call it again on another to share its weights. */
export interface Layer<R extends Rule> extends LayerHandle {
  // One signature, not overloads: a union of layers (`cond ? Dense(8) : Dense(16)`) stays callable.
  <const T>(input: LayerInput<R, T>): LayerOutOf<R, T>;
  /** Phantom: the layer's shape rule, for wrappers. */
  readonly [ruleKey]?: R;
}

/** A multi-input layer's shape rule: `output` reads the tuple of input tensors through InputsOf. */
export interface MergeRule {
  readonly layer: string;
  readonly inputs: unknown;
  readonly output: unknown;
}

/** The input tensors a merge rule is applied to. */
export type InputsOf<R extends MergeRule> = R['inputs'] extends infer Inputs extends readonly AnyTensor[]
  ? Inputs
  : never;

/** The message for a list holding something other than tensors. */
type _NotTensors<Layer extends string> = `${Layer}: every input must be a symbolic tensor (from Input or a layer call)`;

export type ApplyMerge<R extends MergeRule, Inputs extends readonly AnyTensor[]> = (R & {
  readonly inputs: Inputs;
})['output'];

/**
 * Intersected with the list a merge layer is called on: `unknown` when the rule accepts it, else the message
 * (intersected rather than replacing it, so that the list is still inferred as a tuple). Inputs is constrained to `readonly unknown[]`, not to tensors: a
 * tensor constraint would become the contextual type of an inline `Input(...)` in the list and widen its dtype
 * and name.
 */
export type MergeCheck<R extends MergeRule, Inputs extends readonly unknown[]> = Unchecked<
  PartsOf<Inputs[number]>,
  SeenParts,
  _MergeCheck<R, Inputs>,
  unknown
>;

type _MergeCheck<R extends MergeRule, Inputs extends readonly unknown[]> = Inputs extends readonly AnyTensor[]
  ? number extends Inputs['length']
    ? unknown // a list of unknown length: only the runtime can check it
    : ApplyMerge<R, Inputs> extends Ok<Shape, DType>
      ? unknown
      : { readonly error: ApplyMerge<R, Inputs> }
  : { readonly error: _NotTensors<R['layer']> };

export type MergeOut<
  R extends MergeRule,
  Inputs extends readonly unknown[],
  Carried = unknown,
> = Inputs extends readonly AnyTensor[]
  ? number extends Inputs['length']
    ? SymbolicTensor<Dim[], DType, _Sources<Inputs>> & Carried
    : _MergeOut<R, Inputs, Carried>
  : SymbolicTensor<Dim[], DType, never>;

type _MergeOut<R extends MergeRule, Inputs extends readonly AnyTensor[], Carried> =
  ApplyMerge<R, Inputs> extends Ok<infer Out extends Shape, infer OutDType extends DType>
    ? IsUnknownRank<Out> extends true
      ? SymbolicTensor<Out, OutDType, _Sources<Inputs>> & Carried
      : SymbolicTensor<Widened<Out>, OutDType, _Sources<Inputs>>
    : SymbolicTensor<Dim[], DType, _Sources<Inputs>> & RuleError<ApplyMerge<R, Inputs>>;

/** MergeOut, passing on the messages its inputs carry (RuleError). */
export type MergeOutOf<R extends MergeRule, Inputs extends readonly unknown[]> = MergeOut<
  R,
  Inputs,
  CarriedError<Inputs[number]>
>;

type _Sources<Inputs extends readonly AnyTensor[]> =
  Inputs[number] extends SymbolicTensor<Shape, DType, infer Sources> ? Sources : never;

/** A layer taking a list of tensors: Concatenate, Add, ... */
export interface MergeLayer<R extends MergeRule> extends LayerHandle {
  <const Inputs extends readonly unknown[]>(inputs: Inputs & MergeCheck<R, Inputs>): MergeOutOf<R, Inputs>;
  readonly [ruleKey]?: R;
}

// ---------------------------------------------------------------------------------------------------------
// Value level.

/** A tensor's shape and dtype, as the value-level rules see it. */
export interface TensorInfo {
  readonly shape: readonly Dim[];
  readonly dtype: DType;
}

/** One weight variable a layer creates. Parameter counts are derived from these. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Where a forward pass gathers the losses its layers add (Keras's `add_loss`: ActivityRegularization's penalty, a
 * user layer's `addLoss`). The runtime passes one to each layer call as `kwargs.losses`; training adds their sum
 * to the loss, as Keras 3's `compute_loss` adds `model.losses`. A call without one (a plain tfjs predict) drops them.
 */
export class LossCollector {
  readonly losses: tf.Tensor[] = [];

  add(loss: tf.Tensor): void {
    this.losses.push(loss);
  }
}

/** What a lowering may ask of the runtime: the tfjs twin of a whole model (a model used as a layer). */
export interface Lowering {
  model(model: Functional): tf.LayersModel;
  /**
   * The tfjs twin of a layer that another layer wraps (TimeDistributed's): the one every model shares when the
   * layer has weights, made by `lower` on first use, so that the wrapped calls and the layer's own calls share
   * its weights, as in Keras.
   */
  shared(core: LayerCore, lower: () => tf.layers.Layer): tf.layers.Layer;
}

/** What a layer must answer for itself: the value-level twin of its Rule, its weights and its lowering. */
export interface LayerSpec {
  readonly className: string;
  /** Floating-point operations of one forward pass, per sample (omitted: negligible, as for pooling). */
  flops?(inputs: readonly TensorInfo[]): number;
  /** Set by recurrent layers (LSTM, GRU, SimpleRNN): what Bidirectional accepts. */
  readonly recurrent?: true;
  /** Set by a model used as a layer: its graph, which summary() and plotModel() can show expanded. */
  readonly model?: Functional;
  /** The values this layer accepts from a model input (Embedding: ids in [0, inputDim)); checked before training. */
  readonly valueRange?: { readonly min: number; readonly max: number; readonly what: string };
  /** Why a save cannot hold this layer (a Lambda of an anonymous function: a save holds no code). */
  readonly unsavable?: string;
  /** Its `activityRegularizer`: the runtime adds its penalty on each output, divided by the batch size, to the loss. */
  readonly activityRegularizer?: ResolvedRegularizer;
  /** The layer's options, resolved (defaults filled in), JSON-safe. */
  readonly config: { readonly [key: string]: JsonValue };
  /**
   * The value-level shape rule: the output for these inputs (a list for a layer with several outputs), or a
   * thrown KeratsError with the type's message.
   */
  outputShape(inputs: readonly TensorInfo[]): TensorInfo | readonly TensorInfo[];
  /** The weights built for these inputs. */
  weights(inputs: readonly TensorInfo[]): readonly WeightSpec[];
  /**
   * What a call's inputs must be for the call to be valid, where that says more than the inputs do (a merge: an
   * unknown size is the others' size). The runtime shows tfjs these shapes. Omitted: the inputs as they are.
   */
  impliedInputs?(inputs: readonly TensorInfo[]): readonly TensorInfo[];
  /**
   * The equivalent tfjs-layers layer (unbuilt), for the inputs of the calls it will be applied to (one list per
   * call), so that it can be given what kerats knows of their shapes.
   */
  lower(name: string, calls: readonly (readonly TensorInfo[])[], lowering: Lowering): tf.layers.Layer;
}

/** The spec of a single-input layer: the same questions, asked about one input. */
export interface UnarySpec {
  readonly className: string;
  /** Floating-point operations of one forward pass, per sample (omitted: negligible, as for pooling). */
  flops?(input: TensorInfo): number;
  /** Set by recurrent layers (LSTM, GRU, SimpleRNN): what Bidirectional accepts. */
  readonly recurrent?: true;
  /** The values this layer accepts from a model input (Embedding: ids in [0, inputDim)); checked before training. */
  readonly valueRange?: { readonly min: number; readonly max: number; readonly what: string };
  /** Why a save cannot hold this layer. */
  readonly unsavable?: string;
  readonly activityRegularizer?: ResolvedRegularizer;
  readonly config: { readonly [key: string]: JsonValue };
  outputShape(input: TensorInfo): TensorInfo | readonly TensorInfo[];
  weights(input: TensorInfo): readonly WeightSpec[];
  /** `calls`: the input of each call the tfjs layer will be applied to. */
  lower(name: string, calls: readonly TensorInfo[], lowering: Lowering): tf.layers.Layer;
}

/** Lifts a single-input spec to a LayerSpec that checks it gets exactly one input. */
export function unarySpec(spec: UnarySpec): LayerSpec {
  const only = (inputs: readonly TensorInfo[]): TensorInfo => {
    const [input] = inputs;
    if (input === undefined || inputs.length !== 1)
      fail({ code: 'input-count', layer: spec.className, expected: 'exactly 1', received: inputs.length });
    return input;
  };
  return {
    className: spec.className,
    config: spec.config,
    ...(spec.recurrent ? { recurrent: true } : {}),
    ...(spec.valueRange ? { valueRange: spec.valueRange } : {}),
    ...(spec.unsavable === undefined ? {} : { unsavable: spec.unsavable }),
    ...(spec.activityRegularizer === undefined ? {} : { activityRegularizer: spec.activityRegularizer }),
    ...(spec.flops ? { flops: (inputs: readonly TensorInfo[]) => spec.flops?.(only(inputs)) ?? 0 } : {}),
    outputShape: (inputs) => spec.outputShape(only(inputs)),
    weights: (inputs) => spec.weights(only(inputs)),
    lower: (name, calls, lowering) => spec.lower(name, calls.map(only), lowering),
  };
}

const nameCounters = new Map<string, number>();
let nextNodeId = 0;

/** Keras's snake_case base name of a class: `Conv2D` => `conv2d`, `MaxPooling2D` => `max_pooling2d`. */
export function snakeCase(className: string): string {
  return className
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** A fresh name: `dense`, then `dense_1`, `dense_2`, ...; with `firstSuffix`, `input_1`, `input_2`, ... */
export function uniqueName(base: string, firstSuffix: boolean): string {
  const count = nameCounters.get(base) ?? 0;
  nameCounters.set(base, count + 1);
  const index = firstSuffix ? count + 1 : count;
  return index === 0 ? base : `${base}_${index}`;
}

/** Forgets the generated names, like Keras's `K.clear_session()`, so the next Dense is `dense` again. */
export function clearSession(): void {
  nameCounters.clear();
}

/** The runtime side of a layer: its spec, its name, the calls made so far and the weights its first call built. */
export class LayerCore {
  readonly name: string;
  readonly nodes: GraphNode[] = [];
  /** Whether training updates the layer's weights (Keras's `trainable` option and property); false freezes them. */
  trainable: boolean;
  private built: { readonly inputs: readonly TensorInfo[]; readonly weights: readonly WeightSpec[] } | undefined;

  constructor(
    readonly spec: LayerSpec,
    name?: unknown,
    trainable?: unknown,
  ) {
    // tfjs keeps, and may rewrite, the arrays it is given (Reshape turns -1 into null): a frozen config makes
    // any lowering that hands tfjs a piece of it fail loudly instead of corrupting what is saved.
    deepFreeze(spec.config);
    if (name !== undefined && (typeof name !== 'string' || name === ''))
      fail({
        code: 'option',
        layer: spec.className,
        option: 'name',
        expected: 'a non-empty string',
        received: describe(name),
      });
    this.name = name ?? uniqueName(snakeCase(spec.className), false);
    if (trainable !== undefined && typeof trainable !== 'boolean')
      fail({
        code: 'option',
        layer: spec.className,
        option: 'trainable',
        expected: 'true or false',
        received: describe(trainable),
      });
    this.trainable = trainable ?? true;
  }

  get className(): string {
    return this.spec.className;
  }

  /** The weights, once the layer has been called. */
  get weights(): readonly WeightSpec[] {
    return this.built?.weights ?? [];
  }

  /** Validates a call, builds or checks the weights, and records the call in the graph. */
  call(inputs: readonly unknown[]): AnyTensor | AnyTensor[] {
    const tensors = inputs.map((input, index): AnyTensor => {
      if (isTensor(input)) return input;
      return fail({
        code: 'not-a-tensor',
        layer: this.className,
        argument: inputs.length === 1 ? 'its input' : `input ${index}`,
        received: describe(input),
      });
    });
    const infos = tensors.map(({ shape, dtype }): TensorInfo => ({ shape, dtype }));
    const output = this.spec.outputShape(infos);
    const weights = this.spec.weights(infos);
    if (this.built === undefined) this.built = { inputs: infos, weights };
    else if (!sameWeights(this.built.weights, weights))
      fail({
        code: 'layer-reuse',
        layer: this.className,
        name: this.name,
        first: this.built.inputs[0]?.shape ?? [],
        received: infos[0]?.shape ?? [],
      });
    return this.record(tensors, output);
  }

  /**
   * Adds a node for this layer reading `inputs` and producing a tensor of each given shape and dtype: the tensor
   * when the rule gave one output, the list when it gave a list.
   */
  record(inputs: readonly AnyTensor[], output: TensorInfo | readonly TensorInfo[]): AnyTensor | AnyTensor[] {
    if (!isInfoList(output)) return this.recordOne(inputs, output);
    const node: GraphNode = { id: nextNodeId++, layer: this, inputs, outputs: [] };
    for (const [index, info] of output.entries())
      node.outputs.push(new SymbolicTensor(info.shape, info.dtype, node, index));
    this.link(node);
    return [...node.outputs];
  }

  /** Adds a node for this layer reading `inputs` and producing one tensor of the given shape and dtype. */
  recordOne(inputs: readonly AnyTensor[], output: TensorInfo): AnyTensor {
    const node: GraphNode = { id: nextNodeId++, layer: this, inputs, outputs: [] };
    const tensor = new SymbolicTensor(output.shape, output.dtype, node, 0);
    node.outputs.push(tensor);
    this.link(node);
    return tensor;
  }

  private link(node: GraphNode): void {
    this.nodes.push(node);
    for (const input of node.inputs) input.consumers.push(node);
  }

  /** Parameter counts of the built weights. */
  /** Parameter counts of the built weights; a frozen layer's are all non-trainable, as Keras counts them. */
  countParams(): { readonly trainable: number; readonly nonTrainable: number } {
    let trainable = 0;
    let nonTrainable = 0;
    // A nested model counts its layers as they are now (one may have been frozen since it was called).
    const inner = this.spec.model?.layers.map((layer) => layer.countParams());
    for (const count of inner ?? []) {
      trainable += count.trainable;
      nonTrainable += count.nonTrainable;
    }
    for (const weight of inner === undefined ? this.weights : []) {
      const size = weight.shape.reduce((product, dim) => product * dim, 1);
      if (weight.trainable) trainable += size;
      else nonTrainable += size;
    }
    return this.trainable ? { trainable, nonTrainable } : { trainable: 0, nonTrainable: trainable + nonTrainable };
  }
}

function isInfoList(output: TensorInfo | readonly TensorInfo[]): output is readonly TensorInfo[] {
  return Array.isArray(output);
}

/** A rule's result as a list: one entry per output. */
export function infoList(output: TensorInfo | readonly TensorInfo[]): readonly TensorInfo[] {
  return isInfoList(output) ? output : [output];
}

/** The one output of a wrapped layer's rule; `wrapper` (TimeDistributed, ...) takes no layer with several. */
export function onlyOutput(wrapper: string, output: TensorInfo | readonly TensorInfo[]): TensorInfo {
  if (!isInfoList(output)) return output;
  return fail({
    code: 'option',
    layer: wrapper,
    option: 'layer',
    expected: 'a layer with one output',
    received: `a layer with ${output.length} outputs`,
  });
}

function deepFreeze(value: JsonValue): void {
  if (value === null || typeof value !== 'object') return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}

function sameWeights(first: readonly WeightSpec[], second: readonly WeightSpec[]): boolean {
  return (
    first.length === second.length &&
    first.every(
      (weight, index) =>
        weight.shape.length === second[index]?.shape.length &&
        weight.shape.every((dim, axis) => dim === second[index]?.shape[axis]),
    )
  );
}

/** Makes the callable object of a single-input layer. */
export function unaryLayer<R extends Rule>(spec: UnarySpec, name: unknown, trainable?: unknown): Layer<R> {
  const core = new LayerCore(unarySpec(spec), name, trainable);
  function apply<const T>(input: LayerInput<R, T>): LayerOutOf<R, T>;
  function apply(input: unknown): AnyTensor | AnyTensor[] {
    return core.call([input]);
  }
  return layerHandle(apply, core);
}

/** Makes the callable object of a multi-input layer. */
export function mergeLayer<R extends MergeRule>(spec: LayerSpec, name: unknown, trainable?: unknown): MergeLayer<R> {
  const core = new LayerCore(spec, name, trainable);
  function apply<const Inputs extends readonly unknown[]>(
    inputs: Inputs & MergeCheck<R, Inputs>,
  ): MergeOutOf<R, Inputs>;
  function apply(inputs: unknown): AnyTensor | AnyTensor[] {
    return callOnList(core, inputs);
  }
  return layerHandle(apply, core);
}

/** Keras's functional form of a merge layer (`add([a, b])` for `Add()([a, b])`): `inputs`, and the call's own. */
export type MergeFunction<R extends MergeRule, Options> = <const Inputs extends readonly unknown[]>(
  inputs: Inputs & MergeCheck<R, Inputs>,
  options?: Options,
) => MergeOutOf<R, Inputs>;

/** The functional form of the merge layers `make` makes: each call makes a layer and calls it once. */
export function mergeFunction<R extends MergeRule, Options>(
  make: (options?: Options) => MergeLayer<R>,
): MergeFunction<R, Options> {
  function call<const Inputs extends readonly unknown[]>(
    inputs: Inputs & MergeCheck<R, Inputs>,
    options?: Options,
  ): MergeOutOf<R, Inputs>;
  function call(inputs: unknown, options?: Options): AnyTensor | AnyTensor[] {
    return callOnList(make(options).core, inputs);
  }
  return call;
}

/** Calls a merge layer's core on what its caller passed, which must be a list. */
export function callOnList(core: LayerCore, inputs: unknown): AnyTensor | AnyTensor[] {
  if (!Array.isArray(inputs))
    fail({
      code: 'not-a-tensor',
      layer: core.className,
      argument: 'its input',
      received: `${describe(inputs)} (pass a list of tensors)`,
    });
  return core.call(inputs);
}

/** Whether a value is a layer object (made by a layer factory), whatever the caller or a file claims. */
export function isLayerHandle(value: unknown): value is LayerHandle {
  return typeof value === 'function' && 'core' in value && value.core instanceof LayerCore;
}

/** Makes a layer's callable object: its call function, named as the layer, with its class name and core. */
export function layerHandle<Call extends (...args: never[]) => unknown>(
  apply: Call,
  core: LayerCore,
): Call & LayerHandle {
  // A function's own `name` is read-only; define it rather than assign it.
  Object.defineProperty(apply, 'name', { value: core.name });
  return Object.assign(apply, { className: core.className, core });
}
