// Keras's losses, each as keras/src/losses/losses.py computes it (clipping at epsilon 1e-7, the last axis
// reduced, then "sum over batch size": the mean over what is left), and what target each takes. Each output's
// loss is reduced to a scalar before the outputs are weighted and added (tfjs-layers adds them first, and fails to
// broadcast [batch] with [batch, steps]).
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../dsl/layer.ts';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import type { Dim } from '../shapes/dim.ts';

/** Keras's fuzz factor, `keras.backend.epsilon()`. */
export const epsilon = 1e-7;

/** Every Keras loss, by its Keras name in camelCase. */
export type LossName =
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'meanAbsolutePercentageError'
  | 'meanSquaredLogarithmicError'
  | 'huber'
  | 'logCosh'
  | 'hinge'
  | 'squaredHinge'
  | 'categoricalHinge'
  | 'kullbackLeiblerDivergence'
  | 'poisson'
  | 'cosineSimilarity';

export const lossNames: readonly LossName[] = [
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'meanAbsolutePercentageError',
  'meanSquaredLogarithmicError',
  'huber',
  'logCosh',
  'hinge',
  'squaredHinge',
  'categoricalHinge',
  'kullbackLeiblerDivergence',
  'poisson',
  'cosineSimilarity',
];

interface CrossentropyOptions {
  /** The output is logits (no softmax/sigmoid): the loss applies it, exactly. Default false. */
  readonly fromLogits?: boolean;
  /** In [0, 1]: targets move towards uniform (`y·(1 - s) + s / classes`; binary: `+ s / 2`). Default 0. */
  readonly labelSmoothing?: number;
}

/** The options of the losses that take some, as Keras's in camelCase. */
export interface LossOptions {
  readonly binaryCrossentropy: CrossentropyOptions;
  readonly categoricalCrossentropy: CrossentropyOptions;
  readonly sparseCategoricalCrossentropy: { readonly fromLogits?: boolean };
  /** Where the loss turns from quadratic to linear. Default 1. */
  readonly huber: { readonly delta?: number };
  /** The axis the similarity is taken along, counting the batch as 0 (Keras's numbering). Default -1. */
  readonly cosineSimilarity: { readonly axis?: number };
}

type OptionsOf<Name extends LossName> = Name extends keyof LossOptions ? LossOptions[Name] : unknown;

/** A loss with its options: `{ name: 'categoricalCrossentropy', fromLogits: true, labelSmoothing: 0.1 }`. */
export type LossObject = { readonly [Name in LossName]: { readonly name: Name } & OptionsOf<Name> }[LossName];

/** A loss of your own: per-sample (or per-element) losses, or a scalar; kerats takes their mean. */
export type CustomLoss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Keras's short names: `'mse'` is `'meanSquaredError'`. */
export type LossAlias = 'mse' | 'mae' | 'mape' | 'msle' | 'kld';

/** What compile takes for one output's loss. */
export type LossArg = LossName | LossAlias | LossObject | CustomLoss;

/** What one output's target must be, for its loss. */
export interface TargetRule {
  /** The accepted shapes, without the batch. Undefined: any (a custom loss). */
  readonly shapes: readonly (readonly Dim[])[] | undefined;
  readonly dtype: 'float32' | 'int32';
  /** For class ids: how many classes (null when the output does not say), and the loss that takes them. */
  readonly ids?: { readonly classes: number | null; readonly loss: string };
  /** Said after a shape mismatch. */
  readonly hint: string;
}

