// The typed graph, interpreted on TensorFlow.js. Each kerats layer is lowered once to its tfjs-layers twin (so a
// shared layer keeps one set of weights); a plain tfjs LayersModel is built from them for the wider ecosystem
// (and for saving in the tfjs format), and kerats runs the graph itself, node by node, so that it controls the
// training flag, masks and losses the way Keras does.
import * as tf from '@tensorflow/tfjs';
import { withConstraints } from '../dsl/constraints.ts';
import { type LayerCore, LossCollector, type Lowering, type TensorInfo } from '../dsl/layer.ts';
import { modelTrainable } from '../dsl/layers/functional.ts';
import type { Functional } from '../dsl/model.ts';
import { activityPenalty } from '../dsl/regularizers.ts';
import type { AnyTensor } from '../dsl/tensor.ts';
import { fail } from '../errors.ts';
import type { Dim } from '../shapes/dim.ts';
import './gradients.ts';

type Mask = tf.Tensor | null;

const graphs = new WeakMap<Functional, LoweredGraph>();

/** The lowered graph of a model, made once: every model that contains it (nested) runs the same one. */
export function loweredGraphOf(model: Functional): LoweredGraph {
  let graph = graphs.get(model);
  if (graph === undefined) {
    graph = new LoweredGraph(model);
    graphs.set(model, graph);
  }
  return graph;
}

/** What a layer's lowering may ask of the runtime, for lowering one layer outside any model. */
export const lowering: Lowering = { model: (model) => loweredGraphOf(model).layersModel, shared: sharedTwin };

/**
 * The tfjs twins of the layers with weights, one per kerats layer whatever model it is in, so that models built
 * on one graph (an encoder and its autoencoder, a feature extractor and its classifier) share the weights, as in
 * Keras. A layer without weights is lowered per model: its lowering may depend on the calls that model makes
 * (Reshape's -1, Concatenate's axis), and there is nothing to share.
 */
const twins = new WeakMap<LayerCore, tf.layers.Layer>();

/** The twin of `core`, made by `lower` when it has none (and kept when the layer has weights). */
function sharedTwin(core: LayerCore, lower: () => tf.layers.Layer): tf.layers.Layer {
  const existing = twins.get(core);
  if (existing !== undefined) return existing;
  const layer = lower();
  if (core.weights.length > 0) twins.set(core, layer);
  return layer;
}

/** A model lowered to tfjs layers, ready to run. */
export class LoweredGraph {
  /** The plain tfjs model, sharing these layers and weights. */
  readonly layersModel: tf.LayersModel;
  private readonly lowered = new Map<LayerCore, tf.layers.Layer>();
  /** Each layer's calls in this model, for lowering. */
  private readonly calls = new Map<LayerCore, TensorInfo[][]>();
  /** The nested models' graphs, by their twins: run runs them node by node too (training flag, masks). */
  private readonly nested = new Map<tf.layers.Layer, LoweredGraph>();

  constructor(readonly model: Functional) {
    for (const node of model.nodes) {
      if (node.inputs.length === 0) continue;
      const calls = this.calls.get(node.layer) ?? [];
      calls.push(node.inputs.map(({ shape, dtype }) => ({ shape, dtype })));
      this.calls.set(node.layer, calls);
    }
    const symbolic = new Map<AnyTensor, tf.SymbolicTensor>();
    for (const node of model.nodes) {
      const [output] = node.outputs;
      if (output === undefined) continue;
      if (node.inputs.length === 0) {
        symbolic.set(output, tf.input({ shape: [...output.shape], dtype: output.dtype, name: node.layer.name }));
        continue;
      }
      // Named by call: a shared layer's calls may each need one.
      const pinName = `${node.layer.name}_call${node.layer.nodes.indexOf(node)}`;
      const infos = node.inputs.map(({ shape, dtype }): TensorInfo => ({ shape, dtype }));
      const implied = node.layer.spec.impliedInputs?.(infos) ?? infos;
      const inputs = node.inputs.map((input, index) =>
        pin(symbolic.get(input) ?? missing(input), implied[index]?.shape ?? input.shape, `${pinName}_in${index}`),
      );
      const result = this.layer(node.layer).apply(inputs.length === 1 ? (inputs[0] ?? []) : inputs);
      const results = Array.isArray(result) ? result : [result];
      for (const [index, tensor] of node.outputs.entries()) {
        const value = results[index];
        if (!(value instanceof tf.SymbolicTensor) || results.length !== node.outputs.length)
          throw new Error(`kerats: ${node.layer.name} did not lower to ${node.outputs.length} tensor(s)`);
        symbolic.set(tensor, pin(value, tensor.shape, `${pinName}_out${index}`));
      }
    }
    this.layersModel = tf.model({
      inputs: model.inputs.map((input) => symbolic.get(input) ?? missing(input)),
      outputs: model.outputs.map((output) => symbolic.get(output) ?? missing(output)),
      name: model.name,
    });
    // tfjs orders a model's weights by their trainable flags: set them now, so that a replica rebuilt from the
    // graph (which records frozen layers) lists them in this model's order.
    this.syncTrainable(modelTrainable(model));
    // Weights are saved and restored by name; a model nesting two layers of one name (possible across models)
    // would write one over the other.
    const names = new Set<string>();
    for (const weight of this.layersModel.weights) {
      if (names.has(weight.originalName))
        fail({ code: 'duplicate', layer: `Model '${model.name}'`, what: 'weight name', name: weight.originalName });
      names.add(weight.originalName);
    }
  }

