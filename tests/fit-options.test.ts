// fit's sampleWeight, classWeight, initialEpoch, validationFreq, stepsPerEpoch and validationBatchSize: what
// each does, against a hand computation where there is one, and the message for each bad value.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Activation, clearSession, Dense, Input, KeratsError, Model, useBackend } from '../src/index.ts';

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/** A model whose prediction is its input: the loss of a batch is then the numbers written here. */
function identity(units: number) {
  clearSession();
  const x = Input([units]);
  return Model({ inputs: x, outputs: Activation('linear')(x) });
}

const predictions = [[0.5], [2], [-1], [3]];
const targets = [[1], [1], [1], [1]];
/** Squared errors: 0.25, 1, 4, 4. */
const squared = [0.25, 1, 4, 4];

describe('sampleWeight and classWeight scale each sample’s loss, as Keras', () => {
  it("sampleWeight: the mean of weight × loss over the samples (Keras's sum over batch size)", async () => {
    const model = identity(1).compile({ optimizer: 'sgd', loss: 'mse' });
    const weights = [1, 0, 2, 0.5];
    const history = await model.fit(predictions, targets, { sampleWeight: weights, batchSize: 4, verbose: 0 });
    const expected = squared.reduce((sum, value, index) => sum + value * (weights[index] ?? 0), 0) / 4;
    expect(history.history.loss[0]).toBeCloseTo(expected, 6);
    // As a tensor, and [samples, 1], the same.
    const again = await model.fit(predictions, targets, {
      sampleWeight: tf.tensor2d(weights, [4, 1]),
      batchSize: 4,
      verbose: 0,
    });
    expect(again.history.loss[0]).toBeCloseTo(expected, 6);
  });

  it('sampleWeight zero leaves a sample out of training', async () => {
    clearSession();
    const x = Input([1]);
    const model = Model({ inputs: x, outputs: Dense(1, { useBias: false })(x) }).compile({
      optimizer: { name: 'sgd', learningRate: 0.1 },
      loss: 'mse',
    });
    const w0 = model.toLayersModel().getWeights()[0]?.dataSync()[0] ?? Number.NaN;
    // Only the first sample counts: it pulls the kernel towards 2; the second (towards -5) weighs nothing.
    await model.fit([[1], [1]], [[2], [-5]], { sampleWeight: [1, 0], batchSize: 2, verbose: 0 });
    // d/dw ((w - 2)² · 1 + (w + 5)² · 0) / 2 = w - 2.
    expect(model.toLayersModel().getWeights()[0]?.dataSync()[0]).toBeCloseTo(w0 - 0.1 * (w0 - 2), 6);
  });

  it("classWeight: each sample weighs its class's weight (one-hot, ids, and binary labels)", async () => {
    const probabilities = [
      [0.7, 0.3],
      [0.4, 0.6],
      [0.9, 0.1],
    ];
    const ids = [0, 1, 1];
    const crossentropy = ids.map((id, row) => -Math.log(probabilities[row]?.[id] ?? 1));
    const expected = (crossentropy[0] ?? 0) * 1 + ((crossentropy[1] ?? 0) + (crossentropy[2] ?? 0)) * 3;
    const sparse = identity(2).compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const bySparse = await sparse.fit(probabilities, ids, { classWeight: { 0: 1, 1: 3 }, batchSize: 3, verbose: 0 });
    expect(bySparse.history.loss[0]).toBeCloseTo(expected / 3, 5);
    const oneHot = identity(2).compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const byOneHot = await oneHot.fit(
      probabilities,
      ids.map((id) => (id === 0 ? [1, 0] : [0, 1])),
      { classWeight: { 0: 1, 1: 3 }, batchSize: 3, verbose: 0 },
    );
    expect(byOneHot.history.loss[0]).toBeCloseTo(expected / 3, 5);
    // A class not listed weighs 1.
    const binary = identity(1).compile({ optimizer: 'sgd', loss: 'mse' });
    const byBinary = await binary.fit(predictions, [[1], [0], [1], [0]], {
      classWeight: { 0: 10 },
      batchSize: 4,
      verbose: 0,
    });
    const errors = [0.25, 4, 4, 9];
    expect(byBinary.history.loss[0]).toBeCloseTo(((errors[0] ?? 0) + 10 * 4 + 4 + 10 * 9) / 4, 5);
  });
});

