// Models are callable, like layers: the functional API guide's encoder / decoder / autoencoder and its ensemble,
// a siamese network, and a nested model's training, saving, loading and tfjs export.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  Average,
  Concatenate,
  Conv2D,
  Conv2DTranspose,
  clearSession,
  Dense,
  Dropout,
  type DType,
  Embedding,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  Input,
  KerasModel,
  KeratsError,
  LSTM,
  loadModel,
  MaxPooling2D,
  Model,
  modelToDot,
  plotModel,
  Reshape,
  type SymbolicTensor,
  UpSampling2D,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-nested-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/**
 * The guide's "All models are callable, just like layers" autoencoder (keras-io guides/functional_api.py), line
 * for line: the encoder's Conv2D and GlobalMaxPooling2D, the decoder's Conv2DTranspose and UpSampling2D. The
 * counts are the guide's: encoder 18,672, decoder 9,569 (Conv2DTranspose 3 × 3 × in × out + out: 160, 4,640,
 * 4,624 and 145), autoencoder 28,241; the decoder's output is [28, 28, 1], the input's shape.
 */
function guideAutoencoder() {
  clearSession();
  const encoderInput = Input([28, 28, 1], { name: 'original_img' });
  // The guide reassigns `x`; here each step has its own name, so that each keeps its exact type.
  const x1 = Conv2D(16, 3, { activation: 'relu' })(encoderInput);
  const x2 = Conv2D(32, 3, { activation: 'relu' })(x1);
  const x3 = MaxPooling2D(3)(x2);
  const x4 = Conv2D(32, 3, { activation: 'relu' })(x3);
  const x5 = Conv2D(16, 3, { activation: 'relu' })(x4);
  const encoderOutput = GlobalMaxPooling2D()(x5);

  const encoder = Model({ inputs: encoderInput, outputs: encoderOutput, name: 'encoder' });

  const decoderInput = Input([16], { name: 'encoded_img' });
  const y1 = Reshape([4, 4, 1])(decoderInput);
  const y2 = Conv2DTranspose(16, 3, { activation: 'relu' })(y1);
  const y3 = Conv2DTranspose(32, 3, { activation: 'relu' })(y2);
  const y4 = UpSampling2D(3)(y3);
  const y5 = Conv2DTranspose(16, 3, { activation: 'relu' })(y4);
  const decoderOutput = Conv2DTranspose(1, 3, { activation: 'relu' })(y5);

  const decoder = Model({ inputs: decoderInput, outputs: decoderOutput, name: 'decoder' });

  const autoencoderInput = Input([28, 28, 1], { name: 'img' });
  const encodedImg = encoder(autoencoderInput);
  const decodedImg = decoder(encodedImg);
  const autoencoder = Model({ inputs: autoencoderInput, outputs: decodedImg, name: 'autoencoder' });
  return { encoder, decoder, autoencoder, encodedImg, decodedImg };
}

const images = (count: number, seed: number) => tf.randomUniform<tf.Rank.R4>([count, 28, 28, 1], 0, 1, 'float32', seed);

async function values(model: KerasModel, x: tf.Tensor | tf.Tensor[]): Promise<number[][]> {
  const outputs = await model.predict(x);
  return outputs.map((output) => [...output.dataSync()]);
}