  /** The tfjs twin of a kerats layer (made on first use). */
  layer(core: LayerCore): tf.layers.Layer {
    let layer = this.lowered.get(core) ?? twins.get(core);
    if (layer === undefined) {
      const nested: LoweredGraph[] = [];
      layer = core.spec.lower(core.name, this.calls.get(core) ?? [], {
        model: (model) => {
          const graph = loweredGraphOf(model);
          nested.push(graph);
          return graph.layersModel;
        },
        shared: sharedTwin,
      });
      for (const graph of nested) this.nested.set(graph.layersModel, graph);
      if (core.weights.length > 0) twins.set(core, layer);
    }
    this.lowered.set(core, layer);
    return layer;
  }

  /** The trainable variables, in a stable order. */
  trainableVariables(): tf.Variable[] {
    this.syncTrainable(modelTrainable(this.model));
    return this.layersModel.trainableWeights
      .map((weight) => weight.read())
      .filter((variable): variable is tf.Variable => variable instanceof tf.Variable);
  }

  /**
   * Projects each trainable weight that has a constraint (a layer's `kernelConstraint`, ...) onto it, as Keras's
   * optimizer does after every update (keras/src/optimizers/base_optimizer.py).
   */
  applyConstraints(): void {
    withConstraints(() =>
      tf.tidy(() => {
        for (const weight of this.layersModel.trainableWeights) {
          const variable = weight.read();
          if (weight.constraint && variable instanceof tf.Variable) variable.assign(weight.constraint.apply(variable));
        }
      }),
    );
  }

  /**
   * Gives each twin its kerats layer's `trainable`, false inside a frozen model (as Keras sets it on every
   * sublayer), outer layers first: tfjs's container sets all its layers' weights when it is set, and each inner
   * layer then sets its own.
   */
  private syncTrainable(enclosing: boolean): void {
    for (const [core, twin] of this.lowered) {
      const trainable = enclosing && core.trainable;
      if (twin.trainable !== trainable) twin.trainable = trainable;
      this.nested.get(twin)?.syncTrainable(trainable);
    }
  }

  /**
   * Runs the graph on concrete input tensors (in model input order) and returns the outputs (in model output
   * order). `training` switches Dropout and BatchNormalization to their training behaviour. Masks made by
   * Embedding({ maskZero: true }) flow to the layers after it, as in Keras. Call inside tf.tidy.
   */
  run(inputs: readonly tf.Tensor[], training: boolean): tf.Tensor[] {
    return this.execute(inputs, [], training, new LossCollector()).values;
  }

  /**
   * As run, with the losses the model adds, Keras's `model.losses`: those its layers added in the pass
   * (ActivityRegularization, a layer's activityRegularizer, a defined layer's addLoss), then the penalties of its
   * weight regularizers.
   */
  forward(inputs: readonly tf.Tensor[], training: boolean): { outputs: tf.Tensor[]; losses: tf.Tensor[] } {
    const collector = new LossCollector();
    const outputs = this.execute(inputs, [], training, collector).values;
    this.weightPenalties(modelTrainable(this.model), new Set(), collector);
    return { outputs, losses: collector.losses };
  }

  /**
   * The penalties of the weight regularizers (`kernelRegularizer`, ...) of the trainable layers, each layer once
   * however often it is called, as Keras's `_get_regularization_losses` runs over the model's trainable weights (a
   * frozen layer's count no more). tfjs's layers keep one penalty function per regularized weight.
   */
  private weightPenalties(enclosing: boolean, seen: Set<tf.layers.Layer>, into: LossCollector): void {
    for (const [core, twin] of this.lowered) {
      if (seen.has(twin)) continue;
      seen.add(twin);
      const trainable = enclosing && core.trainable;
      const inner = this.nested.get(twin);
      if (inner !== undefined) inner.weightPenalties(trainable, seen, into);
      else if (trainable) for (const loss of twin.losses) into.add(loss());
    }
  }

