// Functional: the description of a model, the graph between some Inputs and some outputs. The compiler checks
// that every named Input an output depends on is listed; construction checks the rest (unnamed inputs,
// duplicates) and collects the layers. It is data: training, saving and running are done to it by src/runtime,
// and the public KerasModel (src/model.ts) joins the two.

import { type DuplicateMessage, describe, fail, type MissingInputMessage } from '../errors.ts';
import type { Shape } from '../shapes/dim.ts';
import { type LayerCore, uniqueName } from './layer.ts';
import { isInput } from './layers/input.ts';
import { formatSummary, type SummaryRow } from './summary.ts';
import type { DType } from './tensor.ts';
import { type AnyTensor, type GraphNode, isTensor, type SourcesOf, type SymbolicTensor } from './tensor.ts';

/** One tensor, or a list of them, as Keras's `Model(inputs=..., outputs=...)` takes. */
export type Tensors = AnyTensor | readonly AnyTensor[];

type _Name<T> =
  T extends SymbolicTensor<Shape, DType, infer Name> ? ([Name] extends [never] ? '(unnamed)' : `'${Name}'`) : never;

type _Listed<Inputs> = Inputs extends readonly [infer Head, ...infer Rest]
  ? Rest extends readonly []
    ? _Name<Head>
    : `${_Name<Head>}, ${_Listed<Rest>}`
  : Inputs extends readonly unknown[]
    ? '...'
    : _Name<Inputs>;

/**
 * `unknown` when every named Input the outputs depend on is among the inputs; otherwise the message, as an
 * error on `outputs`. Unnamed Inputs are invisible to the compiler and checked at construction.
 */
export type ModelCheck<Inputs extends Tensors, Outputs extends Tensors> = [
  Exclude<SourcesOf<Outputs>, SourcesOf<Inputs>>,
] extends [never]
  ? unknown
  : string extends SourcesOf<Outputs> | SourcesOf<Inputs>
    ? unknown // a tensor typed AnyTensor (a loop, a helper): its inputs are checked when the model is built
    : { readonly error: MissingInputMessage<'Model', Exclude<SourcesOf<Outputs>, SourcesOf<Inputs>>, _Listed<Inputs>> };

/**
 * `unknown` unless the inputs list one named Input twice (the same tensor type, from a single name); then the
 * message, as an error on `inputs`. Unnamed Inputs are checked at construction.
 */
export type InputsCheck<Inputs extends Tensors> = [_Repeated<Inputs>] extends [never]
  ? unknown
  : { readonly error: DuplicateMessage<'Model', 'input', _Repeated<Inputs>> };

type _Repeated<Inputs> = Inputs extends readonly [infer Head, ...infer Rest]
  ? _OneName<SourcesOf<Head>> extends true
    ? true extends { [Index in keyof Rest]: _Same<Rest[Index], Head> }[number]
      ? SourcesOf<Head>
      : _Repeated<Rest>
    : _Repeated<Rest>
  : never;

type _OneName<Name, All = Name> = [Name] extends [never]
  ? false
  : string extends Name
    ? false
    : Name extends unknown
      ? [Exclude<All, Name>] extends [never]
        ? true
        : false
      : false;

type _Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export interface ModelArgs<Inputs extends Tensors, Outputs extends Tensors> {
  readonly inputs: Inputs & InputsCheck<Inputs>;
  readonly outputs: Outputs & ModelCheck<Inputs, Outputs>;
  /** Default `model`, `model_1`, ... */
  readonly name?: string;
  /** Receives warnings (a layer that reads the inputs but reaches no output). Default `console.warn`. */
  readonly onWarning?: (message: string) => void;
}

/** Keras's class of a model: `Sequential([...])` makes a Sequential, `Model({ inputs, outputs })` a Functional. */
export type ModelClassName = 'Functional' | 'Sequential';

