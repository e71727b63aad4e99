// Every Keras loss, through compile and evaluate, against its formula in Keras 3's source
// (keras/src/losses/losses.py and the backends' nn.py), written out here in plain numbers: the clipping at
// epsilon 1e-7, the last axis reduced, then the mean over the batch ("sum over batch size").
// Then: sparse labels as Keras users give them, the data check that follows the loss, options, custom losses,
// and the compile warning for an activation that does not fit the loss.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Activation,
  clearSession,
  Dense,
  Input,
  KeratsError,
  type LossArg,
  LSTM,
  loadModel,
  Model,
  TimeDistributed,
  useBackend,
} from '../src/index.ts';

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

const eps = 1e-7;
type Rows = number[][];
const clip = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
/** Keras's reduction: each row's loss (its last axis reduced), then the mean over the rows. */
const perRow = (y: Rows, p: Rows, row: (y: number[], p: number[]) => number) =>
  mean(y.map((values, index) => row(values, p[index] ?? [])));
const pairs = (y: number[], p: number[]) => y.map((value, index) => [value, p[index] ?? Number.NaN] as const);

/** The loss as kerats computes it: a model that passes its input through, evaluated on (y, p). */
async function computed(lossArg: LossArg, y: Rows | number[], p: Rows, batchSize = 32): Promise<number> {
  clearSession();
  const input = Input([p[0]?.length ?? 1]);
  const model = Model({ inputs: input, outputs: Activation('linear')(input), onWarning: () => {} }).compile({
    optimizer: 'sgd',
    loss: lossArg,
  });
  const logs = await model.evaluate(tf.tensor2d(p), y, { batchSize });
  return logs.loss ?? Number.NaN;
}

const y01: Rows = [
  [0, 1, 0],
  [1, 0, 0],
  [0, 0, 1],
  [1, 0, 0],
];
const probabilities: Rows = [
  [0.05, 0.9, 0.05],
  [0.3, 0.3, 0.4],
  [0.0, 0.0, 1.0],
  [0.0, 1.0, 0.0],
];
const unnormalized: Rows = [
  [0.2, 1.8, 0.1],
  [1, 1, 2],
  [0, 0.5, 0.5],
  [0, 2, 0],
];
const logits: Rows = [
  [2, -1, 0.5],
  [-3, 4, 1],
  [0, 0, 0],
  [10, -10, 30],
];
const real: Rows = [
  [0.5, -1.2, 3],
  [2, 0, -0.4],
  [1e-9, 4, 2.5],
  [-2, -2, 7],
];
const predicted: Rows = [
  [0.1, -0.2, 2.5],
  [2.5, 0.3, -3],
  [0.5, 3, 0.5],
  [-1, 1, 6],
];
const positive: Rows = real.map((row) => row.map((value) => Math.abs(value) + 0.1));
const positivePredicted: Rows = predicted.map((row) => row.map((value) => Math.abs(value) + 0.05));

/** log σ(x), as the JAX backend's log_sigmoid (1 - σ(30) loses its digits in float64). */
const logSigmoid = (x: number) => (x < 0 ? x - Math.log1p(Math.exp(x)) : -Math.log1p(Math.exp(-x)));
/** Keras clips at 1 - 1e-7 in float32, which is 1 - 2^-23 (0.99999988). */
const high = Math.fround(1 - eps);
const logSoftmax = (row: number[]) => {
  const top = Math.max(...row);
  const total = Math.log(sum(row.map((value) => Math.exp(value - top))));
  return row.map((value) => value - top - total);
};
const normalize = (row: number[]) => {
  const scale = 1 / Math.sqrt(Math.max(sum(row.map((value) => value * value)), eps * eps));
  return row.map((value) => value * scale);
};
const hingeLabels = (y: Rows) =>
  y.flat().every((value) => value === 0 || value === 1) ? y.map((row) => row.map((value) => 2 * value - 1)) : y;

