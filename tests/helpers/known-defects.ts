// Defects the graph fuzzer finds on today's main, tolerated by tests/fuzz.test.ts until their fixes land (issue 8,
// "Keep it found"). Each entry matches findings by key (kind / aspect / layer) and by what the finding says. When a
// fix lands, delete its line: the test then fails on any graph that shows the defect again.
import { type Finding, findingKey } from './fuzz.ts';

export interface KnownDefect {
  /** The issue-8 item it belongs to (the branch fixing it). */
  readonly item: string;
  readonly key: string;
  readonly detail: RegExp;
}

export const knownDefects: readonly KnownDefect[] = [
  // Concatenate with a negative axis other than -1 is lowered as is; tfjs-layers then joins on the last axis when
  // it runs (its symbolic shape is right). src/dsl/layers/concatenate.ts should lower a positive axis.
  {
    item: 'layers-lower',
    key: 'shape or dtype disagreement / predict vs declared / *',
    detail: /predict gave/,
  },
  {
    item: 'layers-lower',
    key: 'refused at run time / fit / fit',
    detail: /expects \[batch, .*\] float32, got \[/,
  },
  // Reshape's target with -1 is lowered with the -1 (tfjs leaves that size unknown), so a later layer that needs
  // it (Conv1D's channels, Flatten, a recurrent layer, Dense) fails when kerats lowers the graph to run it.
  // src/dsl/layers/reshape.ts should lower the resolved target.
  {
    item: 'layers-lower',
    key: 'unnamed error / predict / predict',
    detail: /should be defined|should have a defined dimension|not fully defined|shape comprised of positive integers/,
  },
  // Pooling accepts an int32 tensor (an id input) and tfjs' MaxPool kernel then refuses it when the model runs.
  // src/dsl/pooling.ts (and the other float-only layers) should refuse int32 at build, with a kerats sentence.
  {
    item: 'layers-dtype',
    key: 'unnamed error / predict / predict',
    detail: /only float32 input is supported|must be float32 tensor, but got int32/,
  },
  // BatchNormalization on an axis other than the last builds and predicts, but its training step fails in tfjs
  // (the batch statistics are reshaped for the last axis). src/dsl/layers/batch-normalization.ts should refuse
  // such an axis or lower it so that it trains.
  { item: 'layers-lower', key: 'unnamed error / fit / fit', detail: /must match the product of shape/ },
  // Embedding({ maskZero: true }) followed by a layer that takes no mask (Conv1D, Flatten, Reshape, pooling):
  // accepted at build, tfjs' TypeError when it runs. src/runtime/graph.ts should drop the mask there (Keras 3)
  // or the build should refuse it.
  { item: 'masking', key: 'unnamed error / predict / predict', detail: /does not support masking/ },
  // A size unknown at build (null) that a merge or Reshape takes to equal a known one, given another size at run
  // time: tfjs' error, not a kerats sentence. src/runtime/data.ts or graph.ts could check and name the layer.
  {
    item: 'runtime-checks',
    key: 'unnamed error / predict / predict',
    detail: /does not match the shape of the rest|could not be broadcast|Total size of new array must be unchanged/,
  },
  // Reshape hands its config's target array to tf.layers.reshape, which replaces the -1 in place; the save then
  // holds [.., null, ..] and loadModel refuses it. src/dsl/layers/reshape.ts should pass a copy.
  {
    item: 'layers-lower',
    key: 'refused at run time / save/load before fit / Reshape',
    detail: /targetShape must be positive integers and at most one -1, got \[.*null/,
  },
  // fit on a model without trainable weights (Flatten, Dropout, pooling only) throws tfjs's variableGrads error.
  // src/runtime/training.ts should skip the gradient step (Keras trains such a model: the loss is reported).
  { item: 'training', key: 'unnamed error / fit / fit', detail: /variableGrads\(\) expects at least one/ },
];

const matches = (pattern: string, key: string): boolean =>
  pattern.endsWith(' / *') ? key.startsWith(pattern.slice(0, -1)) : pattern === key;

/** The known defect a finding is, if any. */
export function knownDefect(finding: Finding): KnownDefect | undefined {
  const key = findingKey(finding);
  return knownDefects.find((defect) => matches(defect.key, key) && defect.detail.test(finding.detail));
}
