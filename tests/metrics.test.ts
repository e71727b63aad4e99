// Metrics against hand computations, through evaluate on a model that outputs its input (so the predictions are
// the numbers written here): each metric's value, the epoch's value from summed counts rather than a mean of
// batches (AUC, RMSE), 'accuracy' by the loss, per-output metrics and Keras's keys, and the typed History.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Activation, clearSession, Dense, Input, KeratsError, Model, useBackend } from '../src/index.ts';

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/** A model whose prediction is its input, `units` wide. */
function identity(units: number) {
  clearSession();
  const x = Input([units]);
  return Model({ inputs: x, outputs: Activation('linear')(x) });
}

const probabilities = [0.2, 0.7, 0.6, 0.4];
const labels = [0, 1, 0, 0];

describe('each metric, as a hand computation', () => {
  it('binaryAccuracy at 0.5 and at a threshold', async () => {
    const model = identity(1).compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: ['binaryAccuracy', { name: 'binaryAccuracy', threshold: 0.65 }],
    });
    const logs = await model.evaluate(
      probabilities.map((p) => [p]),
      labels.map((y) => [y]),
    );
    // 0.6 > 0.5 is wrong at 0.5: 3 of 4; at 0.65 all 4 are right. The repeat is keyed binaryAccuracy_1, as Keras.
    expect(logs.binaryAccuracy).toBeCloseTo(0.75, 6);
    expect(logs.binaryAccuracy_1).toBeCloseTo(1, 6);
  });

  const scores = [
    [0.1, 0.6, 0.3],
    [0.5, 0.2, 0.3],
    [0.2, 0.3, 0.5],
    [0.3, 0.4, 0.3],
  ];
  const classes = [1, 2, 2, 0];
  it('categoricalAccuracy and topKCategoricalAccuracy', async () => {
    const model = identity(3).compile({
      optimizer: 'sgd',
      loss: 'categoricalCrossentropy',
      metrics: ['categoricalAccuracy', { name: 'topKCategoricalAccuracy', k: 2 }],
    });
    const oneHot = classes.map((id) => [0, 1, 2].map((each) => (each === id ? 1 : 0)));
    const logs = await model.evaluate(scores, oneHot);
    // argmax: 1, 0, 2, 1 against 1, 2, 2, 0: 2 right. Top 2: {1,2} ∋ 1, {0,2} ∋ 2, {2,1} ∋ 2, {1,0 or 2} ∋ 0: 4.
    expect(logs.categoricalAccuracy).toBeCloseTo(0.5, 6);
    expect(logs.topKCategoricalAccuracy).toBeCloseTo(1, 6);
  });

  it('sparseCategoricalAccuracy, and sparse top-k, from ids', async () => {
    const model = identity(3).compile({
      optimizer: 'sgd',
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['sparseCategoricalAccuracy', { name: 'sparseTopKCategoricalAccuracy', k: 1 }, 'accuracy'],
    });
    const logs = await model.evaluate(scores, classes);
    expect(logs.sparseCategoricalAccuracy).toBeCloseTo(0.5, 6);
    expect(logs.sparseTopKCategoricalAccuracy).toBeCloseTo(0.5, 6);
    // 'accuracy' with a sparse loss is sparse categorical accuracy.
    expect(logs.accuracy).toBeCloseTo(0.5, 6);
  });

  it('precision and recall: true positives over predicted and over actual positives', async () => {
    const predicted = [0.9, 0.8, 0.3, 0.6, 0.1, 0.7];
    const actual = [1, 0, 1, 1, 0, 0];
    const model = identity(1).compile({
      optimizer: 'sgd',
      loss: 'binaryCrossentropy',
      metrics: ['precision', 'recall', { name: 'precision', thresholds: 0.75 }],
    });
    const logs = await model.evaluate(
      predicted.map((p) => [p]),
      actual.map((y) => [y]),
      { batchSize: 4 },
    );
    // > 0.5: 0.9 (tp), 0.8 (fp), 0.6 (tp), 0.7 (fp): precision 2/4; recall 2/3 (0.3 missed).
    expect(logs.precision).toBeCloseTo(0.5, 6);
    expect(logs.recall).toBeCloseTo(2 / 3, 6);
    // > 0.75: 0.9 (tp), 0.8 (fp).
    expect(logs.precision_1).toBeCloseTo(0.5, 6);
  });

  it("auc: Keras's documented example with 3 thresholds, and an exact ROC area with 200", async () => {
    const model = identity(1).compile({
      optimizer: 'sgd',
      loss: 'binaryCrossentropy',
      metrics: [{ name: 'auc', numThresholds: 3 }, 'auc'],
    });
    const logs = await model.evaluate([[0], [0.5], [0.3], [0.9]], [[0], [0], [1], [1]]);
    // keras.metrics.AUC(num_thresholds=3) on these: 0.75 (its docstring).
    expect(logs.auc).toBeCloseTo(0.75, 6);
    // With 200 thresholds the trapezoids are exact for these four: positives 0.3 and 0.9 against negatives 0
    // and 0.5 win 3 of 4 pairs.
    expect(logs.auc_1).toBeCloseTo(0.75, 6);
  });

  it('auc is of the epoch, not a mean of batches (Keras accumulates its confusion matrix)', async () => {
    const model = identity(1).compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['auc'] });
    // Batch 1 separates perfectly (AUC 1), batch 2 inverts (AUC 0): their mean would be 0.5. Over the epoch,
    // positives {0.9, 0.3} against negatives {0.2, 0.8} win 3 of 4 pairs.
    const logs = await model.evaluate([[0.2], [0.9], [0.8], [0.3]], [[0], [1], [0], [1]], { batchSize: 2 });
    expect(logs.auc).toBeCloseTo(0.75, 5);
  });

  it('auc of the precision-recall curve: 1 for a perfect ranking', async () => {
    const model = identity(1).compile({
      optimizer: 'sgd',
      loss: 'binaryCrossentropy',
      metrics: [{ name: 'auc', curve: 'PR' }],
    });
    const logs = await model.evaluate([[0.1], [0.2], [0.8], [0.9]], [[0], [0], [1], [1]]);
    expect(logs.auc).toBeCloseTo(1, 5);
  });

  it('meanAbsoluteError, meanSquaredError, and rootMeanSquaredError as the root of the epoch mean', async () => {
    const model = identity(2).compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: ['meanAbsoluteError', 'mae', 'meanSquaredError', 'mse', 'rootMeanSquaredError'],
    });
    const predictions = [
      [1, 2],
      [3, 4],
      [0, 0],
      [2, 2],
    ];
    const targets = [
      [1, 1],
      [1, 4],
      [0, 3],
      [2, 2],
    ];
    const logs = await model.evaluate(predictions, targets, { batchSize: 2 });
    // Errors: 0, 1, 2, 0, 0, 3, 0, 0 (8 elements).
    expect(logs.meanAbsoluteError).toBeCloseTo(6 / 8, 6);
    expect(logs.mae).toBeCloseTo(6 / 8, 6);
    expect(logs.meanSquaredError).toBeCloseTo(14 / 8, 6);
    expect(logs.mse).toBeCloseTo(14 / 8, 6);
    // The batches' roots would be sqrt(5/4) and sqrt(9/4), mean 1.309; Keras's is sqrt(14/8) = 1.3229.
    expect(logs.rootMeanSquaredError).toBeCloseTo(Math.sqrt(14 / 8), 6);
  });

  it('a custom metric function is logged under its name, averaged over every sample', async () => {
    function overshoot(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
      return tf.cast(tf.greater(yPred, yTrue), 'float32');
    }
    const model = identity(1).compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: [overshoot, { name: 'meanError', fn: (yTrue, yPred) => tf.sub(yPred, yTrue) }],
    });
    const logs = await model.evaluate([[1], [2], [3]], [[0], [3], [1]], { batchSize: 2 });
    expect(logs.overshoot).toBeCloseTo(2 / 3, 6);
    expect(logs.meanError).toBeCloseTo((1 - 1 + 2) / 3, 6);
  });
});

