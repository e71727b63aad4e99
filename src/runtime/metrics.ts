// Keras's metrics (keras/src/metrics/*.py), stateful as Keras's are: each batch adds its counts to a state (a
// sum and a count for the means, true/false positives for precision and recall, a confusion matrix at 200
// thresholds for AUC), and the value is computed from the state summed over the epoch, not averaged per batch.
// States add, so the shares of a data-parallel step (parallel.ts) add too. 'accuracy' resolves by the loss.
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../dsl/layer.ts';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import type { Dim } from '../shapes/dim.ts';
import { epsilon, type Loss, type TargetRule } from './losses.ts';

/** Every built-in metric, by its Keras name in camelCase, and Keras's short names. */
export type MetricName =
  | 'accuracy'
  | 'acc'
  | 'binaryAccuracy'
  | 'categoricalAccuracy'
  | 'sparseCategoricalAccuracy'
  | 'topKCategoricalAccuracy'
  | 'sparseTopKCategoricalAccuracy'
  | 'precision'
  | 'recall'
  | 'auc'
  | 'meanAbsoluteError'
  | 'meanSquaredError'
  | 'rootMeanSquaredError'
  | 'mae'
  | 'mse';

export const metricNames: readonly MetricName[] = [
  'accuracy',
  'acc',
  'binaryAccuracy',
  'categoricalAccuracy',
  'sparseCategoricalAccuracy',
  'topKCategoricalAccuracy',
  'sparseTopKCategoricalAccuracy',
  'precision',
  'recall',
  'auc',
  'meanAbsoluteError',
  'meanSquaredError',
  'rootMeanSquaredError',
  'mae',
  'mse',
];

/** The options of the metrics that take some, as Keras's in camelCase. */
export interface MetricOptions {
  /** A prediction above it is 1. Default 0.5. */
  readonly binaryAccuracy: { readonly threshold?: number };
  /** Right when the true class is among the k highest scores. Default 5. */
  readonly topKCategoricalAccuracy: { readonly k?: number };
  readonly sparseTopKCategoricalAccuracy: { readonly k?: number };
  /** A prediction above it is positive. Default 0.5. */
  readonly precision: { readonly thresholds?: number };
  readonly recall: { readonly thresholds?: number };
  readonly auc: {
    /** Default 200. */
    readonly numThresholds?: number;
    /** Default 'ROC'. */
    readonly curve?: 'ROC' | 'PR';
    /** The predictions are logits: sigmoid is applied first. Default false. */
    readonly fromLogits?: boolean;
  };
}

type OptionsOf<Name extends MetricName> = Name extends keyof MetricOptions ? MetricOptions[Name] : unknown;

/** A metric with its options: `{ name: 'topKCategoricalAccuracy', k: 3 }`, logged under its name. */
export type MetricObject = { readonly [Name in MetricName]: { readonly name: Name } & OptionsOf<Name> }[MetricName];

/** A metric of your own: per-sample (or per-element) values, averaged over the epoch. */
export type CustomMetric = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** A custom metric with the name it is logged under: `{ name: 'f1', fn: (yTrue, yPred) => ... }`. */
export interface NamedCustomMetric<Name extends string = string> {
  readonly name: Name;
  readonly fn: CustomMetric;
}

/** What compile takes for one metric. A bare function is logged under its function name. */
export type MetricArg = MetricName | MetricObject | NamedCustomMetric | CustomMetric;

/** A metric resolved at compile for one output. */
export interface Metric {
  /** The key it is logged under (before the output's prefix). */
  readonly name: string;
  /** What save() writes and a worker thread receives. */
  readonly settings: JsonValue;
  readonly custom: CustomMetric | undefined;
  /** This batch's counts: a 1-D tensor that adds over batches. */
  state(target: tf.Tensor, prediction: tf.Tensor): tf.Tensor;
  /** The value from the summed counts. */
  result(state: readonly number[]): number;
}

/** The output a metric is resolved for: its shape, its loss and the target that loss takes. */
export interface MetricContext {
  readonly shape: readonly Dim[];
  readonly loss: Loss;
  readonly target: TargetRule;
}

const mean = (state: readonly number[]) => ((state[1] ?? 0) > 0 ? (state[0] ?? 0) / (state[1] ?? 1) : 0);
const divideNoNan = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Keras's MeanMetricWrapper: the mean of the values of every element, over the epoch. */
function meanState(values: tf.Tensor): tf.Tensor {
  return tf.stack([tf.sum(tf.cast(values, 'float32')), tf.scalar(values.size)]);
}

/** Class ids of a sparse target, shaped as the prediction without its last axis. */
function ids(target: tf.Tensor, prediction: tf.Tensor): tf.Tensor {
  return tf.reshape(tf.cast(target, 'int32'), prediction.shape.slice(0, -1));
}

