// Sequential, as Keras's: the keras.io MNIST convnet (its summary and count, training on wasm, save and load), a
// block without an Input (built on its first call, shared after, one row in the outer summary), and the checks the
// compiler cannot make (a list built in a loop) made when the model is built, with the compiler's sentences.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnyTensor,
  Conv2D,
  clearSession,
  Dense,
  Dropout,
  Flatten,
  Input,
  LSTM,
  loadModel,
  MaxPooling2D,
  Model,
  Sequential,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-sequential-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/** keras.io/examples/vision/mnist_convnet, line for line. */
function convnet() {
  return Sequential([
    Input([28, 28, 1]),
    Conv2D(32, [3, 3], { activation: 'relu' }),
    MaxPooling2D([2, 2]),
    Conv2D(64, [3, 3], { activation: 'relu' }),
    MaxPooling2D([2, 2]),
    Flatten(),
    Dropout(0.5),
    Dense(10, { activation: 'softmax' }),
  ]);
}

describe('keras.io: the MNIST convnet as a Sequential', () => {
  it("has Keras's summary: no InputLayer row, the rows and counts of the published one (34,826)", () => {
    clearSession();
    const model = convnet();
    expect(model.className).toBe('Sequential');
    expect(model.name).toBe('sequential');
    expect(model.countParams()).toBe(34_826);
    const rows = model
      .summaryLines()
      .filter((line) => /^ [a-z0-9_]+ \(/.test(line))
      .map((line) => line.trim().split(/\s{2,}/));
    // The published summary (keras.io): conv2d 320, max_pooling2d 0, conv2d_1 18,496, max_pooling2d_1 0,
    // flatten 0, dropout 0, dense 16,010.
    expect(rows.map((row) => row.at(-1))).toEqual(['320', '0', '18496', '0', '0', '0', '16010']);
    expect(model.summaryLines()).toContain('Total params: 34,826');
    expect(model.summaryLines().some((line) => line.includes('InputLayer'))).toBe(false);
    expect(model.outputs.map((output) => output.shape)).toEqual([[10]]);
  });

  it('trains on wasm with falling loss, and saves and loads as a Sequential with the same predictions', async () => {
    clearSession();
    const model = convnet();
    model.compile({ optimizer: { name: 'adam', learningRate: 0.003 }, loss: 'categoricalCrossentropy' });
    // Images whose label is the quadrant holding a bright square.
    const count = 64;
    const labels = Array.from({ length: count }, (_, index) => index % 4);
    const x = tf.stack(
      labels.map((label) =>
        tf.pad(tf.ones([8, 8, 1]), [
          [label < 2 ? 2 : 16, label < 2 ? 18 : 4],
          [label % 2 === 0 ? 2 : 16, label % 2 === 0 ? 18 : 4],
          [0, 0],
        ]),
      ),
    );
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    const before = (await model.evaluate(x, y)).loss ?? Number.NaN;
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    expect((await model.evaluate(x, y)).loss).toBeLessThan(before);
    const directory = join(work, 'convnet');
    await model.save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.className).toBe('Sequential');
    expect(loaded.summaryLines()).toEqual(model.summaryLines());
    const [expected] = await model.predict(x);
    const [actual] = await loaded.predict(x);
    expect([...(actual?.dataSync() ?? [])]).toEqual([...(expected?.dataSync() ?? [])]);
  });
});

