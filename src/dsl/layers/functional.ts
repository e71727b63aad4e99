// A model used as a layer, as in Keras, where every Functional is a Layer. Calling a model records one call of
// its layer core, whose spec answers for the whole inner graph: the inputs it accepts (the model's inputs: the
// same rank and dtype, each size equal, null matching any), its outputs (the model's), its weights (those of its
// layers, so that summary() counts them on one row) and its lowering (the inner model's tfjs twin, which the
// runtime makes once, so that every model containing it shares its weights). Its config is the inner graph: a
// model nested in another saves and loads with it.
import { fail, type InputCountMessage, type ModelInputMessage } from '../../errors.ts';
import { isRecord } from '../../json.ts';
import type { Dim, IsUnknownRank, Shape } from '../../shapes/dim.ts';
import { LayerCore, type LayerHandle, type LayerSpec, layerHandle, type TensorInfo } from '../layer.ts';
import { Functional, type Tensors } from '../model.ts';
import { type LayerFactory, registerLayer } from '../registry.ts';
import { graphOf, type MakeModel, rebuildGraph } from '../saved-graph.ts';
import type { AnyTensor, DType, SymbolicTensor } from '../tensor.ts';

// ---------------------------------------------------------------------------------------------------------
// Type level.

type _DimFits<Expected, Received> = Expected extends null
  ? true
  : Received extends null
    ? true
    : number extends Expected
      ? true
      : number extends Received
        ? true
        : [Expected] extends [Received]
          ? true
          : false;

/** Whether a tensor of shape Received fits a model input of shape Expected (sizes the compiler cannot see fit). */
type _ShapeFits<Expected extends Shape, Received extends Shape> =
  IsUnknownRank<Received> extends true
    ? true
    : IsUnknownRank<Expected> extends true
      ? true
      : Expected['length'] extends Received['length']
        ? false extends {
            [Axis in keyof Expected]: _DimFits<Expected[Axis], Axis extends keyof Received ? Received[Axis] : never>;
          }[number]
          ? false
          : true
        : false;

type _DTypeFits<Expected extends DType, Received extends DType> = DType extends Received
  ? true
  : [Received] extends [Expected]
    ? true
    : false;

/** The message for argument `Index` of a call of model `Name`, or never when it fits the model's input. */
type _Mismatch<Input, Arg, Name extends string, Index extends number> =
  Arg extends SymbolicTensor<infer Received extends Shape, infer ReceivedDType extends DType, string>
    ? Input extends SymbolicTensor<infer Expected extends Shape, infer ExpectedDType extends DType, string>
      ? _ShapeFits<Expected, Received> extends true
        ? _DTypeFits<ExpectedDType, ReceivedDType> extends true
          ? never
          : ModelInputMessage<Name, Index, Expected, ExpectedDType, Received, ReceivedDType>
        : ModelInputMessage<Name, Index, Expected, ExpectedDType, Received, ReceivedDType>
      : never
    : never;

type _FirstMismatch<
  Inputs extends readonly unknown[],
  Args extends readonly unknown[],
  Name extends string,
  Seen extends readonly unknown[] = [],
> = Inputs extends readonly [infer Input, ...infer RestInputs]
  ? Args extends readonly [infer Arg, ...infer RestArgs]
    ? [_Mismatch<Input, Arg, Name, Seen['length']>] extends [never]
      ? _FirstMismatch<RestInputs, RestArgs, Name, [...Seen, Input]>
      : _Mismatch<Input, Arg, Name, Seen['length']>
    : never
  : never;

/** Intersected with the list a several-input model is called on: `unknown`, or the message as `error`. */
type _ListCheck<Inputs extends readonly AnyTensor[], Arg, Name extends string> = Arg extends readonly unknown[]
  ? number extends Arg['length']
    ? unknown // a list of unknown length: only the runtime can check it
    : Arg['length'] extends Inputs['length']
      ? [_FirstMismatch<Inputs, Arg, Name>] extends [never]
        ? unknown
        : { readonly error: _FirstMismatch<Inputs, Arg, Name> }
      : { readonly error: InputCountMessage<Name, `${Inputs['length']}`, Arg['length']> }
  : { readonly error: InputCountMessage<Name, `${Inputs['length']}`, 1> };

/**
 * The parameter of a call of a model with inputs `Inputs`, named `Name`: for one input, the tensor itself when it
 * fits, else the message (reported at the argument); for several, the list, intersected with the message when
 * an entry does not fit. A model whose inputs the compiler does not know (from loadModel) is checked at run time.
 */
export type ModelArg<Inputs extends Tensors, Arg, Name extends string> = [Inputs] extends [AnyTensor]
  ? [_Mismatch<Inputs, Arg, Name, 0>] extends [never]
    ? Arg
    : _Mismatch<Inputs, Arg, Name, 0>
  : [Inputs] extends [readonly AnyTensor[]]
    ? number extends Inputs['length']
      ? Arg
      : Arg & _ListCheck<Inputs, Arg, Name>
    : Arg;