/** Whether the true class is among the k highest predictions, per sample. */
function inTopK(prediction: tf.Tensor, classes: tf.Tensor, k: number): tf.Tensor {
  const units = prediction.shape[prediction.rank - 1] ?? 1;
  const flat = tf.reshape(prediction, [-1, units]);
  // The true class is in the top k when fewer than k classes score strictly higher (ties go its way, as
  // tf.math.in_top_k). Its score by a one-hot mask: gather with batchDims reads out of bounds on wasm.
  const score = tf.sum(tf.mul(flat, tf.oneHot(tf.reshape(tf.cast(classes, 'int32'), [-1]), units)), -1, true);
  const higher = tf.sum(tf.cast(tf.greater(flat, score), 'float32'), -1);
  return tf.less(higher, Math.min(k, units));
}

/** Flattened true/false positive and negative counts at each threshold: 4 × thresholds numbers. */
function confusion(target: tf.Tensor, prediction: tf.Tensor, thresholds: readonly number[]): tf.Tensor {
  const truth = tf.reshape(tf.cast(tf.notEqual(tf.cast(target, 'float32'), 0), 'float32'), [1, -1]);
  const scores = tf.reshape(tf.cast(prediction, 'float32'), [1, -1]);
  const above = tf.cast(tf.greater(scores, tf.reshape(tf.tensor1d([...thresholds]), [-1, 1])), 'float32');
  const below = tf.sub(1, above);
  const negative = tf.sub(1, truth);
  return tf.concat([
    tf.sum(tf.mul(above, truth), 1),
    tf.sum(tf.mul(above, negative), 1),
    tf.sum(tf.mul(below, negative), 1),
    tf.sum(tf.mul(below, truth), 1),
  ]);
}

/** Keras's AUC thresholds: evenly spaced in (0, 1), with -ε and 1 + ε at the ends. */
function aucThresholds(count: number): number[] {
  return [-epsilon, ...Array.from({ length: count - 2 }, (_, index) => (index + 1) / (count - 1)), 1 + epsilon];
}

/** AUC from the confusion counts, as keras.metrics.AUC.result with summation 'interpolation'. */
function aucResult(state: readonly number[], count: number, curve: 'ROC' | 'PR'): number {
  const at = (part: number) => Array.from({ length: count }, (_, index) => state[part * count + index] ?? 0);
  const [tp, fp, tn, fn] = [at(0), at(1), at(2), at(3)];
  const get = (list: readonly number[], index: number) => list[index] ?? 0;
  let area = 0;
  if (curve === 'PR') {
    // Davis & Goadrich's interpolation, Keras's interpolate_pr_auc.
    for (let index = 0; index < count - 1; index++) {
      const dtp = get(tp, index) - get(tp, index + 1);
      const pA = get(tp, index) + get(fp, index);
      const pB = get(tp, index + 1) + get(fp, index + 1);
      const slope = divideNoNan(dtp, Math.max(pA - pB, 0));
      const intercept = get(tp, index + 1) - slope * pB;
      const ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
      area += divideNoNan(
        slope * (dtp + intercept * Math.log(ratio)),
        Math.max(get(tp, index + 1) + get(fn, index + 1), 0),
      );
    }
    return area;
  }
  const recall = tp.map((value, index) => divideNoNan(value, value + get(fn, index)));
  const fpRate = fp.map((value, index) => divideNoNan(value, value + get(tn, index)));
  for (let index = 0; index < count - 1; index++)
    area += (get(fpRate, index) - get(fpRate, index + 1)) * ((get(recall, index) + get(recall, index + 1)) / 2);
  return area;
}

interface Definition {
  readonly options: readonly string[];
  /** What it needs of the output and target; a sentence for what is wrong, or undefined. */
  readonly misfit?: (context: MetricContext, options: Settings) => string | undefined;
  make(options: Settings, context: MetricContext): Pick<Metric, 'state' | 'result'>;
}

type Settings = Readonly<Record<string, number | boolean | string>>;

const num = (options: Settings, name: string, fallback: number) => {
  const value = options[name];
  return typeof value === 'number' ? value : fallback;
};

const units = (context: MetricContext) => context.shape[context.shape.length - 1] ?? 1;
const sparseTarget = (context: MetricContext) => context.target.ids !== undefined;

const needsClasses = (sparse: boolean) => (context: MetricContext) => {
  if (context.target.shapes === undefined) return undefined; // a custom loss: its target is not known
  if (sparse && !sparseTarget(context))
    return `needs class ids as the target (a sparse loss such as sparseCategoricalCrossentropy); this output's loss ${context.loss.name} takes one-hot or continuous targets: use ${'categoricalAccuracy'}`;
  if (!sparse && sparseTarget(context))
    return `needs one-hot targets; this output's loss ${context.loss.name} takes class ids: use sparseCategoricalAccuracy`;
  if (units(context) === 1)
    return 'needs one score per class, but the output has 1 unit: use binaryAccuracy for a single probability';
  return undefined;
};