/** The arguments of a Functional, checked at run time (the compiler's checks are on ModelArgs). */
export interface FunctionalArgs<Inputs extends Tensors, Outputs extends Tensors> {
  readonly inputs: Inputs;
  readonly outputs: Outputs;
  readonly name?: string;
  /** Default 'Functional'. A Sequential's summary has no rows for its Input, as Keras's. */
  readonly className?: ModelClassName;
  readonly onWarning?: (message: string) => void;
}

/** A functional model's graph. `Inputs` and `Outputs` keep the exact tensors it was built from. */
export class Functional<Inputs extends Tensors = Tensors, Outputs extends Tensors = Tensors> {
  readonly name: string;
  /** Keras's class name: the summary's row of the model nested in another, and what a save records. */
  readonly className: ModelClassName;
  /** The inputs, in order. */
  readonly inputs: readonly AnyTensor[];
  /** The outputs, in order. */
  readonly outputs: readonly AnyTensor[];
  /** Whether the outputs were given as one tensor (not a list): a call of the model then gives one tensor. */
  readonly singleOutput: boolean;
  /** The layers between them, inputs first, in Keras's order (by depth from the outputs, then as first reached). */
  readonly layers: readonly LayerCore[];
  /** Whether the graph is one chain of calls (Keras's `sequential_like`): its summary has no "Connected to". */
  readonly chain: boolean;
  /** The calls between them, in the same order. */
  readonly nodes: readonly GraphNode[];
  /** Warnings raised while building the model. */
  readonly warnings: readonly string[];
  /** Where this model's warnings go (compile's too): `onWarning`, or `console.warn`. */
  readonly onWarning: (message: string) => void;
  /** Phantom: the tensors the model was built from, for the types of its users. */
  declare readonly tensors?: { readonly inputs: Inputs; readonly outputs: Outputs };

  constructor(args: FunctionalArgs<Inputs, Outputs>) {
    this.name = args.name ?? uniqueName('model', false);
    this.className = args.className ?? 'Functional';
    this.inputs = tensorList('inputs', args.inputs);
    this.outputs = tensorList('outputs', args.outputs);
    this.singleOutput = !Array.isArray(args.outputs);
    // By name: two Inputs named alike are the same input to the compiler (and to a saved model).
    const seen = new Set<string>();
    for (const [index, input] of this.inputs.entries()) {
      if (!isInput(input))
        fail({
          code: 'not-an-input',
          layer: 'Model',
          argument: Array.isArray(args.inputs) ? `inputs[${index}]` : 'inputs',
          received: `${input} (built by ${input.node.layer.className})`,
        });
      if (seen.has(input.node.layer.name))
        fail({ code: 'duplicate', layer: 'Model', what: 'input', name: input.node.layer.name });
      seen.add(input.node.layer.name);
    }
    const graph = orderGraph(this.outputs, this.inputs);
    this.nodes = graph.nodes;
    this.layers = graph.layers;
    this.chain = graph.chain;
    const names = new Set<string>();
    for (const layer of this.layers) {
      if (names.has(layer.name)) fail({ code: 'duplicate', layer: 'Model', what: 'layer name', name: layer.name });
      names.add(layer.name);
    }
    for (const node of this.nodes) modelNodes.add(node);
    this.warnings = unusedLayers(this.inputs, modelNodes).map(
      (layer) =>
        `Model '${this.name}': layer '${layer.name}' (${layer.className}) reads the model's inputs but reaches none of its outputs; it is left out of the model`,
    );
    this.onWarning = args.onWarning ?? ((message: string) => console.warn(message));
    for (const warning of this.warnings) this.onWarning(warning);
  }

  /** Floating-point operations of one forward pass, per sample (convolutions, dense and recurrent layers). */
  flops(): number {
    return this.nodes.reduce(
      (total, node) =>
        total + (node.layer.spec.flops?.(node.inputs.map(({ shape, dtype }) => ({ shape, dtype }))) ?? 0),
      0,
    );
  }