/** A loss resolved at compile: how to compute it, what target it takes, and its settings as saved. */
export interface Loss {
  /** For messages: the Keras name, or the custom function's. */
  readonly name: string;
  readonly lossName: LossName | undefined;
  /** What save() writes and a worker thread receives; compile takes it again. */
  readonly settings: JsonValue;
  readonly custom: CustomLoss | undefined;
  /** 'probabilities' or 'logits' for the cross-entropies, for the compile warning. */
  readonly expects: 'probabilities' | 'logits' | undefined;
  /** The activation that makes probabilities for this loss. */
  readonly activation: 'softmax' | 'sigmoid' | undefined;
  target(output: { readonly shape: readonly Dim[] }): TargetRule;
  /** The loss of a batch, reduced to one scalar; `weights` (per sample) scale the per-sample losses first. */
  compute(target: tf.Tensor, prediction: tf.Tensor, weights?: tf.Tensor): tf.Scalar;
}

/** One output's loss, reduced to one scalar: the mean of the per-element losses (Keras's sum over batch size). */
export function loss(resolved: Loss, target: tf.Tensor, prediction: tf.Tensor, weights?: tf.Tensor): tf.Scalar {
  return resolved.compute(target, prediction, weights);
}

/**
 * Per-sample losses times sample weights, as Keras's reduce_weighted_values: the weights ([batch], [batch, 1] or
 * [batch, steps]) are squeezed or expanded to the losses' rank; the mean is then over every element (Keras's
 * "sum over batch size"), not over the weights' sum.
 */
function weighted(values: tf.Tensor, weights: tf.Tensor | undefined): tf.Tensor {
  if (weights === undefined || values.rank === 0) return values;
  let w = tf.cast(weights, 'float32');
  if (w.rank === values.rank + 1 && w.shape[w.rank - 1] === 1) w = tf.reshape(w, w.shape.slice(0, -1));
  while (w.rank < values.rank) w = tf.expandDims(w, -1);
  return tf.mul(values, w);
}

const sameShape =
  (hint: (shape: readonly Dim[]) => string) =>
  (output: { readonly shape: readonly Dim[] }): TargetRule => ({
    shapes: [output.shape],
    dtype: 'float32',
    hint: hint(output.shape),
  });

function labelsOf(target: tf.Tensor): tf.Tensor {
  return tf.cast(target, 'float32');
}

/** Binary {0, 1} labels become {-1, 1} when every label of the batch is 0 or 1, as Keras's hinge losses do. */
function hingeLabels(y: tf.Tensor): tf.Tensor {
  const binary = tf.cast(tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1))), 'float32');
  return tf.add(y, tf.mul(binary, tf.sub(y, 1)));
}

/** `x · rsqrt(max(sum(x²), ε²))` along an axis, Keras's `normalize` (order 2). */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), epsilon * epsilon)));
}

/** log(p) for a probability loss: p normalized along the last axis, clipped to [ε, 1 - ε]. */
function logProbabilities(prediction: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) return tf.logSoftmax(prediction, -1);
  return tf.log(tf.clipByValue(tf.div(prediction, tf.sum(prediction, -1, true)), epsilon, 1 - epsilon));
}

function classesOf(shape: readonly Dim[]): number | null {
  return shape.at(-1) ?? null;
}

type Elementwise = (y: tf.Tensor, p: tf.Tensor) => tf.Tensor;

interface Definition {
  readonly options: readonly string[];
  readonly expects?: (options: Options) => 'probabilities' | 'logits';
  readonly activation?: 'softmax' | 'sigmoid';
  readonly target: (options: Options, loss: LossName) => (output: { readonly shape: readonly Dim[] }) => TargetRule;
  /** Per-element losses after Keras's loss function (its last axis reduced). */
  readonly values: (options: Options) => Elementwise;
  /** Checks the options against the output (the axis of cosineSimilarity). */
  readonly checkOutput?: (options: Options, shape: readonly Dim[], where: string) => void;
}

/** The options as checked: numbers and booleans by name. */
type Options = { readonly [key: string]: number | boolean };

const num = (options: Options, key: string, fallback: number): number => {
  const value = options[key];
  return typeof value === 'number' ? value : fallback;
};
const flag = (options: Options, key: string): boolean => options[key] === true;

const plainTarget = (_options: Options, _loss: LossName) => sameShape(() => '');