const binaryAccuracy: Definition = {
  options: ['threshold'],
  make: (options) => ({
    state: (target, prediction) =>
      meanState(
        tf.equal(
          tf.cast(tf.greater(prediction, num(options, 'threshold', 0.5)), 'float32'),
          tf.reshape(tf.cast(target, 'float32'), prediction.shape),
        ),
      ),
    result: mean,
  }),
};

const categoricalAccuracy: Definition = {
  options: [],
  misfit: needsClasses(false),
  make: () => ({
    state: (target, prediction) => meanState(tf.equal(tf.argMax(prediction, -1), tf.argMax(target, -1))),
    result: mean,
  }),
};

const sparseCategoricalAccuracy: Definition = {
  options: [],
  misfit: needsClasses(true),
  make: () => ({
    state: (target, prediction) => meanState(tf.equal(tf.argMax(prediction, -1), ids(target, prediction))),
    result: mean,
  }),
};

const topK =
  (sparse: boolean): Definition['make'] =>
  (options) => ({
    state: (target, prediction) =>
      meanState(inTopK(prediction, sparse ? ids(target, prediction) : tf.argMax(target, -1), num(options, 'k', 5))),
    result: mean,
  });

const confusionMetric =
  (result: (tp: number, fp: number, fn: number) => number): Definition['make'] =>
  (options) => {
    const threshold = num(options, 'thresholds', 0.5);
    return {
      state: (target, prediction) => confusion(target, prediction, [threshold]),
      result: (state) => result(state[0] ?? 0, state[1] ?? 0, state[3] ?? 0),
    };
  };

const meanOf =
  (values: (target: tf.Tensor, prediction: tf.Tensor) => tf.Tensor, result = mean): Definition['make'] =>
  () => ({
    state: (target, prediction) =>
      meanState(tf.mean(values(tf.cast(target, 'float32'), tf.cast(prediction, 'float32')), -1)),
    result,
  });
const absolute = (y: tf.Tensor, p: tf.Tensor) => tf.abs(tf.sub(y, p));
const squared = (y: tf.Tensor, p: tf.Tensor) => tf.squaredDifference(y, p);

const definitions: Readonly<Record<Exclude<MetricName, 'accuracy' | 'acc' | 'mae' | 'mse'>, Definition>> = {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy: { options: ['k'], misfit: needsClasses(false), make: topK(false) },
  sparseTopKCategoricalAccuracy: { options: ['k'], misfit: needsClasses(true), make: topK(true) },
  precision: { options: ['thresholds'], make: confusionMetric((tp, fp) => divideNoNan(tp, tp + fp)) },
  recall: { options: ['thresholds'], make: confusionMetric((tp, _, fn) => divideNoNan(tp, tp + fn)) },
  auc: {
    options: ['numThresholds', 'curve', 'fromLogits'],
    make: (options) => {
      const count = num(options, 'numThresholds', 200);
      const thresholds = aucThresholds(count);
      const curve = options.curve === 'PR' ? 'PR' : 'ROC';
      return {
        state: (target, prediction) =>
          confusion(target, options.fromLogits === true ? tf.sigmoid(prediction) : prediction, thresholds),
        result: (state) => aucResult(state, count, curve),
      };
    },
  },
  meanAbsoluteError: { options: [], make: meanOf(absolute) },
  meanSquaredError: { options: [], make: meanOf(squared) },
  // The root of the epoch's mean, not the mean of per-batch roots.
  rootMeanSquaredError: { options: [], make: meanOf(squared, (state) => Math.sqrt(mean(state))) },
};

/** Keras's 'accuracy' by the loss: binary for binary cross-entropy or one unit, sparse for ids, else categorical. */
function accuracyFor(context: MetricContext): Definition {
  if (context.loss.lossName === 'binaryCrossentropy') return binaryAccuracy;
  if (sparseTarget(context)) return sparseCategoricalAccuracy;
  if (units(context) === 1) return binaryAccuracy;
  return categoricalAccuracy;
}

const optionChecks: Readonly<
  Record<string, { readonly valid: (value: unknown) => boolean; readonly expected: string }>