  /** Runs the graph on inputs with their masks (none: no masks); the outputs with theirs. */
  private execute(
    inputs: readonly tf.Tensor[],
    inputMasks: readonly Mask[],
    training: boolean,
    losses: LossCollector,
  ): { values: tf.Tensor[]; masks: Mask[] } {
    const values = new Map<AnyTensor, tf.Tensor>();
    const masks = new Map<AnyTensor, Mask>();
    for (const [index, input] of this.model.inputs.entries()) {
      const value = inputs[index];
      if (value === undefined) throw new Error(`kerats: no value for input ${index}`);
      values.set(input, value);
      masks.set(input, inputMasks[index] ?? null);
    }
    for (const node of this.model.nodes) {
      const [output] = node.outputs;
      if (output === undefined || node.inputs.length === 0) continue;
      const layer = this.layer(node.layer);
      const args = node.inputs.map((input) => values.get(input) ?? missing(input));
      const inputMasks = node.inputs.map((input) => masks.get(input) ?? null);
      const inner = this.nested.get(layer);
      if (inner !== undefined) {
        // A nested model runs here, node by node, as the rest does (masks, training flag), rather than through
        // tfjs's container, whose computeMask would run the whole model a second time.
        const result = inner.execute(args, inputMasks, training, losses);
        for (const [index, tensor] of node.outputs.entries()) {
          values.set(tensor, result.values[index] ?? missing(tensor));
          masks.set(tensor, result.masks[index] ?? null);
        }
        continue;
      }
      const [first] = args;
      const x = args.length === 1 && first !== undefined ? first : args;
      // Masks flow through single-input layers that support them; a layer that does not (Flatten, Conv1D)
      // drops the mask, as in Keras, and so does a merge of masked sequences (see docs/design.md).
      const mask = args.length === 1 && layer.supportsMasking ? (inputMasks[0] ?? null) : null;
      const kwargs: { training: boolean; losses: LossCollector; mask?: tf.Tensor } = { training, losses };
      if (mask !== null) kwargs.mask = mask;
      const result = layer.apply(x, kwargs);
      const results = Array.isArray(result) ? result : [result];
      // Keras's Layer.__call__: the activity regularizer's penalty on each output, divided by the batch size.
      const activity = node.layer.spec.activityRegularizer;
      if (activity !== undefined)
        for (const value of results) if (value instanceof tf.Tensor) losses.add(activityPenalty(activity, value));
      const outMasks = layer.computeMask(x, kwargs.mask);
      for (const [index, tensor] of node.outputs.entries()) {
        const value = results[index];
        if (!(value instanceof tf.Tensor) || results.length !== node.outputs.length)
          throw new Error(`kerats: ${node.layer.name} did not produce ${node.outputs.length} tensor(s)`);
        values.set(tensor, value);
        const outMask = Array.isArray(outMasks) ? outMasks[index] : outMasks;
        masks.set(tensor, outMask instanceof tf.Tensor ? outMask : null);
      }
    }
    return {
      values: this.model.outputs.map((output) => values.get(output) ?? missing(output)),
      masks: this.model.outputs.map((output) => masks.get(output) ?? null),
    };
  }
}

/**
 * The tensor, reshaped to `shape` where tfjs knows less of it than kerats does (tfjs leaves a merge of an unknown
 * and a known size unknown, and then cannot build a Flatten or a Dense after it). The reshape changes nothing at
 * run time; it only tells tfjs the shape. Shapes with two or more unknown sizes are left as they are.
 */
function pin(tensor: tf.SymbolicTensor, shape: readonly Dim[], name: string): tf.SymbolicTensor {
  const known = tensor.shape.slice(1);
  const learns = shape.some((dim, axis) => dim !== null && known[axis] === null);
  if (!learns || known.length !== shape.length || shape.filter((dim) => dim === null).length > 1) return tensor;
  const reshaped = tf.layers.reshape({ targetShape: shape.map((dim) => dim ?? -1), name }).apply(tensor);
  return reshaped instanceof tf.SymbolicTensor ? reshaped : tensor;
}

function missing(tensor: AnyTensor): never {
  throw new Error(`kerats: the graph has no value for ${tensor.name}; it is not computed from the model's inputs`);
}