describe('the functional API guide: encoder, decoder, autoencoder', () => {
  it("has the guide's parameter counts and shapes, each model typed from the one it calls", () => {
    const { encoder, decoder, autoencoder, encodedImg, decodedImg } = guideAutoencoder();
    expect(encoder.countParams()).toBe(18_672);
    expect(decoder.countParams()).toBe(9_569);
    expect(autoencoder.countParams()).toBe(28_241);
    expectTypeOf(encodedImg).toEqualTypeOf<SymbolicTensor<[16], 'float32', 'img'>>();
    expectTypeOf(decodedImg).toEqualTypeOf<SymbolicTensor<[28, 28, 1], 'float32', 'img'>>();
    expect(encodedImg.shape).toEqual([16]);
    expect(decodedImg.shape).toEqual([28, 28, 1]);
    expect(autoencoder.layers.map((layer) => layer.name)).toEqual(['img', 'encoder', 'decoder']);
  });

  it('shows each nested model as one row, as Keras does', () => {
    const { autoencoder } = guideAutoencoder();
    const lines = autoencoder.summaryLines();
    expect(lines.find((line) => line.startsWith(' encoder (Functional)'))).toMatch(
      /^ encoder \(Functional\) +\(None, 16\) +18672$/,
    );
    expect(lines.find((line) => line.startsWith(' decoder (Functional)'))).toMatch(
      /^ decoder \(Functional\) +\(None, 28, 28, 1\) +9569$/,
    );
    expect(lines).toContain('Total params: 28,241');
  });

  it('summary({ expandNested: true }) shows the nested layers framed under its row, as Keras does', () => {
    clearSession();
    const original = Input([28, 28, 1], { name: 'original_img' });
    const encoder = Model({
      inputs: original,
      outputs: GlobalAveragePooling2D()(Conv2D(16, 3)(original)),
      name: 'encoder',
    });
    const img = Input([28, 28, 1], { name: 'img' });
    const model = Model({ inputs: img, outputs: Dense(2)(encoder(img)), name: 'classifier' });
    const lines: string[] = [];
    model.summary({ expandNested: true, printFn: (line) => lines.push(line) });
    expect(lines).toEqual([
      'Model: "classifier"',
      '_________________________________________________________________',
      ' Layer (type)                Output Shape              Param #',
      '=================================================================',
      ' img (InputLayer)            [(None, 28, 28, 1)]       0',
      '',
      ' encoder (Functional)        (None, 16)                160',
      `|${'¯'.repeat(63)}|`,
      '| original_img (InputLayer)  [(None, 28, 28, 1)]       0        |',
      `|${' '.repeat(63)}|`,
      '| conv2d (Conv2D)            (None, 26, 26, 16)        160      |',
      `|${' '.repeat(63)}|`,
      '| global_average_pooling2d (  (None, 16)               0        |',
      '| GlobalAveragePooling2D)                                       |',
      '¯'.repeat(65),
      '',
      ' dense (Dense)               (None, 2)                 34',
      '=================================================================',
      'Total params: 194',
      'Trainable params: 194',
      'Non-trainable params: 0',
      '_________________________________________________________________',
    ]);
    // Without the option, one row.
    expect(model.summaryLines().filter((line) => line.includes('conv2d'))).toEqual([]);
  });

  it('plotModel({ expandNested: true }) draws each nested model as a cluster, its edges reaching inside', async () => {
    const { autoencoder } = guideAutoencoder();
    expect(modelToDot(autoencoder)).not.toContain('cluster');
    const dot = modelToDot(autoencoder, { expandNested: true });
    expect(dot).toContain('subgraph cluster_layer1 {');
    expect(dot).toContain('label=<encoder (Functional)>');
    expect(dot).toContain('subgraph cluster_layer2 {');
    // img -> the encoder's input; the encoder's output (its 7th layer) -> the decoder's input.
    expect(dot).toContain('layer0 -> layer1_0;');
    expect(dot).toContain('layer1_6 -> layer2_0;');
    expect(dot).toContain('<b>conv2d_transpose</b> (Conv2DTranspose)');
    const svg = await plotModel(autoencoder, { expandNested: true });
    expect(svg).toContain('encoder (Functional)');
    expect(svg).toContain('conv2d_transpose_3');
  });

  it('trains: the loss falls, and the encoder, which shares its weights, predicts differently after', async () => {
    const { encoder, autoencoder } = guideAutoencoder();
    const x = images(16, 1);
    const before = await values(encoder, x);
    autoencoder.compile({ optimizer: { name: 'adam', learningRate: 0.003 }, loss: 'meanSquaredError' });
    const history = await autoencoder.fit(x, x, { epochs: 6, batchSize: 8, verbose: 0 });
    const losses = history.history.loss ?? [];
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0);
    const after = await values(encoder, x);
    expect(after).not.toEqual(before);
  });

  it('saves and loads with the nested models: the same predictions, and the loaded model is callable', async () => {
    const guide = guideAutoencoder();
    const { autoencoder } = guide;
    const x = images(4, 2);
    const before = await values(autoencoder, x);
    const directory = join(work, 'autoencoder');
    await autoencoder.save(directory);
    clearSession();
    const loaded = await loadModel(directory);
    expect(loaded.layers.map((layer) => `${layer.name} (${layer.className})`)).toEqual([
      'img (InputLayer)',
      'encoder (Functional)',
      'decoder (Functional)',
    ]);
    expect(loaded.countParams()).toBe(28_241);
    const after = await values(loaded, x);
    for (const [index, value] of (after[0] ?? []).entries()) expect(value).toBeCloseTo(before[0]?.[index] ?? NaN, 5);
    // Its nested models come back as models: callable, and predicting as before.
    const encoder = loaded.getLayer('encoder').model;
    expect(encoder).toBeInstanceOf(KerasModel);
    const [code] = encoder === undefined ? [] : await encoder.predict(x);
    const [expected] = await guide.encoder.predict(x);
    for (const [index, value] of [...(code?.dataSync() ?? [])].entries())
      expect(value).toBeCloseTo(expected?.dataSync()[index] ?? NaN, 5);
    expect(guide.autoencoder.getLayer('encoder').model).toBe(guide.encoder);
    expect(guide.autoencoder.getLayer('img').model).toBeUndefined();
    // Loaded, it is still a layer: a new model can call it.
    const fresh = Input([28, 28, 1]);
    const again = Model({ inputs: fresh, outputs: loaded(fresh) });
    expect(again.countParams()).toBe(28_241);
    expect(await values(again, x)).toEqual(after);
  });

  it('toLayersModel gives a tfjs model holding the nested models, that predicts the same', async () => {
    const { autoencoder } = guideAutoencoder();
    const x = images(3, 3);
    const ours = await values(autoencoder, x);
    const plain = autoencoder.toLayersModel();
    expect(plain.layers.map((layer) => layer.name)).toEqual(['img', 'encoder', 'decoder']);
    expect(plain.countParams()).toBe(28_241);
    const theirs = plain.predict(x);
    const [first] = Array.isArray(theirs) ? theirs : [theirs];
    for (const [index, value] of [...(first?.dataSync() ?? [])].entries())
      expect(value).toBeCloseTo(ours[0]?.[index] ?? NaN, 5);
  });

  it('does not warn about layers of a model built from another model on the same graph', () => {
    clearSession();
    const warnings: string[] = [];
    const onWarning = (message: string) => warnings.push(message);
    const input = Input([8]);
    const code = Dense(2, { name: 'code' })(input);
    const restored = Dense(8, { name: 'restored' })(code);
    Model({ inputs: input, outputs: restored, name: 'autoencoder', onWarning });
    Model({ inputs: input, outputs: code, name: 'encoder', onWarning });
    expect(warnings).toEqual([]);
    // A layer that no model uses is still reported.
    Dense(3, { name: 'forgotten' })(input);
    Model({ inputs: input, outputs: code, name: 'encoder_again', onWarning });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("layer 'forgotten'");
  });
});

