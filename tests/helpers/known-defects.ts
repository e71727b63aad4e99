// Defects the graph fuzzer finds on today's main, tolerated by tests/fuzz.test.ts until their fixes land (issue 8,
// "Keep it found"). Each entry matches a finding by its key (kind / aspect / layer, `*` for any layer), by what
// the finding says, and by the graph holding the layer at fault. When a fix lands, delete its entry: the test
// then fails on any graph that shows the defect again.
import { type Finding, findingKey } from './fuzz.ts';
import type { Graph } from './graphs.ts';

export interface KnownDefect {
  /** The issue-8 item it belongs to (the branch fixing it, where there is one). */
  readonly item: string;
  /** The defect, in a few words (one defect may have several entries: one per way it shows). */
  readonly name: string;
  readonly key: string;
  readonly detail: RegExp;
  /** The graphs it can occur in. */
  readonly graph: (graph: Graph) => boolean;
}

const has = (graph: Graph, test: (config: Graph['layers'][number]) => boolean): boolean => graph.layers.some(test);
const reshapeWildcard = (graph: Graph): boolean =>
  has(graph, (config) => config.layer === 'Reshape' && config.target.includes(-1));
const unknownSizes = (graph: Graph): boolean => graph.inputs.some((input) => input.shape.includes(null));

