// Reaching inside a model: getLayer with its tensors and weights, feature extraction on a model's graph, and
// `trainable` on layers and nested models, with summary's counts as Keras gives them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayerCore } from '../src/dsl/layer.ts';
import {
  BatchNormalization,
  Conv2D,
  clearSession,
  Dense,
  Flatten,
  Input,
  type KerasModel,
  KeratsError,
  LSTM,
  loadModel,
  Model,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-inside-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

function classifier() {
  clearSession();
  const image = Input([8, 8, 1], { name: 'image' });
  const first = Conv2D(2, 3, { activation: 'relu' })(image);
  const features = Conv2D(4, 3, { activation: 'relu' })(first);
  const hidden = Dense(6, { activation: 'relu' })(Flatten()(features));
  return Model({ inputs: image, outputs: Dense(3, { activation: 'softmax' })(hidden), name: 'base' });
}

async function predicted(model: KerasModel, x: tf.Tensor): Promise<number[]> {
  const [output] = await model.predict(x);
  return [...(output?.dataSync() ?? [])];
}

function thrown(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof KeratsError) return error.message;
    throw error;
  }
  throw new Error('expected a KeratsError');
}

describe('getLayer', () => {
  it('gives the layer with its tensors in the model, its parameter count and its weights', () => {
    const base = classifier();
    const conv = base.getLayer('conv2d_1');
    expect(conv.className).toBe('Conv2D');
    expect(conv.input.shape).toEqual([6, 6, 2]);
    expect(conv.output.shape).toEqual([4, 4, 4]);
    expect(conv.countParams()).toBe(3 * 3 * 2 * 4 + 4);
    expect(conv.getWeights().map((weight) => weight.shape)).toEqual([[3, 3, 2, 4], [4]]);
    expect(base.getLayer('image').output).toBe(base.inputs[0]);
    expect(thrown(() => base.getLayer('conv'))).toBe(
      "getLayer: name must be the name of a layer of model 'base' ('image', 'conv2d', 'conv2d_1', 'flatten', 'dense', 'dense_1'), got 'conv'",
    );
  });

  it('setWeights changes what the model predicts, and checks the shapes', async () => {
    const base = classifier();
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 1);
    const dense = base.getLayer('dense_1');
    const [kernel] = dense.getWeights();
    expect(kernel?.shape).toEqual([6, 3]);
    dense.setWeights([tf.zerosLike(kernel ?? tf.zeros([6, 3])), tf.tensor1d([0, 0, 10])]);
    const after = await predicted(base, x);
    expect(after[2]).toBeCloseTo(1, 3);
    expect(thrown(() => dense.setWeights([tf.zeros([6, 3])]))).toBe(
      'dense_1: setWeights must be 2 tensors of shapes [6, 3], [3], got [6, 3]',
    );
  });

  it('a shared layer has no one output, and a layer with several outputs lists them', () => {
    clearSession();
    const a = Input([4]);
    const b = Input([4]);
    const shared = Dense(2, { name: 'shared' });
    const sequence = Input([5, 3]);
    const [output, stateH] = LSTM(4, { returnState: true, name: 'lstm' })(sequence);
    const model = Model({ inputs: [a, b, sequence], outputs: [shared(a), shared(b), output, stateH] });
    expect(thrown(() => model.getLayer('shared').output)).toBe(
      "getLayer('shared'): the layer is called 2 times in model 'model', so it has no one input or output; keep the tensors its calls return",
    );
    expect(model.getLayer('lstm').outputs.map((tensor) => tensor.shape)).toEqual([[4], [4], [4]]);
    expect(thrown(() => model.getLayer('lstm').output)).toBe("getLayer('lstm'): the layer has 3 outputs; use .outputs");
  });
});

describe('feature extraction', () => {
  it("a model built on another's graph shares its weights", async () => {
    const base = classifier();
    const extractor = Model({ inputs: base.inputs, outputs: [base.getLayer('conv2d_1').output], name: 'features' });
    expect(extractor.countParams()).toBe(20 + 76);
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 2);
    const before = await predicted(extractor, x);
    base.compile({ optimizer: { name: 'sgd', learningRate: 0.5 }, loss: 'categoricalCrossentropy' });
    await base.fit(
      x,
      tf.tensor2d([
        [1, 0, 0],
        [0, 1, 0],
      ]),
      { epochs: 2, verbose: 0 },
    );
    expect(await predicted(extractor, x)).not.toEqual(before);
  });
});

