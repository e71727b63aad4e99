// Data-parallel training over worker threads: the same step as on one thread, up to summation order.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conv2D, clearSession, Dense, Flatten, Input, MaxPooling2D, Model, useBackend } from '../src/index.ts';

beforeAll(async () => {
  // The workers run the compiled JavaScript, built by the global setup (tests/helpers/build.ts).
  await useBackend('wasm');
});

describe('fit({ workers: 2 })', () => {
  it('takes the same step as one thread, and trains', async () => {
    clearSession();
    const image = Input([12, 12, 2], { name: 'image' });
    const features = Flatten()(MaxPooling2D(2)(Conv2D(4, 3, { activation: 'relu' })(image)));
    const model = Model({ inputs: image, outputs: Dense(3, { activation: 'softmax' })(features) });
    const x = tf.randomNormal([32, 12, 12, 2], 0, 1, 'float32', 5);
    const y = tf.oneHot(tf.randomUniform([32], 0, 3, 'int32', 6), 3);
    const weights = model.toLayersModel().weights;
    const start = weights.map((weight) => tf.clone(weight.read()));
    const stepWith = async (workers: number) => {
      weights.forEach((weight, index) => {
        const value = start[index];
        if (value) weight.write(value);
      });
      const compiled = model.compile({
        optimizer: { name: 'sgd', learningRate: 0.1 },
        loss: 'categoricalCrossentropy',
      });
      const history = await compiled.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0, workers });
      return {
        loss: history.history.loss[0] ?? Number.NaN,
        values: weights.map((weight) => Array.from(weight.read().dataSync())),
      };
    };
    const one = await stepWith(1);
    const two = await stepWith(2);
    expect(two.loss).toBeCloseTo(one.loss, 5);
    for (const [index, values] of one.values.entries())
      for (const [position, value] of values.entries()) expect(two.values[index]?.[position]).toBeCloseTo(value, 5);
  });

  it('with sample weights and stateful metrics: counts add over the shares, the same as one thread', async () => {
    clearSession();
    const input = Input([6]);
    const model = Model({ inputs: input, outputs: Dense(1, { activation: 'sigmoid' })(input) });
    const x = tf.randomNormal([24, 6], 0, 1, 'float32', 7);
    const y = tf.cast(tf.greater(tf.randomUniform([24, 1], 0, 1, 'float32', 8), 0.5), 'float32');
    const sampleWeight = tf.randomUniform([24], 0, 2, 'float32', 9);
    const weights = model.toLayersModel().weights;
    const start = weights.map((weight) => tf.clone(weight.read()));
    const run = async (workers: number) => {
      weights.forEach((weight, index) => {
        const value = start[index];
        if (value) weight.write(value);
      });
      const compiled = model.compile({
        optimizer: { name: 'adam', learningRate: 0.01 },
        loss: 'binaryCrossentropy',
        metrics: ['accuracy', 'auc', 'precision'],
      });
      const history = await compiled.fit(x, y, {
        epochs: 2,
        batchSize: 12,
        shuffle: false,
        verbose: 0,
        workers,
        sampleWeight,
      });
      return history.history;
    };
    const one = await run(1);
    const two = await run(2);
    for (const key of ['loss', 'accuracy', 'auc', 'precision'] as const)
      for (const [epoch, value] of one[key].entries()) expect(two[key][epoch]).toBeCloseTo(value, 4);
  });
});
