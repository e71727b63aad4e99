// Weight and activity regularizers (Keras 3's kernel_regularizer, ..., activity_regularizer): their penalties are
// in the loss fit minimises and fit and evaluate report (keras/src/trainers/trainer.py compute_loss adds
// sum(model.losses); keras/src/layers/layer.py: a trainable weight's regularizer(w), and an output's
// regularizer(y) divided by the batch size), they are saved and loaded, and a bad one is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSession, Dense, Input, l1, l1l2, l2, loadModel, Model, useBackend } from '../src/index.ts';

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

beforeAll(async () => {
  expect(await useBackend('cpu')).toBe('cpu');
});

const values = (tensor: tf.Tensor | undefined): number[] => Array.from(tensor?.dataSync() ?? []);
const sum = (list: readonly number[], term: (value: number) => number) =>
  list.reduce((total, value) => total + term(value), 0);
const mean = (list: readonly number[]) => sum(list, (value) => value) / list.length;

const x = tf.tensor2d([
  [0.5, -1, 2],
  [1, 0.25, -0.5],
  [-2, 1, 0],
  [0.3, 0.2, 0.1],
]);
const y = tf.tensor2d([[1], [-1], [0.5], [2]]);

describe('a weight regularizer adds its penalty to the loss', () => {
  it('Dense with kernelRegularizer l2(0.1): evaluate and fit report data loss + 0.1 * sum(kernel^2)', async () => {
    clearSession();
    const input = Input([3]);
    const model = Model({ inputs: input, outputs: Dense(1, { kernelRegularizer: l2(0.1) })(input) }).compile({
      optimizer: { name: 'sgd', learningRate: 0 },
      loss: 'meanSquaredError',
    });
    const [predicted] = await model.predict(x);
    const [kernel] = model.getLayer('dense').getWeights();
    const ps = values(predicted);
    const ys = values(y);
    const dataLoss = mean(ps.map((p, i) => (p - (ys[i] ?? Number.NaN)) ** 2));
    const penalty = 0.1 * sum(values(kernel), (w) => w * w);
    expect(penalty).toBeGreaterThan(0.01);
    expect((await model.evaluate(x, y, { batchSize: 4 })).loss).toBeCloseTo(dataLoss + penalty, 5);
    // The penalty is per batch, not per sample: at any batch size the mean loss is the same.
    expect((await model.evaluate(x, y, { batchSize: 1 })).loss).toBeCloseTo(dataLoss + penalty, 5);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, shuffle: false });
    expect(history.history.loss[0]).toBeCloseTo(dataLoss + penalty, 5);
  });
});

describe('an activity regularizer adds its penalty on the output, divided by the batch size', () => {
  it("Dense with activityRegularizer 'l1' (0.01) and biasRegularizer l1l2: the reported loss adds both", async () => {
    clearSession();
    const input = Input([3]);
    const dense = Dense(2, {
      biasInitializer: 'ones',
      biasRegularizer: l1l2({ l1: 0.2, l2: 0.3 }),
      activityRegularizer: 'l1',
    });
    const model = Model({ inputs: input, outputs: dense(input) }).compile({
      optimizer: { name: 'sgd', learningRate: 0 },
      loss: 'meanSquaredError',
    });
    const target = tf.zeros([4, 2]);
    const [predicted] = await model.predict(x);
    const ps = values(predicted);
    const dataLoss = mean(ps.map((p) => p * p));
    // keras/src/layers/layer.py: the activity loss divided by the batch size; the bias [1, 1]: 0.2 * 2 + 0.3 * 2.
    const activity = (0.01 * sum(ps, Math.abs)) / 4;
    const bias = 0.2 * 2 + 0.3 * 2;
    expect((await model.evaluate(x, target, { batchSize: 4 })).loss).toBeCloseTo(dataLoss + activity + bias, 5);
    expect((await model.evaluate(x, target, { batchSize: 2 })).loss).toBeCloseTo(dataLoss + activity + bias, 5);
  });
});

describe('regularizers are saved and loaded', () => {
  it('the config holds each resolved, with its factors; the loaded model reports the same loss', async () => {
    clearSession();
    const input = Input([3]);
    const model = Model({
      inputs: input,
      outputs: Dense(1, { kernelRegularizer: 'L2', biasRegularizer: l1(0.5), activityRegularizer: 'l1l2' })(input),
    }).compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const config = model.getLayer('dense').core.spec.config;
    expect(config.kernelRegularizer).toEqual({ className: 'l2', config: { l2: 0.01 } });
    expect(config.biasRegularizer).toEqual({ className: 'l1', config: { l1: 0.5 } });
    // Keras 3's regularizers.get('l1l2') is L1L2(), whose factors default to 0 (not its docstring's 0.01).
    expect(config.activityRegularizer).toEqual({ className: 'l1l2', config: { l1: 0, l2: 0 } });
    const directory = mkdtempSync(join(tmpdir(), 'kerats-regularizers-'));
    directories.push(directory);
    await model.save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.getLayer('dense').core.spec.config).toEqual(config);
    loaded.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect((await loaded.evaluate(x, y)).loss).toBeCloseTo((await model.evaluate(x, y)).loss ?? Number.NaN, 6);
  });
});

describe('a bad regularizer is refused, naming what was expected', () => {
  it('an unknown name, a bad config key, a negative factor, a number', () => {
    const name: string = 'l1_l2';
    expect(() => Dense(3, { kernelRegularizer: name })).toThrow(
      "Dense: kernelRegularizer must be one of 'l1', 'l2', 'l1l2' (or Keras's class names 'L1', 'L2', 'L1L2'), got 'l1_l2'",
    );
    expect(() => Dense(3, { biasRegularizer: { className: 'l2', config: { l1: 0.1 } } })).toThrow(
      "Dense: biasRegularizer.config must be keys among 'l2' for l2, got 'l1'",
    );
    expect(() => Dense(3, { activityRegularizer: l2(-1) })).toThrow(
      'Dense: activityRegularizer.config.l2 must be a non-negative number, got -1',
    );
    // Options read from JSON, where the types see nothing wrong.
    const read: { readonly kernelRegularizer: string } = JSON.parse('{ "kernelRegularizer": 0.01 }');
    expect(() => Dense(3, read)).toThrow(
      "Dense: kernelRegularizer must be a regularizer name ('l1', 'l2', 'l1l2'), l2(factor) or { className, config }, got 0.01",
    );
  });
});