describe('initialEpoch, validationFreq, stepsPerEpoch, validationBatchSize', () => {
  it('initialEpoch: training runs epochs initialEpoch..epochs-1, numbered as Keras', async () => {
    const model = identity(1).compile({ optimizer: 'sgd', loss: 'mse' });
    const begun: number[] = [];
    const history = await model.fit(predictions, targets, {
      epochs: 4,
      initialEpoch: 2,
      verbose: 0,
      callbacks: [{ onEpochBegin: (epoch) => void begun.push(epoch) }],
    });
    expect(history.epoch).toEqual([2, 3]);
    expect(begun).toEqual([2, 3]);
  });

  it('validationFreq: every n epochs, or the epochs listed (from 1)', async () => {
    const model = identity(1).compile({ optimizer: 'sgd', loss: 'mse' });
    const every = await model.fit(predictions, targets, {
      epochs: 4,
      validationFreq: 2,
      validationData: [predictions, targets],
      verbose: 0,
    });
    expect(every.history.loss).toHaveLength(4);
    expect(every.history.val_loss).toEqual([2.3125, 2.3125]);
    const listed = await model.fit(predictions, targets, {
      epochs: 4,
      validationFreq: [1, 4],
      validationData: [predictions, targets],
      verbose: 0,
    });
    expect(listed.history.val_loss).toHaveLength(2);
  });

  it('stepsPerEpoch: that many batches an epoch, drawing on across passes', async () => {
    // A custom metric sees each batch: the rows of 10 samples in batches of 4, 2 batches an epoch, unshuffled.
    const seen: number[][] = [];
    const model = identity(1).compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: [
        {
          name: 'rows',
          fn: (_, yPred) => {
            seen.push(Array.from(yPred.dataSync()));
            return tf.zeros([yPred.shape[0] ?? 0]);
          },
        },
      ],
    });
    const rows = Array.from({ length: 10 }, (_, index) => [index]);
    const history = await model.fit(rows, rows, {
      epochs: 3,
      batchSize: 4,
      stepsPerEpoch: 2,
      shuffle: false,
      verbose: 0,
    });
    expect(history.epoch).toEqual([0, 1, 2]);
    // Passes of 4, 4, 2 rows; the third epoch's first batch starts the second pass.
    expect(seen).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('validationBatchSize: the batch size of validation', async () => {
    const sizes: number[] = [];
    const model = identity(1).compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: [
        {
          name: 'sizes',
          fn: (_, yPred) => {
            sizes.push(yPred.shape[0] ?? 0);
            return tf.zeros([yPred.shape[0] ?? 0]);
          },
        },
      ],
    });
    const rows = Array.from({ length: 6 }, (_, index) => [index]);
    await model.fit(rows, rows, { batchSize: 6, validationBatchSize: 4, validationData: [rows, rows], verbose: 0 });
    expect(sizes).toEqual([6, 4, 2]);
  });
});

describe('each option is checked before any work, naming what was expected and what came', () => {
  const model = () => identity(1).compile({ optimizer: 'sgd', loss: 'mse' });
  const multiple = () => {
    clearSession();
    const x = Input([1]);
    return Model({ inputs: x, outputs: [Dense(1, { name: 'a' })(x), Dense(1, { name: 'b' })(x)] }).compile({
      optimizer: 'sgd',
      loss: 'mse',
    });
  };
  const cases: [string, () => Promise<unknown>, string][] = [
    [
      'sampleWeight of the wrong length',
      () => model().fit(predictions, targets, { sampleWeight: [1, 2] }),
      'fit: sampleWeight must be 4 weights ([4]), got [2]',
    ],
    [
      'a negative sample weight',
      () => model().fit(predictions, targets, { sampleWeight: [1, -1, 1, 1] }),
      'fit: sampleWeight must be numbers >= 0, one per sample ([samples]), or per sample and step ([samples, steps]), got a weight of -1',
    ],
    [
      'sampleWeight for an output that does not exist',
      () => multiple().fit(predictions, [targets, targets], { sampleWeight: { c: [1, 1, 1, 1] } }),
      "fit: the model has no target named 'c'; its targets are 'a', 'b'",
    ],
    [
      'both sampleWeight and classWeight',
      () => model().fit(predictions, targets, { sampleWeight: [1, 1, 1, 1], classWeight: { 0: 1 } }),
      'fit: sampleWeight given and classWeight given cannot both be given (as in Keras): fold the class weights into sampleWeight',
    ],
    [
      'classWeight on a model with two outputs',
      () => multiple().fit(predictions, [targets, targets], { classWeight: { 0: 1 } }),
      'fit: classWeight must be given for a model with a single output only (as in Keras); use sampleWeight for several outputs, got an object',
    ],
    [
      'a classWeight key that is not a class id',
      () => model().fit(predictions, targets, { classWeight: { [-1]: 2 } }),
      "fit: classWeight must be class ids (integers >= 0) as keys, got '-1'",
    ],
    [
      'initialEpoch past epochs',
      () => model().fit(predictions, targets, { epochs: 2, initialEpoch: 3 }),
      'fit: initialEpoch must be an integer in [0, 2] (epochs is 2), got 3',
    ],
    [
      'validationFreq 0',
      () => model().fit(predictions, targets, { validationFreq: 0 }),
      'fit: validationFreq must be a positive integer (validate every n epochs) or a list of epochs counted from 1, got 0',
    ],
    [
      'stepsPerEpoch 0.5',
      () => model().fit(predictions, targets, { stepsPerEpoch: 0.5 }),
      'fit: stepsPerEpoch must be a positive integer, got 0.5',
    ],
    [
      'validationBatchSize 0',
      () => model().fit(predictions, targets, { validationBatchSize: 0 }),
      'fit: validationBatchSize must be a positive integer, got 0',
    ],
  ];
  for (const [what, run, message] of cases)
    it(what, async () => {
      const error = await run().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(KeratsError);
      expect(error instanceof Error ? error.message : '').toBe(message);
    });
});