/** Keras's formulas. */
const reference = {
  binaryCrossentropy: (y: Rows, p: Rows, smoothing = 0) =>
    perRow(y, p, (t, q) =>
      mean(
        pairs(t, q).map(([target, prediction]) => {
          const label = target * (1 - smoothing) + 0.5 * smoothing;
          const clipped = clip(prediction, eps, high);
          return -(label * Math.log(clipped) + (1 - label) * Math.log(1 - clipped));
        }),
      ),
    ),
  binaryFromLogits: (y: Rows, x: Rows) =>
    perRow(y, x, (t, q) =>
      mean(pairs(t, q).map(([target, logit]) => -(target * logSigmoid(logit) + (1 - target) * logSigmoid(-logit)))),
    ),
  categoricalCrossentropy: (y: Rows, p: Rows, smoothing = 0) =>
    perRow(y, p, (t, q) => {
      const total = sum(q);
      return -sum(
        pairs(t, q).map(
          ([target, prediction]) =>
            (target * (1 - smoothing) + smoothing / t.length) * Math.log(clip(prediction / total, eps, high)),
        ),
      );
    }),
  categoricalFromLogits: (y: Rows, x: Rows) =>
    perRow(y, x, (t, q) => {
      const logP = logSoftmax(q);
      return -sum(t.map((target, index) => target * (logP[index] ?? Number.NaN)));
    }),
  meanSquaredError: (y: Rows, p: Rows) => perRow(y, p, (t, q) => mean(pairs(t, q).map(([a, b]) => (a - b) ** 2))),
  meanAbsoluteError: (y: Rows, p: Rows) => perRow(y, p, (t, q) => mean(pairs(t, q).map(([a, b]) => Math.abs(a - b)))),
  meanAbsolutePercentageError: (y: Rows, p: Rows) =>
    perRow(y, p, (t, q) => 100 * mean(pairs(t, q).map(([a, b]) => Math.abs((a - b) / Math.max(Math.abs(a), eps))))),
  meanSquaredLogarithmicError: (y: Rows, p: Rows) =>
    perRow(y, p, (t, q) =>
      mean(pairs(t, q).map(([a, b]) => (Math.log(Math.max(b, eps) + 1) - Math.log(Math.max(a, eps) + 1)) ** 2)),
    ),
  huber: (y: Rows, p: Rows, delta = 1) =>
    perRow(y, p, (t, q) =>
      mean(
        pairs(t, q).map(([a, b]) => {
          const error = Math.abs(b - a);
          return error <= delta ? 0.5 * error * error : delta * error - 0.5 * delta * delta;
        }),
      ),
    ),
  logCosh: (y: Rows, p: Rows) => perRow(y, p, (t, q) => mean(pairs(t, q).map(([a, b]) => Math.log(Math.cosh(b - a))))),
  hinge: (y: Rows, p: Rows) =>
    perRow(hingeLabels(y), p, (t, q) => mean(pairs(t, q).map(([a, b]) => Math.max(1 - a * b, 0)))),
  squaredHinge: (y: Rows, p: Rows) =>
    perRow(hingeLabels(y), p, (t, q) => mean(pairs(t, q).map(([a, b]) => Math.max(1 - a * b, 0) ** 2))),
  categoricalHinge: (y: Rows, p: Rows) =>
    perRow(y, p, (t, q) => {
      const pos = sum(pairs(t, q).map(([a, b]) => a * b));
      const neg = Math.max(...pairs(t, q).map(([a, b]) => (1 - a) * b));
      return Math.max(neg - pos + 1, 0);
    }),
  kullbackLeiblerDivergence: (y: Rows, p: Rows) =>
    perRow(y, p, (t, q) =>
      sum(
        pairs(t, q).map(([a, b]) => {
          const target = clip(a, eps, 1);
          return target * Math.log(target / clip(b, eps, 1));
        }),
      ),
    ),
  poisson: (y: Rows, p: Rows) => perRow(y, p, (t, q) => mean(pairs(t, q).map(([a, b]) => b - a * Math.log(b + eps)))),
  cosineSimilarity: (y: Rows, p: Rows) =>
    perRow(y, p, (t, q) => {
      const [a, b] = [normalize(t), normalize(q)];
      return -sum(a.map((value, index) => value * (b[index] ?? Number.NaN)));
    }),
};