describe('a Sequential without an Input (a block)', () => {
  it('is built on its first call, shares its weights after, and is one row of the outer summary', () => {
    clearSession();
    const head = Sequential([Flatten(), Dense(16, { activation: 'relu' }), Dense(2)], { name: 'head' });
    const left = Input([4, 4, 2], { name: 'left' });
    const right = Input([4, 4, 2], { name: 'right' });
    const model = Model({ inputs: [left, right], outputs: [head(left), head(right)] });
    // Flatten 32 -> Dense(16): 32 * 16 + 16 = 528; Dense(2): 16 * 2 + 2 = 34; counted once.
    expect(model.countParams()).toBe(562);
    const row = model.summaryLines().find((line) => line.includes('(Sequential)'));
    expect(row).toMatch(/^ head \(Sequential\)\s+multiple\s+562/);
    const expanded = model.summaryLines({ expandNested: true });
    expect(expanded.some((line) => /\| dense \(Dense\)\s+\(None, 16\)\s+528/.test(line))).toBe(true);
    expect(expanded.some((line) => line.includes('InputLayer') && line.startsWith('|'))).toBe(false);
  });

  it('nests in a Sequential, and the outer model saves and loads with it', async () => {
    clearSession();
    const features = Sequential([Conv2D(4, 3, { activation: 'relu' }), MaxPooling2D(2)]);
    const model = Sequential([Input([10, 10, 1]), features, Flatten(), Dense(3)]);
    expect(model.outputs.map((output) => output.shape)).toEqual([[3]]);
    // Conv2D(4, 3) on 1 channel: 3 * 3 * 4 + 4 = 40; 4 * 4 * 4 = 64 features -> Dense(3): 64 * 3 + 3 = 195.
    expect(model.countParams()).toBe(235);
    const directory = join(work, 'nested');
    await model.save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.summaryLines()).toEqual(model.summaryLines());
    expect(loaded.getLayer(features.name).className).toBe('Sequential');
    const x = tf.randomNormal([2, 10, 10, 1], 0, 1, 'float32', 1);
    const [expected] = await model.predict(x);
    const [actual] = await loaded.predict(x);
    expect([...(actual?.dataSync() ?? [])]).toEqual([...(expected?.dataSync() ?? [])]);
  });

  it('called later on a tensor its weights do not fit, says so', () => {
    clearSession();
    const head = Sequential([Flatten(), Dense(2)], { name: 'head' });
    head(Input([8]));
    expect(() => head(Input([9]))).toThrow(
      'head: input 0 expects [8] float32, got [9] float32; call it on tensors like its Inputs (null matches any size)',
    );
  });
});

describe('what the compiler cannot see is checked when the model is built', () => {
  it('a list built in a loop: the sentence of the element that is wrong', () => {
    clearSession();
    const layers = [Flatten(), Conv2D(8, 3)];
    expect(() => Sequential([Input([28, 28, 1]), ...layers])).toThrow(
      'Conv2D: expects input of rank 3 [height, width, channels], got [784] (rank 1); Reshape to [height, width, channels] first?',
    );
    const hidden = [64, 32].map((units) => Dense(units, { activation: 'relu' }));
    const mlp = Sequential([Input([20]), ...hidden, Dense(1)]);
    expect(mlp.countParams()).toBe(20 * 64 + 64 + 64 * 32 + 32 + 32 + 1);
  });

  it('elements that are not layers with one output, and an empty list', () => {
    clearSession();
    const widened: unknown[] = [Input([4]), Dense(2), 'relu'];
    expect(() => Sequential(widened)).toThrow(
      "Sequential: layers[2] must be a layer with one input, a model or a Sequential, got 'relu'",
    );
    const tensor: AnyTensor = Input([4]);
    const twoInputs: unknown[] = [Input([4]), Dense(2), tensor];
    expect(() => Sequential(twoInputs)).toThrow(
      'Sequential: layers[2] must be a layer with one input, a model or a Sequential, got a tensor (only the first element may be an Input)',
    );
    const states: unknown[] = [Input([5, 3]), LSTM(4, { returnState: true })];
    expect(() => Sequential(states)).toThrow(
      'Sequential: layers[1] gives several tensors; each element of a Sequential gives one (drop returnState)',
    );
    expect(() => Sequential([])).toThrow(
      'Sequential: layers must be a non-empty list of layers, optionally after an Input, got an empty list',
    );
  });
});