export const knownDefects: readonly KnownDefect[] = [
  // Concatenate with a negative axis other than -1 is lowered as is; tfjs-layers then joins on the last axis when
  // it runs (its symbolic shape is right), so predict's shape is not the declared one and fit refuses its targets.
  // src/dsl/layers/concatenate.ts should lower a positive axis.
  {
    item: 'layers-lower',
    name: 'Concatenate: negative axis lowered as is',
    key: 'shape or dtype disagreement / predict vs declared / *',
    detail: /predict gave/,
    graph: (graph) => has(graph, (config) => config.layer === 'Concatenate' && config.axis < -1),
  },
  {
    item: 'layers-lower',
    name: 'Concatenate: negative axis lowered as is',
    key: 'refused at run time / fit / fit',
    detail: /expects \[batch, .*\] float32, got \[/,
    graph: (graph) => has(graph, (config) => config.layer === 'Concatenate' && config.axis < -1),
  },
  {
    item: 'layers-lower',
    name: 'Concatenate: negative axis lowered as is',
    key: 'unnamed error / predict / predict',
    detail: /does not match the shape of the rest|is incompatible with layer/,
    graph: (graph) => has(graph, (config) => config.layer === 'Concatenate' && config.axis < -1),
  },
  // Concatenate takes an unknown size to match a known one on the other axes ([null, 1] with [2, null] on axis 1),
  // as Keras does, but tfjs-layers refuses it, and kerats must lower to tfjs: the model fails when it first runs.
  // src/dsl/layers/concatenate.ts (src/shapes/merge.ts) should refuse it, or lower it so that tfjs accepts it.
  {
    item: 'layers-lower',
    name: 'Concatenate: unknown size taken to match a known one',
    key: 'acceptance disagreement / kerats accepts, tfjs refuses / Concatenate',
    detail: /requires inputs with matching shapes except for the concat axis/,
    graph: () => true,
  },
  {
    item: 'layers-lower',
    name: 'Concatenate: unknown size taken to match a known one',
    key: 'unnamed error / predict / predict',
    detail: /requires inputs with matching shapes except for the concat axis/,
    graph: () => true,
  },
  // Reshape's target with -1 is lowered with the -1 (tfjs leaves that size unknown), so a later layer that needs
  // it (Conv1D's channels, Flatten, a recurrent layer) fails when kerats lowers the graph to run it.
  // src/dsl/layers/reshape.ts should lower the resolved target.
  {
    item: 'layers-lower',
    name: 'Reshape: -1 lowered unresolved',
    key: 'unnamed error / predict / predict',
    detail: /should be defined|should have a defined dimension|not fully defined|shape comprised of positive integers/,
    graph: reshapeWildcard,
  },
  // Reshape hands its config's target array to tf.layers.reshape, which replaces the -1 in place; the save then
  // holds [.., null, ..] and loadModel refuses it. src/dsl/layers/reshape.ts should pass a copy.
  {
    item: 'layers-lower',
    name: 'Reshape: tfjs rewrites the saved target',
    key: 'refused at run time / save/load before fit / Reshape',
    detail: /targetShape must be positive integers and at most one -1, got \[.*null/,
    graph: reshapeWildcard,
  },
  // BatchNormalization on an axis other than the last builds and predicts, but its training step fails in tfjs
  // (the batch statistics are reshaped for the last axis). src/dsl/layers/batch-normalization.ts should refuse
  // such an axis or lower it so that it trains.
  {
    item: 'layers-lower',
    name: 'BatchNormalization: axis other than the last fails in fit',
    key: 'unnamed error / fit / fit',
    detail: /must match the product of shape/,
    graph: (graph) => has(graph, (config) => config.layer === 'BatchNormalization' && config.axis !== -1),
  },
  // A float-only layer (pooling, Conv2D) accepts an int32 tensor (ids, or a Reshape of them), and tfjs' kernel
  // refuses it when the model runs. src/dsl/pooling.ts, src/dsl/layers/conv2d.ts (and the other float-only
  // layers) should refuse int32 at build, with a kerats sentence.
  {
    item: 'layers-dtype',
    name: 'float-only layers accept int32',
    key: 'unnamed error / predict / predict',
    detail: /only float32 input is supported|must be float32 tensor, but got int32/,
    graph: (graph) => graph.inputs.some((input) => input.dtype === 'int32'),
  },
  // BatchNormalization declares float32 on an int32 input (ids) but computes int32: predict's dtype is not the
  // declared one, a Dropout after it fails in fit, and the unnormalized ids make the loss overflow.
  // src/dsl/layers/batch-normalization.ts should cast to float32 (or refuse int32) like the other float layers.
  {
    item: 'layers-dtype',
    name: 'BatchNormalization: int32 in, int32 out, declared float32',
    key: 'shape or dtype disagreement / predict vs declared / *',
    detail: /float32, predict gave \[.*\] int32/,
    graph: (graph) => has(graph, (config) => config.layer === 'BatchNormalization'),
  },
  {
    item: 'layers-dtype',
    name: 'BatchNormalization: int32 in, int32 out, declared float32',
    key: 'unnamed error / fit / fit',
    detail: /has to be a floating point tensor since it's going to be scaled, but got a int32/,
    graph: (graph) => has(graph, (config) => config.layer === 'BatchNormalization'),
  },
  {
    item: 'layers-dtype',
    name: 'BatchNormalization: int32 in, int32 out, declared float32',
    key: 'refused at run time / fit / fit',
    detail: /the loss became (Infinity|NaN)/,
    graph: (graph) =>
      has(graph, (config) => config.layer === 'BatchNormalization') &&
      graph.inputs.some((input) => input.dtype === 'int32'),
  },
  // Embedding({ maskZero: true }) followed by a layer that takes no mask (Conv1D, Flatten, Reshape, pooling):
  // accepted at build, tfjs' TypeError when it runs. src/runtime/graph.ts should drop the mask there (as Keras 3
  // does) or the build should refuse it.
  {
    item: 'masking',
    name: 'mask passed to a layer without masking',
    key: 'unnamed error / predict / predict',
    detail: /does not support masking/,
    graph: (graph) => has(graph, (config) => config.layer === 'Embedding' && config.maskZero),
  },
  // A size unknown at build (null) that a merge or Reshape takes to equal a known one, given another size at run
  // time: tfjs' error, not a kerats sentence. src/runtime/graph.ts (or data.ts) could check and name the layer.
  {
    item: 'runtime-checks',
    name: 'unknown size unchecked at run time',
    key: 'unnamed error / predict / predict',
    detail: /does not match the shape of the rest|could not be broadcast|Total size of new array must be unchanged/,
    graph: unknownSizes,
  },
  // The same with a window: a pooling or convolution window larger than a size that is null at build. Nothing
  // checks it when the model runs; tfjs' wasm backend returns NaN in a shape with -1 (graph 20261822 of the
  // documented run) and writes out of bounds, so the fuzzer does not run such a graph.
  {
    item: 'runtime-checks',
    name: 'window larger than an unknown size at run time',
    key: 'shape or dtype disagreement / predict vs declared / *',
    detail: /size below 1/,
    graph: unknownSizes,
  },
  // A recurrent layer (LSTM, GRU, SimpleRNN, Bidirectional, and TimeDistributed, which tfjs runs as one) on a
  // sequence of one step, after a layer with weights:
  // predict works, fit fails in tfjs' gradient ("Argument tensors passed to stack must be a Tensor[]").
  // Minimal: LSTM(2)(Dense(4)(Input([1, 3]))). src/dsl/recurrent.ts (its lowering) is where a work-around goes.
  {
    item: 'recurrent',
    name: 'recurrent layer on one step fails in fit',
    key: 'unnamed error / fit / fit',
    detail: /passed to stack must be a `Tensor\[\]`/,
    graph: (graph) =>
      has(graph, (config) => ['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'TimeDistributed'].includes(config.layer)),
  },
  // fit on a model without trainable weights (Flatten, Dropout, pooling only) throws tfjs' variableGrads error.
  // src/runtime/training.ts should skip the gradient step (Keras trains such a model and reports its loss).
  {
    item: 'training',
    name: 'fit without trainable weights',
    key: 'unnamed error / fit / fit',
    detail: /variableGrads\(\) expects at least one/,
    graph: () => true,
  },
];

const matches = (pattern: string, key: string): boolean =>
  pattern.endsWith(' / *') ? key.startsWith(pattern.slice(0, -1)) : pattern === key;

/** The known defect a finding of this graph is, if any. */
export function knownDefect(finding: Finding, graph: Graph): KnownDefect | undefined {
  const key = findingKey(finding);
  return knownDefects.find(
    (defect) => matches(defect.key, key) && defect.detail.test(finding.detail) && defect.graph(graph),
  );
}