describe("every Keras loss equals its formula in Keras's source", () => {
  const ids = [1, 0, 2, 0];
  const cases: [string, LossArg, Rows | number[], Rows, number][] = [
    ['binaryCrossentropy', 'binaryCrossentropy', y01, probabilities, reference.binaryCrossentropy(y01, probabilities)],
    [
      'binaryCrossentropy with labelSmoothing 0.2',
      { name: 'binaryCrossentropy', labelSmoothing: 0.2 },
      y01,
      probabilities,
      reference.binaryCrossentropy(y01, probabilities, 0.2),
    ],
    [
      'binaryCrossentropy fromLogits',
      { name: 'binaryCrossentropy', fromLogits: true },
      y01,
      logits,
      reference.binaryFromLogits(y01, logits),
    ],
    [
      'categoricalCrossentropy (normalized, clipped at 1e-7)',
      'categoricalCrossentropy',
      y01,
      unnormalized,
      reference.categoricalCrossentropy(y01, unnormalized),
    ],
    [
      'categoricalCrossentropy with labelSmoothing 0.1',
      { name: 'categoricalCrossentropy', labelSmoothing: 0.1 },
      y01,
      probabilities,
      reference.categoricalCrossentropy(y01, probabilities, 0.1),
    ],
    [
      'categoricalCrossentropy fromLogits',
      { name: 'categoricalCrossentropy', fromLogits: true },
      y01,
      logits,
      reference.categoricalFromLogits(y01, logits),
    ],
    [
      'sparseCategoricalCrossentropy on ids [batch]',
      'sparseCategoricalCrossentropy',
      ids,
      probabilities,
      reference.categoricalCrossentropy(y01, probabilities),
    ],
    [
      'sparseCategoricalCrossentropy on ids [batch, 1]',
      'sparseCategoricalCrossentropy',
      ids.map((id) => [id]),
      unnormalized,
      reference.categoricalCrossentropy(y01, unnormalized),
    ],
    [
      'sparseCategoricalCrossentropy fromLogits',
      { name: 'sparseCategoricalCrossentropy', fromLogits: true },
      ids,
      logits,
      reference.categoricalFromLogits(y01, logits),
    ],
    ['meanSquaredError', 'meanSquaredError', real, predicted, reference.meanSquaredError(real, predicted)],
    ["'mse', Keras's alias", 'mse', real, predicted, reference.meanSquaredError(real, predicted)],
    ['meanAbsoluteError', 'meanAbsoluteError', real, predicted, reference.meanAbsoluteError(real, predicted)],
    [
      'meanAbsolutePercentageError (|y| clipped at 1e-7)',
      'meanAbsolutePercentageError',
      real,
      predicted,
      reference.meanAbsolutePercentageError(real, predicted),
    ],
    [
      'meanSquaredLogarithmicError (clipped at 1e-7)',
      'meanSquaredLogarithmicError',
      real,
      predicted,
      reference.meanSquaredLogarithmicError(real, predicted),
    ],
    ['huber', 'huber', real, predicted, reference.huber(real, predicted)],
    ['huber with delta 2.5', { name: 'huber', delta: 2.5 }, real, predicted, reference.huber(real, predicted, 2.5)],
    ['logCosh', 'logCosh', real, predicted, reference.logCosh(real, predicted)],
    ['hinge on {0, 1} labels (made {-1, 1})', 'hinge', y01, predicted, reference.hinge(y01, predicted)],
    ['hinge on {-1, 1} labels', 'hinge', hingeLabels(y01), predicted, reference.hinge(hingeLabels(y01), predicted)],
    ['squaredHinge', 'squaredHinge', y01, predicted, reference.squaredHinge(y01, predicted)],
    ['categoricalHinge', 'categoricalHinge', y01, predicted, reference.categoricalHinge(y01, predicted)],
    [
      'kullbackLeiblerDivergence (clipped to [1e-7, 1])',
      'kullbackLeiblerDivergence',
      probabilities,
      unnormalized.map((row) => row.map((value) => value / 2)),
      reference.kullbackLeiblerDivergence(
        probabilities,
        unnormalized.map((row) => row.map((value) => value / 2)),
      ),
    ],
    ['poisson', 'poisson', positive, positivePredicted, reference.poisson(positive, positivePredicted)],
    ['cosineSimilarity', 'cosineSimilarity', real, predicted, reference.cosineSimilarity(real, predicted)],
    [
      'cosineSimilarity with a zero vector (0, not NaN)',
      { name: 'cosineSimilarity', axis: -1 },
      [
        [0, 0, 0],
        [1, 2, 3],
      ],
      [
        [1, 2, 3],
        [3, 2, 1],
      ],
      reference.cosineSimilarity(
        [
          [0, 0, 0],
          [1, 2, 3],
        ],
        [
          [1, 2, 3],
          [3, 2, 1],
        ],
      ),
    ],
  ];
  for (const [name, lossArg, y, p, expected] of cases)
    it(name, async () => {
      expect(Number.isFinite(expected)).toBe(true);
      // float32 against float64: 1e-5 relative (MAPE over |y| = 1e-9 reaches 7e7).
      const tolerance = 1e-5 * Math.max(1, Math.abs(expected));
      expect(Math.abs((await computed(lossArg, y, p)) - expected)).toBeLessThan(tolerance);
      // Batches of 3 and 1: the mean of batch means weighted by their sizes is the same mean.
      expect(Math.abs((await computed(lossArg, y, p, 3)) - expected)).toBeLessThan(tolerance);
    });
});