describe('trainable', () => {
  it('a frozen layer keeps its weights in fit, and summary counts it as non-trainable', async () => {
    const base = classifier();
    const conv = base.getLayer('conv2d');
    conv.trainable = false;
    const lines = base.summaryLines();
    expect(lines).toContain(`Trainable params: ${(base.countParams() - 20).toLocaleString('en-US')}`);
    expect(lines).toContain('Non-trainable params: 20');
    const frozen = conv.getWeights().map((weight) => [...weight.dataSync()]);
    const free = base
      .getLayer('dense')
      .getWeights()
      .map((weight) => [...weight.dataSync()]);
    base.compile({ optimizer: { name: 'sgd', learningRate: 0.5 }, loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 3);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    await base.fit(x, y, { epochs: 2, verbose: 0 });
    expect(conv.getWeights().map((weight) => [...weight.dataSync()])).toEqual(frozen);
    expect(
      base
        .getLayer('dense')
        .getWeights()
        .map((weight) => [...weight.dataSync()]),
    ).not.toEqual(free);
  });

  it('a frozen nested model: the outer model trains around it, and it saves and loads frozen', async () => {
    const base = classifier();
    const image = Input([8, 8, 1], { name: 'img' });
    const head = Dense(2, { activation: 'softmax', name: 'head' })(base(image));
    const model = Model({ inputs: image, outputs: head, name: 'transfer' });
    base.trainable = false;
    expect(model.getLayer('base').trainable).toBe(false);
    const lines = model.summaryLines();
    expect(lines).toContain('Trainable params: 8');
    expect(lines).toContain(`Non-trainable params: ${base.countParams()}`);
    const before = base
      .getLayer('dense')
      .getWeights()
      .map((weight) => [...weight.dataSync()]);
    model.compile({ optimizer: { name: 'sgd', learningRate: 0.5 }, loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 4);
    const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
    const history = await model.fit(x, y, { epochs: 3, verbose: 0 });
    const losses = history.history.loss ?? [];
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0);
    expect(
      base
        .getLayer('dense')
        .getWeights()
        .map((weight) => [...weight.dataSync()]),
    ).toEqual(before);

    const directory = join(work, 'transfer');
    await model.save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.getLayer('base').trainable).toBe(false);
    expect(loaded.summaryLines()).toEqual(lines);
    // Thawed, it trains again.
    base.trainable = true;
    expect(model.summaryLines()).toContain(`Trainable params: ${model.countParams()}`);
  });

  it('is an option of every layer, checked at run time too', async () => {
    clearSession();
    const x = Input([4]);
    const frozen = Dense(3, { trainable: false, name: 'frozen' })(x);
    const model = Model({ inputs: x, outputs: Dense(1, { name: 'free' })(frozen) });
    expect(model.getLayer('frozen').trainable).toBe(false);
    expect(model.summaryLines()).toContain('Non-trainable params: 15');
    expect(model.summaryLines()).toContain('Trainable params: 4');
    const before = model
      .getLayer('frozen')
      .getWeights()
      .map((weight) => [...weight.dataSync()]);
    model.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'meanSquaredError' });
    await model.fit(tf.ones([4, 4]), tf.ones([4, 1]), { epochs: 2, verbose: 0 });
    expect(
      model
        .getLayer('frozen')
        .getWeights()
        .map((weight) => [...weight.dataSync()]),
    ).toEqual(before);
    // A value the types do not see (JavaScript, a config read from a file) is checked where the layer is made.
    const spec = model.getLayer('frozen').core.spec;
    expect(thrown(() => new LayerCore(spec, 'again', JSON.parse('"no"')))).toBe(
      "Dense: trainable must be true or false, got 'no'",
    );
  });

  it('a BatchNormalization inside a frozen model normalizes with its moving statistics and keeps them', async () => {
    clearSession();
    const features = Input([4]);
    const base = Model({
      inputs: features,
      outputs: BatchNormalization({ name: 'bn' })(Dense(4)(features)),
      name: 'base',
    });
    const x = Input([4]);
    const model = Model({ inputs: x, outputs: Dense(1, { name: 'head' })(base(x)) });
    base.trainable = false;
    const statistics = () =>
      base
        .getLayer('bn')
        .getWeights()
        .map((weight) => [...weight.dataSync()]);
    const before = statistics();
    model.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'meanSquaredError' });
    const data = tf.randomNormal([16, 4], 3, 2, 'float32', 9);
    await model.fit(data, tf.ones([16, 1]), { epochs: 2, batchSize: 8, verbose: 0 });
    expect(statistics()).toEqual(before);
    // Thawed and compiled again (as Keras asks after a change of trainable), training moves them again.
    base.trainable = true;
    model.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'meanSquaredError' });
    await model.fit(data, tf.ones([16, 1]), { epochs: 1, batchSize: 8, verbose: 0 });
    expect(statistics()).not.toEqual(before);
  });

  it('BatchNormalization frozen: its scale and shift count as non-trainable too', () => {
    clearSession();
    const x = Input([4]);
    const model = Model({ inputs: x, outputs: BatchNormalization({ name: 'bn' })(x) });
    expect(model.summaryLines()).toContain('Non-trainable params: 8');
    model.getLayer('bn').trainable = false;
    expect(model.summaryLines()).toContain('Non-trainable params: 16');
    expect(model.summaryLines()).toContain('Trainable params: 0');
  });
});