describe("'accuracy' by the loss, per-output metrics, and Keras's keys", () => {
  it("'accuracy' is binary for binary cross-entropy, categorical for one-hot targets", async () => {
    const binary = identity(2).compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const logs = await binary.evaluate([[0.8, 0.3]], [[1, 1]]);
    // Per element: 0.8 > 0.5 right, 0.3 wrong (Keras's binary accuracy averages every element).
    expect(logs.accuracy).toBeCloseTo(0.5, 6);
    const categorical = identity(2).compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['acc'] });
    expect((await categorical.evaluate([[0.8, 0.3]], [[1, 0]])).acc).toBeCloseTo(1, 6);
  });

  it('metrics by output name, logged as <output>_<metric> beside each <output>_loss', async () => {
    clearSession();
    const x = Input([3]);
    const classes = Dense(2, { activation: 'softmax', name: 'classes' })(x);
    const value = Dense(1, { name: 'value' })(x);
    const model = Model({ inputs: x, outputs: [classes, value] }).compile({
      optimizer: 'adam',
      loss: ['sparseCategoricalCrossentropy', 'mse'],
      metrics: { classes: ['accuracy'], value: ['mae'] },
    });
    const xs = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 1],
    ];
    const history = await model.fit(
      xs,
      [
        [0, 1, 0, 1],
        [[1], [2], [3], [4]],
      ],
      {
        epochs: 2,
        batchSize: 2,
        verbose: 0,
        validationData: [
          xs,
          [
            [0, 1, 0, 1],
            [[1], [2], [3], [4]],
          ],
        ],
      },
    );
    expect(Object.keys(history.history).sort()).toEqual(
      [
        'loss',
        'classes_loss',
        'value_loss',
        'classes_accuracy',
        'value_mae',
        'val_loss',
        'val_classes_loss',
        'val_value_loss',
        'val_classes_accuracy',
        'val_value_mae',
      ].sort(),
    );
    expect(history.history.classes_accuracy).toHaveLength(2);
    // The total is the sum of the outputs' losses.
    const [total, first, second] = [history.history.loss, history.history.classes_loss, history.history.value_loss];
    expect(total[0]).toBeCloseTo((first?.[0] ?? 0) + (second?.[0] ?? 0), 4);
  });

  it('History names the keys Keras logs: loss, accuracy, val_loss, val_accuracy', async () => {
    const model = identity(1).compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit([[0.2], [0.9]], [[0], [1]], { verbose: 0, validationData: [[[0.2]], [[0]]] });
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(history.history.val_accuracy).toEqual([1]);
    // @ts-expect-error tf.keras 1's key: Keras 3 logs val_accuracy for metrics: ['accuracy'].
    expect(history.history.val_acc).toBeUndefined();
    // @ts-expect-error no such metric was asked for.
    expect(history.history.auc).toBeUndefined();
  });
});