describe('sparse labels, as Keras users give them', () => {
  function classifier(options: { logits?: boolean } = {}) {
    clearSession();
    const input = Input([4], { name: 'features' });
    const hidden = Dense(16, { activation: 'relu' })(input);
    const output = Dense(3, { activation: options.logits ? 'linear' : 'softmax', name: 'classes' })(hidden);
    return Model({ inputs: input, outputs: output });
  }
  const features = () => tf.randomNormal([64, 4], 0, 1, 'float32', 3);
  const labels = () => Array.from({ length: 64 }, (_, index) => index % 3);

  it('trains on ids shaped [batch] (tensor or plain array), [batch, 1], int32 or float32', async () => {
    const model = classifier().compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = features();
    for (const y of [
      labels(),
      labels().map((id) => [id]),
      tf.tensor1d(labels(), 'int32'),
      tf.tensor2d(
        labels().map((id) => [id]),
        [64, 1],
        'int32',
      ),
      tf.tensor1d(labels(), 'float32'),
    ]) {
      const history = await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      expect(Number.isFinite(history.history.loss[0])).toBe(true);
    }
  });

  it('the loss falls with fromLogits on a linear output', async () => {
    const warnings: string[] = [];
    clearSession();
    const input = Input([4]);
    const model = Model({
      inputs: input,
      outputs: Dense(3)(Dense(16, { activation: 'relu' })(input)),
      onWarning: (message) => warnings.push(message),
    }).compile({
      optimizer: { name: 'adam', learningRate: 0.01 },
      loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true },
    });
    expect(warnings).toEqual([]);
    const x = features();
    const y = tf.tensor1d(Array.from(tf.argMax(x.slice([0, 0], [64, 3]), -1).dataSync()), 'int32');
    const history = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
    const losses = history.history.loss;
    expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) * 0.7);
  });

  it('a sequence output takes ids shaped [batch, steps]', async () => {
    clearSession();
    const input = Input([5, 2]);
    const sequence = LSTM(4, { returnSequences: true })(input);
    const output = TimeDistributed(Dense(3, { activation: 'softmax' }))(sequence);
    const model = Model({ inputs: input, outputs: output }).compile({
      optimizer: 'adam',
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const x = tf.randomNormal([8, 5, 2], 0, 1, 'float32', 4);
    const ids = Array.from({ length: 8 }, (_, row) => Array.from({ length: 5 }, (_, step) => (row + step) % 3));
    const logs = await model.evaluate(x, ids);
    const [probabilitiesOut] = await model.predict(x);
    const expected = tf.tidy(
      () =>
        tf
          .neg(
            tf.mean(
              tf.sum(
                tf.mul(tf.oneHot(tf.tensor2d(ids, [8, 5], 'int32'), 3), tf.log(probabilitiesOut ?? tf.scalar(0))),
                -1,
              ),
            ),
          )
          .dataSync()[0] ?? Number.NaN,
    );
    expect(logs.loss).toBeCloseTo(expected, 4);
    await expect(
      model.fit(
        x,
        ids.map((row) => row.slice(0, 4)),
        { verbose: 0 },
      ),
    ).rejects.toThrow(
      "fit: target 'time_distributed' expects [batch, 5] or [batch, 5, 1] int32, got [8, 4]; sparseCategoricalCrossentropy takes class ids; for one-hot targets of shape [batch, 5, 3], use categoricalCrossentropy",
    );
  });

  it('the data check follows the loss, and its message says which loss takes what', async () => {
    const sparse = classifier().compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = features();
    await expect(sparse.fit(x, tf.oneHot(tf.tensor1d(labels(), 'int32'), 3), { verbose: 0 })).rejects.toThrow(
      "fit: target 'classes' expects [batch] or [batch, 1] int32, got [64, 3]; sparseCategoricalCrossentropy takes class ids; for one-hot targets of shape [batch, 3], use categoricalCrossentropy",
    );
    const dense = classifier().compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    // The message: ids given to a one-hot loss.
    await expect(dense.fit(x, labels(), { verbose: 0 })).rejects.toThrow(
      "fit: target 'classes' expects [batch, 3] float32, got [64]; for class ids of shape [batch], use sparseCategoricalCrossentropy",
    );
    await expect(dense.evaluate(x, tf.zeros([64, 1]))).rejects.toThrow(
      "evaluate: target 'classes' expects [batch, 3] float32, got [64, 1]; for class ids of shape [batch], use sparseCategoricalCrossentropy",
    );
  });

  it('ids out of range, negative or fractional are refused with the sample (tf.oneHot would make zeros)', async () => {
    const model = classifier().compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tf.zeros([3, 4]);
    await expect(model.fit(x, [0, 3, 1], { verbose: 0 })).rejects.toThrow(
      "fit: target 'classes' holds 3 at sample 1, but sparseCategoricalCrossentropy takes class ids, integers in [0, 2] (the output has 3 classes)",
    );
    await expect(model.fit(x, tf.tensor1d([0, 1, -1]), { verbose: 0 })).rejects.toThrow(
      "fit: target 'classes' holds -1 at sample 2, but sparseCategoricalCrossentropy",
    );
    await expect(model.fit(x, tf.tensor1d([0, 1.5, 1]), { verbose: 0 })).rejects.toThrow(
      "fit: target 'classes' holds 1.5 at sample 1, but sparseCategoricalCrossentropy",
    );
    await expect(model.fit(x, [0, 1.5, 1], { verbose: 0 })).rejects.toThrow(
      "fit: target 'classes' holds 1.5 at sample 1, where an int32 (an integer in [-2**31, 2**31)) is expected",
    );
  });
});

