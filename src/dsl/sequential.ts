// Sequential: a list of one-input layers, each called on the output of the one before, as Keras's
// `Sequential([...])`. The compiler folds the list: each element's output shape is its rule applied to the shape
// before it, and an element whose rule rejects that shape is an error at that element, with the sentence the
// functional form gives at its call. Elements after a mistake are not checked (one mistake, one error). A list
// the compiler cannot see element by element (built in a loop) gives a tensor of unknown rank, and is checked
// element by element when the model is built, with the same sentences.
import type { SequentialElementMessage } from '../errors.ts';
import { describe, fail } from '../errors.ts';
import type { Dim, IsUnknownRank, Shape } from '../shapes/dim.ts';
import {
  type Apply,
  type CarriedError,
  isLayerHandle,
  type LayerOut,
  type Ok,
  type OkList,
  type PartsOf,
  type Rule,
  type RuleCarrier,
  type SeenParts,
  type Unchecked,
} from './layer.ts';
import { callModel, type ModelArg, type ModelOut } from './layers/functional.ts';
import { isInput } from './layers/input.ts';
import { Functional } from './model.ts';
import { type AnyTensor, type DType, isTensor, type SymbolicTensor } from './tensor.ts';

// ---------------------------------------------------------------------------------------------------------
// Type level.

declare const blockKey: unique symbol;

/** Phantom, on a Sequential without an Input (a block): its layers, for the fold of the list that holds it. */
export interface BlockCarrier<Layers> {
  readonly [blockKey]?: Layers;
}

/** One element's step on the tensor `T`: `{ ok: tensor }` with its output, or `{ error: message }`. */
type _Step<Element, T, Index extends number> =
  T extends SymbolicTensor<infer S extends Shape, infer D extends DType, infer Sources extends string>
    ? typeof blockKey extends keyof Element
      ? _BlockStep<Element, T>
      : 'tensors' extends keyof Element
        ? _ModelStep<Element, T, Sources, Index>
        : _LayerStep<Element, S, D, Sources, T, Index>
    : never;

type _BlockStep<Element, T> =
  Element extends BlockCarrier<infer Inner extends readonly unknown[]>
    ? _Fold<Inner, T, [], 0> extends infer Result
      ? Result extends { readonly ok: infer Out }
        ? { readonly ok: Out }
        : Result extends { readonly checks: infer Checks extends readonly unknown[] }
          ? { readonly error: _FirstMessage<Checks> }
          : never
      : never
    : never;

type _ModelStep<Element, T, Sources extends string, Index extends number> = Element extends {
  readonly tensors?: { readonly inputs: infer Inputs extends AnyTensor; readonly outputs: infer Outputs };
}
  ? ModelArg<Inputs, T, _ModelName<Element>> extends AnyTensor
    ? Outputs extends AnyTensor
      ? { readonly ok: ModelOut<Outputs, Sources> }
      : {
          readonly error: SequentialElementMessage<
            Index,
            'is a model with several outputs; each element of a Sequential gives one tensor'
          >;
        }
    : { readonly error: ModelArg<Inputs, T, _ModelName<Element>> }
  : {
      readonly error: SequentialElementMessage<
        Index,
        'is a model with several inputs; each element of a Sequential reads one tensor'
      >;
    };

type _ModelName<Element> = Element extends { readonly nameType?: infer Name extends string } ? Name : 'model';

type _LayerStep<Element, S extends Shape, D extends DType, Sources extends string, T, Index extends number> =
  Element extends RuleCarrier<infer R extends Rule>
    ? [R] extends [Rule]
      ? IsUnknownRank<S> extends true
        ? { readonly ok: LayerOut<R, S, D, Sources, CarriedError<T>> }
        : Apply<R, S, D> extends Ok<infer Out extends Shape, infer OutDType extends DType>
          ? { readonly ok: SymbolicTensor<Out, OutDType, Sources> }
          : Apply<R, S, D> extends OkList
            ? {
                readonly error: SequentialElementMessage<
                  Index,
                  'gives several tensors; each element of a Sequential gives one (drop returnState)'
                >;
              }
            : { readonly error: Apply<R, S, D> }
      : _NotALayer<Index>
    : _NotALayer<Index>;

// An object, not the sentence alone: a string element intersected with a string would be never, and the
// compiler would then report every element.
type _NotALayer<Index extends number> = {
  readonly error: {
    readonly error: SequentialElementMessage<Index, 'must be a layer with one input, a model or a Sequential'>;
  };
};

/**
 * Folds `Layers` from the tensor `T`: `{ ok: output }` when every element accepts what the one before gives,
 * else `{ checks }`, a tuple with the message at the first element that rejects its input and `unknown` at the
 * others. A list of unknown length (`Layer[]`) folds to a tensor of unknown rank.
 */
type _Fold<
  Layers extends readonly unknown[],
  T,
  Checks extends readonly unknown[],
  Index extends number,
> = Layers extends readonly [infer Element, ...infer Rest]
  ? _Step<Element, T, Index> extends { readonly ok: infer Out }
    ? _Fold<Rest, Out, [...Checks, unknown], _Next<Checks>>
    : _Step<Element, T, Index> extends { readonly error: infer Message }
      ? { readonly checks: [...Checks, Message, ...{ [Key in keyof Rest]: unknown }] }
      : never
  : Layers extends readonly []
    ? { readonly ok: T }
    : { readonly ok: SymbolicTensor<Dim[], DType, _SourcesOf<T>> };