> = {
  threshold: {
    valid: (value) => typeof value === 'number' && value >= 0 && value <= 1,
    expected: 'a number in [0, 1]',
  },
  thresholds: {
    valid: (value) => typeof value === 'number' && value >= 0 && value <= 1,
    expected: 'a number in [0, 1]',
  },
  k: {
    valid: (value) => Number.isInteger(value) && typeof value === 'number' && value > 0,
    expected: 'a positive integer',
  },
  numThresholds: {
    valid: (value) => Number.isInteger(value) && typeof value === 'number' && value > 1,
    expected: 'an integer > 1',
  },
  curve: { valid: (value) => value === 'ROC' || value === 'PR', expected: "'ROC' or 'PR'" },
  fromLogits: { valid: (value) => typeof value === 'boolean', expected: 'true or false' },
};

const validMetrics = `one of ${metricNames.join(', ')}, an object { name, ...options }, a function (yTrue, yPred) => tf.Tensor, or { name, fn }`;

/** Whether a value is one metric (rather than a list of them, or a record by output name). */
export function isMetricArg(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'function' ||
    (isRecord(value) &&
      typeof value.name === 'string' &&
      (typeof value.fn === 'function' || 'custom' in value || metricNames.some((name) => name === value.name)))
  );
}

/**
 * Resolves one metric for one output, from what compile was given or a save recorded (a custom function is
 * saved as `{ custom: its name }` and found again in `customs`). `where` names it in messages.
 */
export function resolveMetric(
  value: unknown,
  where: string,
  context: MetricContext,
  customs: ReadonlyMap<string, CustomMetric> = new Map(),
): Metric {
  if (typeof value === 'function') return customMetric(value.name || 'custom', (a, b) => value(a, b), where);
  if (isRecord(value) && typeof value.name === 'string' && typeof value.fn === 'function') {
    const fn = value.fn;
    return customMetric(value.name, (a, b) => fn(a, b), where);
  }
  if (isRecord(value) && typeof value.custom === 'string') {
    const found = customs.get(value.custom);
    if (found === undefined)
      return fail({
        code: 'option',
        layer: 'compile',
        option: where,
        expected: `a metric kerats knows; the save's is the custom function '${value.custom}', which only the program that defines it can compile with`,
        received: describe(value),
      });
    return customMetric(value.custom, found, where);
  }
  const spec = isRecord(value) ? value : { name: value };
  const name = metricNames.find((each) => each === spec.name);
  if (name === undefined)
    return fail({ code: 'option', layer: 'compile', option: where, expected: validMetrics, received: describe(value) });
  const definition =
    name === 'accuracy' || name === 'acc'
      ? accuracyFor(context)
      : name === 'mae'
        ? definitions.meanAbsoluteError
        : name === 'mse'
          ? definitions.meanSquaredError
          : definitions[name];
  const options: Record<string, number | boolean | string> = {};
  for (const [key, option] of Object.entries(spec)) {
    if (key === 'name' || option === undefined) continue;
    const check = optionChecks[key];
    if (!definition.options.includes(key) || check === undefined)
      return fail({
        code: 'option',
        layer: 'compile',
        option: `${where}.${key}`,
        expected:
          definition.options.length === 0
            ? `absent: ${name} takes no options`
            : `absent: ${name} takes ${definition.options.join(', ')}`,
        received: describe(option),
      });
    if (
      !check.valid(option) ||
      !(typeof option === 'number' || typeof option === 'boolean' || typeof option === 'string')
    )
      return fail({
        code: 'option',
        layer: 'compile',
        option: `${where}.${key}`,
        expected: check.expected,
        received: describe(option),
      });
    options[key] = option;
  }
  const misfit = definition.misfit?.(context, options);
  if (misfit !== undefined)
    fail({
      code: 'option',
      layer: 'compile',
      option: where,
      expected: `a metric that fits the output [batch${context.shape.map((dim) => `, ${dim}`).join('')}]`,
      received: `'${name}', which ${misfit}`,
    });
  const made = definition.make(options, context);
  return {
    name,
    settings: Object.keys(options).length === 0 ? name : { name, ...options },
    custom: undefined,
    state: (target, prediction) => tf.tidy(() => made.state(target, prediction)),
    result: made.result,
  };
}

function customMetric(name: string, fn: (yTrue: tf.Tensor, yPred: tf.Tensor) => unknown, where: string): Metric {
  return {
    name,
    settings: { custom: name },
    custom: (yTrue, yPred) => {
      const result: unknown = fn(yTrue, yPred);
      return result instanceof tf.Tensor ? result : tf.scalar(Number.NaN);
    },
    state: (target, prediction) =>
      tf.tidy(() => {
        const result: unknown = fn(target, prediction);
        if (!(result instanceof tf.Tensor))
          return fail({
            code: 'option',
            layer: 'fit',
            option: `the custom ${where} '${name}'`,
            expected: 'a function returning a tf.Tensor',
            received: describe(result),
          });
        return meanState(result);
      }),
    result: mean,
  };
}