describe('losses with options, custom losses, and what compile refuses', () => {
  function regression() {
    clearSession();
    const input = Input([3]);
    return Model({ inputs: input, outputs: Dense(2, { name: 'value' })(input) });
  }

  it('a custom loss (yTrue, yPred) => tf.Tensor trains, and takes any target shape', async () => {
    let calls = 0;
    const meanFourthPower = (yTrue: tf.Tensor, yPred: tf.Tensor) => {
      calls++;
      return tf.mean(tf.pow(tf.sub(yTrue, yPred), 4), -1);
    };
    const model = regression().compile({ optimizer: { name: 'sgd', learningRate: 0.01 }, loss: meanFourthPower });
    const x = tf.randomNormal([32, 3], 0, 1, 'float32', 7);
    const y = tf.randomNormal([32, 2], 0, 1, 'float32', 8);
    const before = (await model.evaluate(x, y)).loss ?? Number.NaN;
    const [p] = await model.predict(x);
    const expected = tf.tidy(() => tf.mean(tf.pow(tf.sub(y, p ?? y), 4)).dataSync()[0] ?? Number.NaN);
    expect(before).toBeCloseTo(expected, 4);
    await model.fit(x, y, { epochs: 5, verbose: 0 });
    expect((await model.evaluate(x, y)).loss).toBeLessThan(before);
    expect(calls).toBeGreaterThan(5);
    await expect(model.fit(x, y, { verbose: 0, workers: 2 })).rejects.toThrow(
      'fit: workers must be 1 with a custom loss or metric (a function cannot be sent to a worker thread), got 2',
    );
  });

  it('a custom loss that returns something else than a tensor is named in the error', async () => {
    const model = regression();
    // Through the untyped runtime: the types refuse such a function.
    model.runtime.compile({
      optimizer: 'sgd',
      loss: function broken() {
        return 0;
      },
    });
    await expect(model.runtime.evaluate(tf.zeros([2, 3]), tf.zeros([2, 2]))).rejects.toThrow(
      "fit: the custom loss 'broken' must be a function returning a tf.Tensor, got 0",
    );
  });

  it('per-output losses by name, each with its options, and their weights', async () => {
    clearSession();
    const input = Input([3]);
    const model = Model({
      inputs: input,
      outputs: [Dense(2, { name: 'a' })(input), Dense(1, { name: 'b', activation: 'sigmoid' })(input)],
    }).compile({
      optimizer: 'sgd',
      loss: { a: { name: 'huber', delta: 0.5 }, b: { name: 'binaryCrossentropy', labelSmoothing: 0.1 } },
      lossWeights: { a: 2 },
    });
    const x = tf.randomNormal([6, 3], 0, 1, 'float32', 9);
    const ya = tf.randomNormal([6, 2], 0, 1, 'float32', 10);
    const yb = tf.tensor2d([[1], [0], [1], [1], [0], [0]]);
    const logs = await model.evaluate(x, { a: ya, b: yb });
    const [pa, pb] = await model.predict(x);
    const rows = (tensor: tf.Tensor | undefined): Rows => {
      const value: unknown = tensor?.arraySync();
      return Array.isArray(value) ? value.map((row: unknown) => (Array.isArray(row) ? row.map(Number) : [])) : [];
    };
    const huber = reference.huber(rows(ya), rows(pa), 0.5);
    const bce = reference.binaryCrossentropy(rows(yb), rows(pb), 0.1);
    expect(logs.a_loss).toBeCloseTo(huber, 4);
    expect(logs.b_loss).toBeCloseTo(bce, 4);
    expect(logs.loss).toBeCloseTo(2 * huber + bce, 4);
  });

  async function refusal(action: () => unknown): Promise<string> {
    try {
      await action();
    } catch (error) {
      if (error instanceof KeratsError) return error.message;
      throw error;
    }
    throw new Error('expected a KeratsError');
  }

  it('an unknown loss, an option the loss does not take, a bad option value, a bad axis', async () => {
    const model = regression();
    const compileWith = (loss: unknown) => () => model.runtime.compile({ optimizer: 'sgd', loss });
    expect(await refusal(compileWith('huberr'))).toBe(
      "compile: loss must be one of binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError, huber, logCosh, hinge, squaredHinge, categoricalHinge, kullbackLeiblerDivergence, poisson, cosineSimilarity (or mse, mae, mape, msle, kld), an object { name, ...options }, or a function (yTrue, yPred) => tf.Tensor, got 'huberr'",
    );
    expect(await refusal(compileWith({ name: 'huber', fromLogits: true }))).toBe(
      'compile: loss.fromLogits must be absent: huber takes delta, got true',
    );
    expect(await refusal(compileWith({ name: 'meanSquaredError', delta: 1 }))).toBe(
      'compile: loss.delta must be absent: meanSquaredError takes no options, got 1',
    );
    expect(await refusal(compileWith({ name: 'categoricalCrossentropy', labelSmoothing: 2 }))).toBe(
      'compile: loss.labelSmoothing must be a number in [0, 1], got 2',
    );
    expect(await refusal(compileWith({ name: 'huber', delta: 0 }))).toBe(
      'compile: loss.delta must be a positive number, got 0',
    );
    expect(await refusal(compileWith({ name: 'cosineSimilarity', axis: 0 }))).toBe(
      'compile: loss.axis must be an axis of the output [batch, 2]: 1..1 or -1..-1 (0 is the batch), got 0',
    );
    expect(await refusal(compileWith({ value: 'mse', other: 'mse' }))).toBe(
      "compile: the model has no target named 'other'; its targets are 'value'",
    );
  });
});