  /** Total parameters, trainable and not, as Keras's `count_params()`. */
  countParams(): number {
    return this.layers.reduce((total, layer) => {
      const { trainable, nonTrainable } = layer.countParams();
      return total + trainable + nonTrainable;
    }, 0);
  }

  /**
   * The Keras-style summary table, line by line through `printFn` (default: console.log); with `expandNested`,
   * each nested model's layers are shown under its row, framed, as Keras's `expand_nested`.
   * @example model.summary({ expandNested: true })
   */
  summary(options: ((line: string) => void) | SummaryOptions = {}): void {
    const { printFn = (line: string) => console.log(line), ...rest } =
      typeof options === 'function' ? { printFn: options } : options;
    for (const line of this.summaryLines(rest)) printFn(line);
  }

  /** The summary table as lines. */
  summaryLines(options: { readonly expandNested?: boolean } = {}): string[] {
    const counts = this.layers.map((layer) => layer.countParams());
    return formatSummary({
      name: this.name,
      rows: summaryRows(this, false),
      sequential: this.chain,
      trainable: counts.reduce((total, count) => total + count.trainable, 0),
      nonTrainable: counts.reduce((total, count) => total + count.nonTrainable, 0),
      expandNested: options.expandNested ?? false,
    });
  }
}

export interface SummaryOptions {
  /** Receives each line. Default console.log. */
  readonly printFn?: (line: string) => void;
  /** Shows each nested model's layers under its row. Default false. */
  readonly expandNested?: boolean;
}

/**
 * The rows of a model's layers. A nested model's own rows leave "Connected to" empty, as Keras's do (their
 * calls are not the outer model's).
 */
function summaryRows(model: Functional, nested: boolean): SummaryRow[] {
  const nodeIndex = (node: GraphNode): number => node.layer.nodes.indexOf(node);
  // Keras's Sequential lists its layers without its InputLayer.
  const inputLayers = new Set(model.inputs.map((input) => input.node.layer));
  const layers =
    model.className === 'Sequential' ? model.layers.filter((layer) => !inputLayers.has(layer)) : model.layers;
  return layers.map((layer): SummaryRow => {
    const nodes = model.nodes.filter((node) => node.layer === layer);
    const [only] = nodes;
    const { trainable, nonTrainable } = layer.countParams();
    const inner = layer.spec.model;
    return {
      name: layer.name,
      className: layer.className,
      outputShape: nodes.length === 1 && only !== undefined ? only.outputs.map((tensor) => tensor.shape) : 'multiple',
      isInput: layer.className === 'InputLayer',
      params: trainable + nonTrainable,
      connectedTo: nested
        ? []
        : nodes.flatMap((node) =>
            node.inputs.map((tensor) => `${tensor.node.layer.name}[${nodeIndex(tensor.node)}][${tensor.index}]`),
          ),
      ...(inner === undefined ? {} : { nested: summaryRows(inner, true) }),
    };
  });
}

function tensorList(argument: 'inputs' | 'outputs', value: unknown): AnyTensor[] {
  const list: readonly unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail({ code: 'not-a-tensor', layer: 'Model', argument, received: 'an empty list' });
  return list.map((item, index) => {
    if (isTensor(item)) return item;
    return fail({
      code: 'not-a-tensor',
      layer: 'Model',
      argument: Array.isArray(value) ? `${argument}[${index}]` : argument,
      received: describe(item),
    });
  });
}

/**
 * The calls from the inputs to the outputs and the layers they call, in Keras's order (keras/src/ops/function.py,
 * `map_graph`): a call's depth is the longest path from it to an output (outputs are 0; a shared layer takes the
 * depth of its deepest call, and its later calls no less); rows go by decreasing depth, and ties in the order a
 * depth-first walk from the outputs, in order, following each call's inputs in order, first reaches the layer.
 * An Input no output reads has depth 0 and comes first among them. Fails on an Input the outputs need that is not
 * listed.
 */