const definitions: { readonly [Name in LossName]: Definition } = {
  binaryCrossentropy: {
    options: ['fromLogits', 'labelSmoothing'],
    expects: (options) => (flag(options, 'fromLogits') ? 'logits' : 'probabilities'),
    activation: 'sigmoid',
    target: plainTarget,
    values: (options) => (target, prediction) => {
      const smoothing = num(options, 'labelSmoothing', 0);
      const y = smoothing > 0 ? tf.add(tf.mul(target, 1 - smoothing), 0.5 * smoothing) : target;
      if (flag(options, 'fromLogits'))
        // -y·log σ(x) - (1 - y)·log σ(-x), exactly: max(x, 0) - x·y + log(1 + e^-|x|).
        return tf.mean(
          tf.add(tf.sub(tf.relu(prediction), tf.mul(prediction, y)), tf.log1p(tf.exp(tf.neg(tf.abs(prediction))))),
          -1,
        );
      const p = tf.clipByValue(prediction, epsilon, 1 - epsilon);
      return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))), -1));
    },
  },
  categoricalCrossentropy: {
    options: ['fromLogits', 'labelSmoothing'],
    expects: (options) => (flag(options, 'fromLogits') ? 'logits' : 'probabilities'),
    activation: 'softmax',
    target: () =>
      sameShape(
        (shape) =>
          `for class ids of shape [batch${shape
            .slice(0, -1)
            .map((dim) => `, ${dim}`)
            .join('')}], use sparseCategoricalCrossentropy`,
      ),
    values: (options) => (target, prediction) => {
      const smoothing = num(options, 'labelSmoothing', 0);
      const classes = prediction.shape.at(-1) ?? 1;
      const y = smoothing > 0 ? tf.add(tf.mul(target, 1 - smoothing), smoothing / classes) : target;
      return tf.neg(tf.sum(tf.mul(y, logProbabilities(prediction, flag(options, 'fromLogits'))), -1));
    },
  },
  sparseCategoricalCrossentropy: {
    options: ['fromLogits'],
    expects: (options) => (flag(options, 'fromLogits') ? 'logits' : 'probabilities'),
    activation: 'softmax',
    target: (_options, name) => (output) => {
      const ids = output.shape.slice(0, -1);
      return {
        shapes: [ids, [...ids, 1]],
        dtype: 'int32',
        ids: { classes: classesOf(output.shape), loss: name },
        hint: `${name} takes class ids; for one-hot targets of shape [batch${output.shape.map((dim) => `, ${dim}`).join('')}], use categoricalCrossentropy`,
      };
    },
    values: (options) => (target, prediction) => {
      const classes = prediction.shape.at(-1) ?? 1;
      const ids = tf.reshape(tf.cast(target, 'int32'), prediction.shape.slice(0, -1));
      const logP = logProbabilities(prediction, flag(options, 'fromLogits'));
      return tf.neg(tf.sum(tf.mul(tf.oneHot(ids, classes), logP), -1));
    },
  },
  meanSquaredError: {
    options: [],
    target: plainTarget,
    values: () => (y, p) => tf.mean(tf.squaredDifference(y, p), -1),
  },
  meanAbsoluteError: {
    options: [],
    target: plainTarget,
    values: () => (y, p) => tf.mean(tf.abs(tf.sub(y, p)), -1),
  },
  meanAbsolutePercentageError: {
    options: [],
    target: plainTarget,
    values: () => (y, p) => tf.mul(100, tf.mean(tf.abs(tf.div(tf.sub(y, p), tf.maximum(tf.abs(y), epsilon))), -1)),
  },
  meanSquaredLogarithmicError: {
    options: [],
    target: plainTarget,
    values: () => (y, p) =>
      tf.mean(
        tf.square(tf.sub(tf.log(tf.add(tf.maximum(p, epsilon), 1)), tf.log(tf.add(tf.maximum(y, epsilon), 1)))),
        -1,
      ),
  },
  huber: {
    options: ['delta'],
    target: plainTarget,
    values: (options) => (y, p) => {
      const delta = num(options, 'delta', 1);
      const error = tf.sub(p, y);
      const absolute = tf.abs(error);
      const quadratic = tf.mul(0.5, tf.square(error));
      const linear = tf.sub(tf.mul(delta, absolute), 0.5 * delta * delta);
      return tf.mean(tf.where(tf.lessEqual(absolute, delta), quadratic, linear), -1);
    },
  },
  logCosh: {
    options: [],
    target: plainTarget,
    // log(cosh(x)) = x + softplus(-2x) - log 2, which does not overflow.
    values: () => (y, p) => {
      const x = tf.sub(p, y);
      return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.log(2)), -1);
    },
  },
  hinge: {
    options: [],
    target: plainTarget,
    values: () => (y, p) => tf.mean(tf.relu(tf.sub(1, tf.mul(hingeLabels(y), p))), -1),
  },
  squaredHinge: {
    options: [],
    target: plainTarget,
    values: () => (y, p) => tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(hingeLabels(y), p)))), -1),
  },
  categoricalHinge: {
    options: [],
    target: plainTarget,
    values: () => (y, p) => {
      const positive = tf.sum(tf.mul(y, p), -1);
      const negative = tf.max(tf.mul(tf.sub(1, y), p), -1);
      return tf.relu(tf.add(tf.sub(negative, positive), 1));
    },
  },
  kullbackLeiblerDivergence: {
    options: [],
    expects: () => 'probabilities',
    activation: 'softmax',
    target: plainTarget,
    values: () => (target, prediction) => {
      const y = tf.clipByValue(target, epsilon, 1);
      const p = tf.clipByValue(prediction, epsilon, 1);
      return tf.sum(tf.mul(y, tf.log(tf.div(y, p))), -1);
    },
  },
  poisson: {
    options: [],
    target: plainTarget,
    values: () => (y, p) => tf.mean(tf.sub(p, tf.mul(y, tf.log(tf.add(p, epsilon)))), -1),
  },
  cosineSimilarity: {
    options: ['axis'],
    target: plainTarget,
    checkOutput: (options, shape, where) => {
      const axis = num(options, 'axis', -1);
      const rank = shape.length + 1;
      if (!(Number.isInteger(axis) && axis !== 0 && axis >= -rank && axis < rank))
        fail({
          code: 'option',
          layer: 'compile',
          option: `${where}.axis`,
          expected: `an axis of the output [batch${shape.map((dim) => `, ${dim}`).join('')}]: 1..${rank - 1} or -${rank - 1}..-1 (0 is the batch)`,
          received: describe(axis),
        });
    },
    values: (options) => (y, p) => {
      const axis = num(options, 'axis', -1);
      return tf.neg(tf.sum(tf.mul(l2Normalize(y, axis), l2Normalize(p, axis)), axis));
    },
  },
};