type _Next<Checks extends readonly unknown[]> = [...Checks, unknown]['length'];
type _SourcesOf<T> = T extends SymbolicTensor<Shape, DType, infer Sources> ? Sources : never;
type _FirstMessage<Checks extends readonly unknown[]> = Checks extends readonly [infer Head, ...infer Rest]
  ? unknown extends Head
    ? _FirstMessage<Rest>
    : Head
  : never;

/** The checks of a list that starts with an Input: `unknown` at each element, or the message where it is wrong. */
export type SequentialCheck<Layers extends readonly unknown[]> = Layers extends readonly [
  infer First extends AnyTensor,
  ...infer Rest,
]
  ? _Fold<Rest, First, [unknown], 1> extends { readonly checks: infer Checks }
    ? Checks
    : unknown
  : unknown;

/** The output tensor of a list that starts with an Input (unknown rank after a mistake). */
export type SequentialOutput<Layers extends readonly unknown[]> = Layers extends readonly [
  infer First extends AnyTensor,
  ...infer Rest,
]
  ? _Fold<Rest, First, [unknown], 1> extends { readonly ok: infer Out extends AnyTensor }
    ? Out
    : SymbolicTensor<Dim[], DType, _SourcesOf<First>>
  : AnyTensor;

/** The parameter of a call of a block of `Layers` on `T`: `T`, intersected with the first mistake's message. */
export type BlockInput<Layers extends readonly unknown[], T> = T &
  NoInfer<Unchecked<PartsOf<T>, SeenParts, _BlockCheck<Layers, T>, unknown>>;

type _BlockCheck<Layers extends readonly unknown[], T> =
  T extends SymbolicTensor<Shape, DType, string>
    ? _Fold<Layers, T, [], 0> extends { readonly checks: infer Checks extends readonly unknown[] }
      ? _FirstMessage<Checks>
      : unknown
    : AnyTensor;

/** The result of a call of a block of `Layers` on `T` (unknown rank after a mistake). */
export type BlockOutput<Layers extends readonly unknown[], T> =
  _Fold<Layers, T, [], 0> extends { readonly ok: infer Out extends AnyTensor }
    ? Out
    : SymbolicTensor<Dim[], DType, _SourcesOf<T>>;

/** A Sequential without an Input: called like a layer, it builds its model on its first call. */
export interface SequentialBlock<Layers extends readonly unknown[]> extends BlockCarrier<Layers> {
  <const T>(input: BlockInput<Layers, T>): BlockOutput<Layers, T>;
  /** Its name: `sequential`, `sequential_1`, ... or the `name` option. */
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------------------
// Value level.

const blocks = new WeakMap<object, (input: AnyTensor) => AnyTensor>();

/** Calls one element of a Sequential on `input`: a model, a block, or a layer with one input and one output. */
function step(element: unknown, input: AnyTensor, index: number): AnyTensor {
  const block = typeof element === 'function' ? blocks.get(element) : undefined;
  const output =
    element instanceof Functional
      ? callModel(element, input)
      : block !== undefined
        ? block(input)
        : isLayerHandle(element)
          ? element.core.call([input])
          : fail({
              code: 'sequential-element',
              layer: 'Sequential',
              index,
              problem: `must be a layer with one input, a model or a Sequential, got ${isTensor(element) ? 'a tensor (only the first element may be an Input)' : describe(element)}`,
            });
  if (Array.isArray(output))
    return fail({
      code: 'sequential-element',
      layer: 'Sequential',
      index,
      problem: `gives several tensors; each element of a Sequential gives one (drop returnState)`,
    });
  return output;
}

/** Checks a Sequential's list (a non-empty array) and calls its elements from `start` on, in turn, on `input`. */
export function foldLayers(layers: readonly unknown[], start: number, input: AnyTensor): AnyTensor {
  let output = input;
  for (let index = start; index < layers.length; index++) output = step(layers[index], output, index);
  return output;
}

/** The list given to Sequential, checked to be a non-empty array whose first element, if a tensor, is an Input. */
export function sequentialList(layers: unknown): readonly unknown[] {
  if (!Array.isArray(layers) || layers.length === 0)
    return fail({
      code: 'option',
      layer: 'Sequential',
      option: 'layers',
      expected: 'a non-empty list of layers, optionally after an Input',
      received: Array.isArray(layers) ? 'an empty list' : describe(layers),
    });
  const [first] = layers;
  if (isTensor(first) && !isInput(first))
    fail({
      code: 'sequential-element',
      layer: 'Sequential',
      index: 0,
      problem: `must be an Input or a layer, got a tensor built by ${first.node.layer.className}`,
    });
  return layers;
}

/**
 * Makes the block of a list without an Input: its first call makes `build(input)` (the model, from an Input like
 * that tensor) and calls it; later calls share its weights.
 */
export function sequentialBlock<Layers extends readonly unknown[]>(
  name: string,
  build: (input: AnyTensor) => Functional,
): SequentialBlock<Layers> {
  let model: Functional | undefined;
  const apply = (input: AnyTensor): AnyTensor => {
    if (model === undefined) model = build(input);
    const output = callModel(model, input);
    return Array.isArray(output)
      ? fail({ code: 'sequential-element', layer: 'Sequential', index: 0, problem: 'gives several tensors' })
      : output;
  };
  function call<const T>(input: BlockInput<Layers, T>): BlockOutput<Layers, T>;
  function call(input: unknown): AnyTensor {
    if (!isTensor(input))
      return fail({
        code: 'not-a-tensor',
        layer: `Sequential '${name}'`,
        argument: 'its input',
        received: describe(input),
      });
    return apply(input);
  }
  Object.defineProperty(call, 'name', { value: name });
  blocks.set(call, apply);
  return call;
}