describe("the guide's ensemble of three models, averaged", () => {
  function getModel() {
    const inputs = Input([128]);
    const outputs = Dense(1)(inputs);
    return Model({ inputs, outputs });
  }

  it('counts each model once and averages their predictions', async () => {
    clearSession();
    const model1 = getModel();
    const model2 = getModel();
    const model3 = getModel();

    const inputs = Input([128]);
    const y1 = model1(inputs);
    const y2 = model2(inputs);
    const y3 = model3(inputs);
    const outputs = Average()([y1, y2, y3]);
    const ensembleModel = Model({ inputs, outputs });

    expectTypeOf(outputs).toEqualTypeOf<SymbolicTensor<[1], 'float32', never>>();
    expect(ensembleModel.countParams()).toBe(3 * 129);
    expect(ensembleModel.layers.map((layer) => layer.className)).toEqual([
      'InputLayer',
      'Functional',
      'Functional',
      'Functional',
      'Average',
    ]);
    const x = tf.randomNormal([5, 128], 0, 1, 'float32', 4);
    const [averaged] = await values(ensembleModel, x);
    const each = await Promise.all([model1, model2, model3].map(async (model) => (await values(model, x))[0] ?? []));
    for (const [index, value] of (averaged ?? []).entries())
      expect(value).toBeCloseTo(((each[0]?.[index] ?? 0) + (each[1]?.[index] ?? 0) + (each[2]?.[index] ?? 0)) / 3, 5);
  });
});