/** Keras's short names, accepted as they are in Keras (`loss: 'mse'`). */
const aliases: { readonly [Alias in LossAlias]: LossName } = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'kullbackLeiblerDivergence',
};

const optionKinds: { readonly [option: string]: 'boolean' | 'fraction' | 'positive' | 'integer' } = {
  fromLogits: 'boolean',
  labelSmoothing: 'fraction',
  delta: 'positive',
  axis: 'integer',
};

function checkOption(where: string, option: string, value: unknown): number | boolean {
  const kind = optionKinds[option];
  if (kind === 'boolean' && typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (kind === 'fraction' && value >= 0 && value <= 1) return value;
    if (kind === 'positive' && value > 0) return value;
    if (kind === 'integer' && Number.isInteger(value)) return value;
  }
  return fail({
    code: 'option',
    layer: 'compile',
    option: `${where}.${option}`,
    expected:
      kind === 'boolean'
        ? 'true or false'
        : kind === 'fraction'
          ? 'a number in [0, 1]'
          : kind === 'positive'
            ? 'a positive number'
            : 'an integer',
    received: describe(value),
  });
}

const validLosses = `one of ${lossNames.join(', ')} (or ${Object.keys(aliases).join(', ')}), an object { name, ...options }, or a function (yTrue, yPred) => tf.Tensor`;