/** The result of calling a model: its outputs' shapes and dtypes, computed from the caller's inputs (Sources). */
export type ModelOut<Outputs extends Tensors, Sources extends string> =
  Outputs extends SymbolicTensor<infer Out extends Shape, infer OutDType extends DType, string>
    ? SymbolicTensor<Out, OutDType, Sources>
    : Outputs extends readonly AnyTensor[]
      ? number extends Outputs['length']
        ? SymbolicTensor<Dim[], DType, Sources>[]
        : {
            -readonly [Index in keyof Outputs]: Outputs[Index] extends SymbolicTensor<
              infer Out extends Shape,
              infer OutDType extends DType,
              string
            >
              ? SymbolicTensor<Out, OutDType, Sources>
              : never;
          }
      : never;

/**
 * The named Inputs a call's argument (a tensor or a list of them) is computed from. Not SourcesOf, which recurses
 * into nested lists: on an argument not yet inferred it would never stop.
 */
export type CallSources<Arg> =
  Arg extends SymbolicTensor<Shape, DType, infer Sources>
    ? Sources
    : Arg extends readonly (infer Item)[]
      ? Item extends SymbolicTensor<Shape, DType, infer Sources>
        ? Sources
        : never
      : never;

/** A model called as a layer: `encoder(image)`, `model([a, b])`. */
export type ModelCall<Inputs extends Tensors, Outputs extends Tensors, Name extends string> = <const Arg>(
  input: ModelArg<Inputs, Arg, Name>,
) => ModelOut<Outputs, CallSources<Arg>>;

// ---------------------------------------------------------------------------------------------------------
// Value level.

function dimFits(expected: Dim | undefined, received: Dim | undefined): boolean {
  return expected === null || received === null || expected === received;
}

function fits(expected: TensorInfo, received: TensorInfo): boolean {
  return (
    expected.dtype === received.dtype &&
    expected.shape.length === received.shape.length &&
    expected.shape.every((dim, axis) => dimFits(dim, received.shape[axis]))
  );
}

/** The spec of model `model` used as a layer. */
function functionalSpec(model: Functional): LayerSpec {
  const infos = (tensors: readonly AnyTensor[]): TensorInfo[] => tensors.map(({ shape, dtype }) => ({ shape, dtype }));
  const expected = infos(model.inputs);
  const outputs = infos(model.outputs);
  const [onlyOutput] = outputs;
  return {
    className: model.className,
    model,
    config: { graph: graphOf(model) },
    outputShape(inputs) {
      if (inputs.length !== expected.length)
        fail({ code: 'input-count', layer: model.name, expected: `${expected.length}`, received: inputs.length });
      for (const [index, input] of inputs.entries()) {
        const wanted = expected[index];
        if (wanted !== undefined && !fits(wanted, input))
          fail({ code: 'model-input', layer: model.name, index, expected: wanted, received: input });
      }
      return model.singleOutput && onlyOutput !== undefined ? onlyOutput : outputs;
    },
    // The inner layers' weights, named as tfjs names them, so that the row of the model counts them all.
    weights: () =>
      model.layers.flatMap((layer) =>
        layer.weights.map((weight) => ({ ...weight, name: `${layer.name}/${weight.name}` })),
      ),
    flops: () => model.flops(),
    lower: (_name, _calls, lowering) => lowering.model(model),
  };
}

const cores = new WeakMap<Functional, LayerCore>();

/** The layer core of a model: one per model, so that every call of it shares its weights. */
export function modelCore(model: Functional): LayerCore {
  let core = cores.get(model);
  if (core === undefined) {
    core = new LayerCore(functionalSpec(model), model.name);
    cores.set(model, core);
  }
  return core;
}

/** Whether a model's weights train (Keras's `model.trainable`; false freezes them, nested or not). */
export function modelTrainable(model: Functional): boolean {
  return cores.get(model)?.trainable ?? true;
}

/** Calls a model on a tensor (one input) or a list of tensors, as a layer. */
export function callModel(model: Functional, input: unknown): AnyTensor | AnyTensor[] {
  return modelCore(model).call(Array.isArray(input) ? input : [input]);
}

/** A model as a layer handle, for the registry (a nested model is rebuilt as its inner graph). */
function modelHandle(model: Functional): LayerHandle {
  return layerHandle((input: unknown) => callModel(model, input), modelCore(model));
}

/**
 * How a nested model read from a file is made. src/dsl cannot make the public KerasModel (which joins the
 * runtime); src/model.ts sets this, so that a loaded model's nested models are callable KerasModels too.
 */
let makeNested: MakeModel<Functional> = (args) => new Functional(args);

export function makeNestedModelsWith(make: MakeModel<Functional>): void {
  makeNested = make;
}

/** Rebuilds a nested model (a Functional or a Sequential) from its saved graph. */
const rebuildNested: LayerFactory = (config, name, context) => {
  const where = `layer '${name ?? 'Functional'}'`;
  const graph = config.graph;
  if (!isRecord(graph))
    return fail({ code: 'model-file', layer: 'loadModel', path: where, problem: 'its graph is not an object' });
  return modelHandle(
    rebuildGraph(
      where,
      graph,
      (args) => makeNested({ ...args, ...(name === undefined ? {} : { name }) }),
      context.customLayers,
    ),
  );
};

registerLayer('Functional', rebuildNested);
registerLayer('Sequential', rebuildNested);
