// fit's sampleWeight and classWeight, as Keras takes them: a weight per sample (or per step, for sequence
// outputs) that scales that sample's loss, and a weight per class turned into sample weights by each target's
// class (keras/src/trainers/data_adapters/data_adapter_utils.py, class_weight_to_sample_weights). Metrics are
// not weighted: Keras weights only `weighted_metrics`.
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import type { Dim } from '../shapes/dim.ts';
import type { TargetRule } from './losses.ts';

/** A weight per sample: `[samples]`, or `[samples, steps]` for an output with steps. */
export type SampleWeightData = tf.Tensor | readonly number[] | readonly (readonly number[])[];

/** One for every output, a list in output order, or a record by output name. */
export type SampleWeightArg =
  | SampleWeightData
  | readonly SampleWeightData[]
  | Readonly<Record<string, SampleWeightData>>;

/** Keras's `class_weight`: a weight per class id, `{ 0: 1, 1: 5 }`; a class not listed weighs 1. */
export type ClassWeightArg = Readonly<Record<number, number>>;

interface Output {
  readonly name: string;
  readonly shape: readonly Dim[];
}

const expectedWeights = 'numbers >= 0, one per sample ([samples]), or per sample and step ([samples, steps])';

/** Whether a value is one output's weights rather than a list or record of them. */
function isOne(value: unknown, outputs: number): boolean {
  if (value instanceof tf.Tensor) return true;
  if (!Array.isArray(value)) return false;
  // A list of lists is [samples, steps] weights for one output unless it has one entry per output, each of them
  // a tensor or a list of numbers.
  const perOutput =
    outputs > 1 &&
    value.length === outputs &&
    value.every((item: unknown) => item instanceof tf.Tensor || Array.isArray(item));
  return !perOutput;
}

/** The sample weights of each output (undefined: unweighted), checked against the data. */
export function sampleWeights(
  value: unknown,
  outputs: readonly Output[],
  samples: number,
  owned: { readonly tensors: tf.Tensor[] },
  operation = 'fit',
): (tf.Tensor | undefined)[] {
  const option = 'sampleWeight';
  const names = outputs.map((output) => output.name);
  const one = (item: unknown, where: string, output: Output | undefined): tf.Tensor => {
    let tensor: tf.Tensor;
    if (item instanceof tf.Tensor) tensor = item;
    else if (Array.isArray(item)) {
      tensor = tf.tensor(item, undefined, 'float32');
      owned.tensors.push(tensor);
    } else
      return fail({
        code: 'option',
        layer: operation,
        option: where,
        expected: expectedWeights,
        received: describe(item),
      });
    const steps = (output?.shape ?? []).slice(0, -1);
    const fits =
      tensor.shape[0] === samples &&
      (tensor.rank === 1 ||
        (tensor.rank === 2 && tensor.shape[1] === 1) ||
        tensor.shape.slice(1).every((dim, axis) => steps[axis] === null || steps[axis] === dim));
    const rank = tensor.rank;
    if (!fits || rank - 1 > Math.max(1, steps.length))
      fail({
        code: 'option',
        layer: operation,
        option: where,
        expected: `${samples} weights ([${samples}]${steps.length > 0 ? ` or [${samples}, ${steps.join(', ')}]` : ''})`,
        received: `[${tensor.shape.join(', ')}]`,
      });
    const bad = Array.from(tensor.dataSync()).find((weight) => !(Number.isFinite(weight) && weight >= 0));
    if (bad !== undefined)
      fail({
        code: 'option',
        layer: operation,
        option: where,
        expected: expectedWeights,
        received: `a weight of ${bad}`,
      });
    return tensor;
  };
  if (isOne(value, outputs.length)) {
    const tensor = one(value, option, outputs[0]);
    return outputs.map(() => tensor);
  }
  if (Array.isArray(value))
    return value.map((item: unknown, index) => one(item, `${option}[${index}]`, outputs[index]));
  if (isRecord(value)) {
    for (const key of Object.keys(value))
      if (!names.includes(key))
        fail({ code: 'data-name', layer: operation, role: 'target', name: key, expected: names });
    return outputs.map((output) =>
      Object.hasOwn(value, output.name) ? one(value[output.name], `${option}.${output.name}`, output) : undefined,
    );
  }
  return fail({
    code: 'option',
    layer: operation,
    option,
    expected: `${expectedWeights}; a list of those in output order, or a record by output name`,
    received: describe(value),
  });
}

/** Checks `classWeight` and returns it as a lookup by class id. */
export function checkClassWeight(value: unknown, outputs: number, operation = 'fit'): Map<number, number> {
  if (outputs !== 1)
    fail({
      code: 'option',
      layer: operation,
      option: 'classWeight',
      expected: 'given for a model with a single output only (as in Keras); use sampleWeight for several outputs',
      received: describe(value),
    });
  if (!isRecord(value) || Array.isArray(value))
    return fail({
      code: 'option',
      layer: operation,
      option: 'classWeight',
      expected: 'a record of weights by class id, { 0: 1, 1: 5 }',
      received: describe(value),
    });
  const weights = new Map<number, number>();
  for (const [key, weight] of Object.entries(value)) {
    const id = Number(key);
    if (!(Number.isInteger(id) && id >= 0 && String(id) === key))
      fail({
        code: 'option',
        layer: operation,
        option: 'classWeight',
        expected: 'class ids (integers >= 0) as keys',
        received: `'${key}'`,
      });
    if (!(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0))
      fail({
        code: 'option',
        layer: operation,
        option: `classWeight[${key}]`,
        expected: 'a number >= 0',
        received: describe(weight),
      });
    weights.set(id, weight);
  }
  return weights;
}

/** Sample weights from class weights: each sample's class is its id, or the argmax of a one-hot target. */
export function classSampleWeights(
  weights: ReadonlyMap<number, number>,
  target: tf.Tensor,
  rule: TargetRule,
): tf.Tensor {
  return tf.tidy(() => {
    const units = target.shape[target.rank - 1] ?? 1;
    const classes =
      rule.ids !== undefined
        ? tf.cast(target, 'int32')
        : target.rank > 1 && units !== 1
          ? tf.argMax(target, -1)
          : tf.cast(tf.round(tf.reshape(target, target.shape.slice(0, -1))), 'int32');
    const largest = Math.max(0, ...weights.keys(), ...Array.from(tf.max(classes).dataSync()));
    const table = tf.tensor1d(Array.from({ length: largest + 1 }, (_, id) => weights.get(id) ?? 1));
    const flat = tf.reshape(classes, [-1]);
    const looked = tf.gather(table, tf.cast(tf.maximum(flat, 0), 'int32'));
    return tf.reshape(looked, classes.shape);
  });
}