describe('a siamese network: one embedding model called on two inputs', () => {
  function siamese() {
    clearSession();
    const image = Input([12], { name: 'image' });
    const embedding = Model({
      inputs: image,
      outputs: Dense(4, { name: 'project' })(Dense(8, { activation: 'relu', name: 'features' })(image)),
      name: 'embedding',
    });
    const left = Input([12], { name: 'left' });
    const right = Input([12], { name: 'right' });
    const joined = Concatenate()([embedding(left), embedding(right)]);
    const same = Dense(1, { activation: 'sigmoid', name: 'same' })(joined);
    return { embedding, model: Model({ inputs: [left, right], outputs: same, name: 'siamese' }) };
  }

  it('holds one set of embedding weights, shown once and counted once', () => {
    const { embedding, model } = siamese();
    expect(embedding.countParams()).toBe(12 * 8 + 8 + 8 * 4 + 4);
    expect(model.countParams()).toBe(embedding.countParams() + 8 + 1);
    expect(model.layers.filter((layer) => layer.name === 'embedding')).toHaveLength(1);
    const row = model.summaryLines().find((line) => line.startsWith(' embedding (Functional)'));
    expect(row).toMatch(/multiple +140/);
    expect(model.toLayersModel().trainableWeights).toHaveLength(6);
  });

  it('trains both branches into the one embedding', async () => {
    const { embedding, model } = siamese();
    const a = tf.randomNormal([32, 12], 0, 1, 'float32', 5);
    const b = tf.randomNormal([32, 12], 0, 1, 'float32', 6);
    const label = tf.cast(tf.greater(tf.sum(tf.mul(a, b), 1, true), 0), 'float32');
    const before = await values(embedding, a);
    model.compile({ optimizer: { name: 'adam', learningRate: 0.02 }, loss: 'binaryCrossentropy' });
    const history = await model.fit([a, b], label, { epochs: 8, batchSize: 16, verbose: 0 });
    const losses = history.history.loss ?? [];
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0);
    expect(await values(embedding, a)).not.toEqual(before);
  });
  it('trains data-parallel: a worker rebuilds the nested model from its graph and takes the same step', async () => {
    const { model } = siamese();
    const a = tf.randomNormal([16, 12], 0, 1, 'float32', 7);
    const b = tf.randomNormal([16, 12], 0, 1, 'float32', 8);
    const label = tf.cast(tf.greater(tf.sum(tf.mul(a, b), 1, true), 0), 'float32');
    const weights = model.toLayersModel().weights;
    const start = weights.map((weight) => tf.clone(weight.read()));
    const stepWith = async (workers: number) => {
      for (const [index, weight] of weights.entries()) {
        const value = start[index];
        if (value) weight.write(value);
      }
      model.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'binaryCrossentropy' });
      await model.fit([a, b], label, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0, workers });
      return weights.map((weight) => Array.from(weight.read().dataSync()));
    };
    const one = await stepWith(1);
    const two = await stepWith(2);
    for (const [index, values] of one.entries())
      for (const [position, value] of values.entries()) expect(two[index]?.[position]).toBeCloseTo(value, 5);
  });
});