describe('a misspelt metric does not compile', () => {
  it("'acuracy', and a Python spelling, are type errors, and refused when run anyway", () => {
    const model = identity(1);
    // @ts-expect-error 'acuracy' is not a metric.
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] })).toThrow(KeratsError);
    // @ts-expect-error Keras's top_k_categorical_accuracy is topKCategoricalAccuracy.
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['top_k_categorical_accuracy'] })).toThrow(
      KeratsError,
    );
  });
});

describe('metrics that do not fit, refused at compile with what to use', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'sparse accuracy on one-hot targets',
      () =>
        identity(3).compile({
          optimizer: 'sgd',
          loss: 'categoricalCrossentropy',
          metrics: ['sparseCategoricalAccuracy'],
        }),
      "compile: metrics[0] must be a metric that fits the output [batch, 3], got 'sparseCategoricalAccuracy', which needs class ids as the target (a sparse loss such as sparseCategoricalCrossentropy); this output's loss categoricalCrossentropy takes one-hot or continuous targets: use categoricalAccuracy",
    ],
    [
      'categorical accuracy on one unit',
      () => identity(1).compile({ optimizer: 'sgd', loss: 'mse', metrics: ['categoricalAccuracy'] }),
      "compile: metrics[0] must be a metric that fits the output [batch, 1], got 'categoricalAccuracy', which needs one score per class, but the output has 1 unit: use binaryAccuracy for a single probability",
    ],
    [
      'an unknown metric',
      () => identity(1).runtime.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1'] }),
      "compile: metrics[0] must be one of accuracy, acc, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy, sparseTopKCategoricalAccuracy, precision, recall, auc, meanAbsoluteError, meanSquaredError, rootMeanSquaredError, mae, mse, an object { name, ...options }, a function (yTrue, yPred) => tf.Tensor, or { name, fn }, got 'f1'",
    ],
    [
      'a bad option',
      () =>
        identity(3).compile({
          optimizer: 'sgd',
          loss: 'categoricalCrossentropy',
          metrics: [{ name: 'topKCategoricalAccuracy', k: 0 }],
        }),
      'compile: metrics[0].k must be a positive integer, got 0',
    ],
    [
      'an option the metric does not take',
      () => identity(1).runtime.compile({ optimizer: 'sgd', loss: 'mse', metrics: [{ name: 'mae', k: 2 }] }),
      'compile: metrics[0].k must be absent: mae takes no options, got 2',
    ],
  ];
  for (const [what, run, message] of cases)
    it(what, () => {
      expect(run).toThrow(KeratsError);
      expect(run).toThrow(message);
    });
});