function orderGraph(
  outputs: readonly AnyTensor[],
  inputs: readonly AnyTensor[],
): { readonly nodes: GraphNode[]; readonly layers: LayerCore[]; readonly chain: boolean } {
  const listed = new Set(inputs.map((input) => input.node));
  // The walk: `finished` in post-order (inputs before the calls that read them), `reached` in pre-order.
  const finished: GraphNode[] = [];
  const done = new Set<GraphNode>();
  const reached = new Map<LayerCore, number>();
  const walk = (node: GraphNode): void => {
    if (done.has(node)) return;
    if (node.inputs.length === 0 && !listed.has(node))
      fail({
        code: 'missing-input',
        layer: 'Model',
        input: node.layer.name,
        listed: inputs.map((input) => input.node.layer.name),
      });
    if (!reached.has(node.layer)) reached.set(node.layer, reached.size);
    if (!listed.has(node)) for (const input of node.inputs) walk(input.node);
    done.add(node);
    finished.push(node);
  };
  for (const output of outputs) walk(output.node);
  const nodeDepth = new Map<GraphNode, number>();
  const layerDepth = new Map<LayerCore, number>();
  for (const node of [...finished].reverse()) {
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    if (listed.has(node)) continue;
    for (const input of node.inputs) nodeDepth.set(input.node, Math.max(depth + 1, nodeDepth.get(input.node) ?? 0));
  }
  // An input no output reads is still an input of the model (Keras allows it): it takes data and is saved.
  for (const node of listed)
    if (!layerDepth.has(node.layer)) {
      layerDepth.set(node.layer, 0);
      reached.set(node.layer, -1);
      nodeDepth.set(node, 0);
    }
  const layers = [...layerDepth.keys()].sort(
    (a, b) => (layerDepth.get(b) ?? 0) - (layerDepth.get(a) ?? 0) || (reached.get(a) ?? 0) - (reached.get(b) ?? 0),
  );
  // The calls in an order that runs each after the calls it reads (depth falls along every edge).
  const position = new Map(layers.map((layer, index) => [layer, index]));
  const nodes = [...nodeDepth.keys()].sort(
    (a, b) =>
      (nodeDepth.get(b) ?? 0) - (nodeDepth.get(a) ?? 0) ||
      (position.get(a.layer) ?? 0) - (position.get(b.layer) ?? 0) ||
      a.id - b.id,
  );
  // Keras's `sequential_like` (keras/src/utils/summary_utils.py): one call per depth, each reading at most one
  // tensor, and no layer called twice; the summary then has no "Connected to" column.
  const depths = [...nodeDepth.values()];
  const chain =
    new Set(depths).size === depths.length &&
    nodes.every((node) => node.inputs.length <= 1) &&
    layers.length === nodes.length;
  return { nodes, layers, chain };
}

/**
 * The calls some model uses. A call that only another model uses is not unused: an encoder built from an
 * autoencoder's graph, a feature extractor built from a classifier's.
 */
const modelNodes = new WeakSet<GraphNode>();

/** Layers called on tensors computed from the model's inputs alone that reach no model's outputs. */
function unusedLayers(inputs: readonly AnyTensor[], used: WeakSet<GraphNode>): LayerCore[] {
  const computable = new Set<AnyTensor>(inputs);
  const unused = new Set<LayerCore>();
  const pending = [...inputs];
  for (let tensor = pending.pop(); tensor !== undefined; tensor = pending.pop()) {
    for (const consumer of tensor.consumers) {
      if (!consumer.inputs.every((input) => computable.has(input))) continue;
      if (!used.has(consumer)) unused.add(consumer.layer);
      for (const output of consumer.outputs) {
        if (computable.has(output)) continue;
        computable.add(output);
        pending.push(output);
      }
    }
  }
  return [...unused];
}
