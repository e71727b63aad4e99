// A model's graph as plain JSON data, and the model rebuilt from it. Saving writes this description into
// model.json, a worker rebuilds its replica from it, and a model used as a layer carries its own as its config.
// Rebuilding trusts nothing it reads: every layer is rebuilt through its factory's checks, every reference is
// checked to name an earlier call, and sizes are bounded.
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import type { JsonValue, LayerHandle } from './layer.ts';
import { Input } from './layers/input.ts';
import type { Functional, FunctionalArgs, Tensors } from './model.ts';
import { type CustomLayers, rebuildLayer } from './registry.ts';
import type { AnyTensor, GraphNode } from './tensor.ts';

const maxLayers = 100_000;

function problem(path: string, text: string): never {
  return fail({ code: 'model-file', layer: 'loadModel', path, problem: text });
}

// Type aliases rather than interfaces: a model used as a layer carries its graph as a JSON config.
type SavedLayer = {
  readonly name: string;
  readonly className: string;
  readonly config: { readonly [key: string]: JsonValue };
  /** Written only for a frozen layer. */
  readonly trainable?: false;
};

export type SavedGraph = {
  readonly name: string;
  /** Written only for a Sequential (a Functional is the default). */
  readonly className?: 'Sequential';
  readonly inputs: readonly {
    readonly name: string;
    readonly shape: readonly (number | null)[];
    readonly dtype: string;
  }[];
  readonly layers: readonly SavedLayer[];
  /**
   * Each call: the layer, and the tensors it read, as [layer name, call index] or, for a call's output after
   * its first (a layer with several outputs), [layer name, call index, output index]. A call index counts that
   * layer's calls in this list (inputs are call 0 of their layer), so replaying the list in order gives every
   * call its index back, whatever order the calls were made in.
   */
  readonly nodes: readonly { readonly layer: string; readonly inputs: readonly TensorReference[] }[];
  readonly outputs: readonly TensorReference[];
};

type TensorReference = readonly [string, number] | readonly [string, number, number];

export function graphOf(model: Functional): SavedGraph {
  const calls = model.nodes.filter((node) => node.inputs.length > 0);
  // Numbered by position in the saved list, not by creation: a shared layer's calls may be made in any order.
  const callIndex = new Map<GraphNode, number>(model.inputs.map((input) => [input.node, 0]));
  const counts = new Map<string, number>();
  for (const node of calls) {
    const count = counts.get(node.layer.name) ?? 0;
    callIndex.set(node, count);
    counts.set(node.layer.name, count + 1);
  }
  const reference = (tensor: AnyTensor): TensorReference => {
    const call = callIndex.get(tensor.node) ?? -1;
    return tensor.index === 0 ? [tensor.node.layer.name, call] : [tensor.node.layer.name, call, tensor.index];
  };
  return {
    name: model.name,
    ...(model.className === 'Sequential' ? { className: 'Sequential' as const } : {}),
    inputs: model.inputs.map((input) => ({ name: input.node.layer.name, shape: [...input.shape], dtype: input.dtype })),
    layers: model.layers
      .filter((layer) => !model.inputs.some((input) => input.node.layer === layer))
      .map((layer) => ({
        name: layer.name,
        className: layer.className,
        config: layer.spec.config,
        ...(layer.trainable ? {} : { trainable: false as const }),
      })),
    nodes: calls.map((node) => ({ layer: node.layer.name, inputs: node.inputs.map(reference) })),
    outputs: model.outputs.map(reference),
  };
}

export function list(path: string, value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) return problem(path, `its graph's ${what} is not a list`);
  if (value.length > maxLayers) return problem(path, `its graph has more than ${maxLayers} ${what}`);
  return value;
}

function text(path: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,200}$/.test(value))
    return problem(path, `${what} ${describe(value)} is not a name`);
  return value;
}

/** How a loader makes the model object (the public KerasModel, or a bare Functional for a worker's replica). */
export type MakeModel<M extends Functional> = (args: FunctionalArgs<Tensors, Tensors>) => M;

/** Rebuilds a model from its saved graph, through the same checks as a user's code. */
export function rebuildGraph<M extends Functional>(
  path: string,
  graph: { readonly [key: string]: unknown },
  make: MakeModel<M>,
  customLayers: CustomLayers = {},
): M {
  // Each layer's calls in order, each call's outputs in order.
  const produced = new Map<string, AnyTensor[][]>();
  const reference = (value: unknown): AnyTensor => {
    if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3))
      return problem(path, `a tensor reference ${describe(value)} is not [layer, call] or [layer, call, output]`);
    const [layer, call, index = 0] = value;
    const tensor =
      typeof layer === 'string' && typeof call === 'number' && typeof index === 'number'
        ? produced.get(layer)?.[call]?.[index]
        : undefined;
    return tensor ?? problem(path, `a call reads ${describe(value)}, which no earlier call produced`);
  };
  const inputs = list(path, graph.inputs, 'inputs').map((saved) => {
    if (!isRecord(saved) || !Array.isArray(saved.shape) || (saved.dtype !== 'float32' && saved.dtype !== 'int32'))
      return problem(path, `an input ${describe(saved)} is not { name, shape, dtype }`);
    const shape = saved.shape.map((dim: unknown) =>
      dim === null || typeof dim === 'number'
        ? dim
        : problem(path, `input shape ${describe(saved.shape)} is not a list of sizes`),
    );
    const tensor = Input(shape, { dtype: saved.dtype, name: text(path, saved.name, 'an input name') });
    produced.set(tensor.node.layer.name, [[tensor]]);
    return tensor;
  });
  const layers = new Map<string, LayerHandle>();
  for (const saved of list(path, graph.layers, 'layers')) {
    const name = text(path, isRecord(saved) ? saved.name : undefined, 'a layer name');
    if (layers.has(name) || produced.has(name)) return problem(path, `the layer name '${name}' appears twice`);
    const layer = rebuildLayer(saved, `loadModel: ${path}: layer '${name}'`, customLayers);
    if (isRecord(saved) && saved.trainable === false) layer.core.trainable = false;
    layers.set(name, layer);
  }
  for (const saved of list(path, graph.nodes, 'calls')) {
    if (!isRecord(saved)) return problem(path, `a call ${describe(saved)} is not { layer, inputs }`);
    const name = text(path, saved.layer, 'a called layer');
    const layer = layers.get(name) ?? problem(path, `a call uses layer '${name}', which the graph does not define`);
    const output = layer.core.call(list(path, saved.inputs, 'call inputs').map(reference));
    produced.set(name, [...(produced.get(name) ?? []), Array.isArray(output) ? output : [output]]);
  }
  const outputs = list(path, graph.outputs, 'outputs').map(reference);
  const name = graph.name === undefined ? undefined : text(path, graph.name, 'the model name');
  if (graph.className !== undefined && graph.className !== 'Sequential')
    return problem(path, `its class ${describe(graph.className)} is not 'Sequential' (or absent, for a Functional)`);
  // One output is saved as a list of one; it comes back as the tensor, as most models are written.
  const [only] = outputs;
  return make({
    inputs,
    outputs: outputs.length === 1 && only !== undefined ? only : outputs,
    ...(name === undefined ? {} : { name }),
    ...(graph.className === 'Sequential' ? { className: 'Sequential' as const } : {}),
    onWarning: () => {},
  });
}