describe('compile warns when the output activation does not fit the loss', () => {
  function compiledWith(activation: 'softmax' | 'sigmoid' | 'linear' | 'relu', lossArg: LossArg): string[] {
    clearSession();
    const warnings: string[] = [];
    const input = Input([4]);
    Model({
      inputs: input,
      outputs: Dense(3, { activation, name: 'head' })(input),
      onWarning: (message) => warnings.push(message),
    }).compile({ optimizer: 'adam', loss: lossArg });
    return warnings;
  }

  it('probabilities fed to a loss with fromLogits: true', () => {
    expect(compiledWith('softmax', { name: 'categoricalCrossentropy', fromLogits: true })).toEqual([
      "compile: output 'head' ends in a softmax activation, but its loss categoricalCrossentropy has fromLogits: true, so softmax/sigmoid is applied twice; give the layer activation: 'linear', or drop fromLogits",
    ]);
    expect(compiledWith('sigmoid', { name: 'binaryCrossentropy', fromLogits: true })).toHaveLength(1);
  });

  it('logits fed to a probability loss', () => {
    expect(compiledWith('linear', 'sparseCategoricalCrossentropy')).toEqual([
      "compile: output 'head' has a linear activation (logits), but its loss sparseCategoricalCrossentropy expects probabilities; use { name: 'sparseCategoricalCrossentropy', fromLogits: true }, or give the layer activation: 'softmax'",
    ]);
    expect(compiledWith('linear', 'binaryCrossentropy')[0]).toContain("give the layer activation: 'sigmoid'");
    expect(compiledWith('linear', 'kullbackLeiblerDivergence')).toEqual([
      "compile: output 'head' has a linear activation, but its loss kullbackLeiblerDivergence expects probabilities; give the layer activation: 'softmax'",
    ]);
  });

  it('no warning where they fit, or where the loss does not care', () => {
    expect(compiledWith('softmax', 'categoricalCrossentropy')).toEqual([]);
    expect(compiledWith('linear', { name: 'categoricalCrossentropy', fromLogits: true })).toEqual([]);
    expect(compiledWith('linear', 'meanSquaredError')).toEqual([]);
    expect(compiledWith('relu', 'huber')).toEqual([]);
  });

  it('goes to console.warn when the model has no onWarning, and not again when a save is loaded', async () => {
    const seen: string[] = [];
    const original = console.warn;
    console.warn = (message: string) => void seen.push(message);
    try {
      clearSession();
      const input = Input([4]);
      const model = Model({ inputs: input, outputs: Dense(3)(input) }).compile({
        optimizer: 'adam',
        loss: 'categoricalCrossentropy',
      });
      expect(seen).toHaveLength(1);
      const directory = mkdtempSync(join(tmpdir(), 'kerats-losses-'));
      try {
        await model.save(directory);
        await loadModel(directory);
        expect(seen).toHaveLength(1);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    } finally {
      console.warn = original;
    }
  });
});