/** Whether a value is one output's loss (rather than a list or a record of them by output name). */
export function isLossArg(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'function' ||
    (isRecord(value) && typeof value.name === 'string' && lossNameOf(value.name) !== undefined)
  );
}

function lossNameOf(name: unknown): LossName | undefined {
  const alias = Object.entries(aliases).find(([each]) => each === name);
  return lossNames.find((each) => each === name) ?? alias?.[1];
}

/**
 * Resolves one output's loss from what compile was given (or what a save recorded: a custom function is saved
 * as `{ custom: its name }` and found again in `customs`). `where` names it in messages (`loss`, `loss.dense`).
 */
export function resolveLoss(
  value: unknown,
  where: string,
  output: { readonly shape: readonly Dim[] },
  customs: ReadonlyMap<string, CustomLoss> = new Map(),
): Loss {
  if (typeof value === 'function') {
    const custom: CustomLoss = (yTrue, yPred) => {
      const result: unknown = value(yTrue, yPred);
      if (!(result instanceof tf.Tensor))
        return fail({
          code: 'option',
          layer: 'fit',
          option: `the custom ${where} '${value.name || 'anonymous'}'`,
          expected: 'a function returning a tf.Tensor',
          received: describe(result),
        });
      return result;
    };
    return customLoss(value.name || 'custom', custom);
  }
  if (isRecord(value) && typeof value.custom === 'string' && Object.keys(value).length === 1) {
    const found = customs.get(value.custom);
    if (found === undefined)
      return fail({
        code: 'option',
        layer: 'compile',
        option: where,
        expected: `a loss kerats knows; the save's is the custom function '${value.custom}', which only the program that defines it can compile with`,
        received: describe(value),
      });
    return customLoss(value.custom, found);
  }
  const spec = isRecord(value) ? value : { name: value };
  const name = lossNameOf(spec.name);
  if (name === undefined)
    return fail({ code: 'option', layer: 'compile', option: where, expected: validLosses, received: describe(value) });
  const definition = definitions[name];
  const options: { [key: string]: number | boolean } = {};
  for (const [key, option] of Object.entries(spec)) {
    if (key === 'name' || option === undefined) continue;
    if (!definition.options.includes(key))
      fail({
        code: 'option',
        layer: 'compile',
        option: `${where}.${key}`,
        expected:
          definition.options.length === 0
            ? `absent: ${name} takes no options`
            : `absent: ${name} takes ${definition.options.join(', ')}`,
        received: describe(option),
      });
    options[key] = checkOption(where, key, option);
  }
  definition.checkOutput?.(options, output.shape, where);
  const values = definition.values(options);
  const rule = definition.target(options, name);
  return {
    name,
    lossName: name,
    settings: Object.keys(options).length === 0 ? name : { name, ...options },
    custom: undefined,
    expects: definition.expects?.(options),
    activation: definition.activation,
    target: rule,
    compute: (target, prediction, weights) =>
      tf.tidy(() => tf.mean(weighted(values(labelsOf(target), tf.cast(prediction, 'float32')), weights)).asScalar()),
  };
}

function customLoss(name: string, custom: CustomLoss): Loss {
  return {
    name,
    lossName: undefined,
    settings: { custom: name },
    custom,
    expects: undefined,
    activation: undefined,
    target: () => ({ shapes: undefined, dtype: 'float32', hint: '' }),
    compute: (target, prediction, weights) =>
      tf.tidy(() => tf.mean(weighted(custom(target, prediction), weights)).asScalar()),
  };
}