describe('models with several inputs and outputs, called on lists', () => {
  it('takes a list and gives a tuple, typed', () => {
    clearSession();
    const a = Input([3], { name: 'a' });
    const b = Input([5], { name: 'b' });
    const joined = Concatenate()([a, b]);
    const inner = Model({ inputs: [a, b], outputs: [Dense(2)(joined), Dense(4)(joined)], name: 'inner' });
    const x = Input([3], { name: 'x' });
    const y = Input([5], { name: 'y' });
    const [first, second] = inner([x, y]);
    expectTypeOf(first).toEqualTypeOf<SymbolicTensor<[2], 'float32', 'x' | 'y'>>();
    expectTypeOf(second).toEqualTypeOf<SymbolicTensor<[4], 'float32', 'x' | 'y'>>();
    expect([first.shape, second.shape]).toEqual([[2], [4]]);
    const outer = Model({ inputs: [x, y], outputs: Concatenate()([first, second]) });
    expect(outer.countParams()).toBe(inner.countParams());
  });
});

describe('masks and the training flag reach inside a nested model', () => {
  it("an Embedding's mask, made inside, reaches an LSTM outside", async () => {
    clearSession();
    const ids = Input([null], { dtype: 'int32' });
    const embed = Model({ inputs: ids, outputs: Embedding(10, 4, { maskZero: true })(ids), name: 'embed' });
    const tokens = Input([null], { dtype: 'int32' });
    const model = Model({ inputs: tokens, outputs: LSTM(3)(embed(tokens)) });
    const padded = await values(model, tf.tensor2d([[1, 2, 0, 0]], [1, 4], 'int32'));
    const short = await values(model, tf.tensor2d([[1, 2]], [1, 2], 'int32'));
    for (const [index, value] of (short[0] ?? []).entries()) expect(padded[0]?.[index]).toBeCloseTo(value, 5);
  });

  it('a Dropout inside drops in training and passes everything through otherwise', () => {
    clearSession();
    const features = Input([1000]);
    const noisy = Model({ inputs: features, outputs: Dropout(0.5)(features), name: 'noisy' });
    const x = Input([1000]);
    const model = Model({ inputs: x, outputs: noisy(x) });
    const ones = tf.ones([1, 1000]);
    const zeros = (training: boolean) =>
      tf.tidy(() => tf.sum(tf.equal(model.runtime.graph.run([ones], training)[0] ?? ones, 0)).arraySync());
    expect(zeros(false)).toBe(0);
    expect(zeros(true)).toBeGreaterThan(300);
  });
});

describe('a call that does not fit the model', () => {
  function encoder() {
    clearSession();
    const image = Input([28, 28, 1]);
    return Model({ inputs: image, outputs: GlobalAveragePooling2D()(Conv2D(4, 3)(image)), name: 'encoder' });
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

  const sizes: number[] = [32, 32, 3];
  const other: number[] = [28, 28, 1];
  // A dtype the compiler sees as either (read from a config) reaches the runtime check too.
  const dtypeOf = (kind: string): DType => (kind === 'ids' ? 'int32' : 'float32');

  it('names the model and the input, with both shapes and dtypes', () => {
    const model = encoder();
    // Sizes typed `number` reach the runtime check.
    expect(thrown(() => model(Input(sizes)))).toBe(
      'encoder: input 0 expects [28, 28, 1] float32, got [32, 32, 3] float32; call it on tensors like its Inputs (null matches any size)',
    );
    expect(thrown(() => model(Input(other, { dtype: dtypeOf('ids') })))).toBe(
      'encoder: input 0 expects [28, 28, 1] float32, got [28, 28, 1] int32; call it on tensors like its Inputs (null matches any size)',
    );
    expect(thrown(() => model([Input([28, 28, 1]), Input([28, 28, 1])]))).toBe('encoder: expects 1 inputs, got 2');
  });

  it('lets null match any size, both ways', () => {
    clearSession();
    const sequence = Input([null, 6]);
    const model = Model({ inputs: sequence, outputs: Dense(2)(sequence), name: 'per_step' });
    expect(model(Input([10, 6])).shape).toEqual([null, 2]);
    const steps = Input([10, 6]);
    const fixed = Model({ inputs: steps, outputs: Dense(2)(steps), name: 'fixed' });
    expect(fixed(Input([null, 6])).shape).toEqual([10, 2]);
  });
});
