// Layers a user writes with the public layer API (examples/custom-layers.ts: Keras's CustomDense and the VAE's
// Sampling), and Lambda: shapes, parameter counts, the computation against its formula, training, summary, plot,
// and saving and loading with `customLayers`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomDense, Sampling } from '../examples/custom-layers.ts';
import { TokenAndPositionEmbedding } from '../examples/token-and-position-embedding.ts';
import {
  clearSession,
  Dense,
  defineLayer,
  Flatten,
  Input,
  KeratsError,
  Lambda,
  loadModel,
  Model,
  MultiHeadAttention,
  modelToDot,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-custom-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  await useBackend('cpu');
});

/** The first output of a prediction, as nested arrays. */
async function predicted(model: { predict(x: tf.Tensor): Promise<tf.Tensor[]> }, x: tf.Tensor): Promise<number[][]> {
  const [out] = await model.predict(x);
  if (out === undefined) throw new Error('no output');
  const values = out.arraySync();
  if (!Array.isArray(values)) throw new Error('not a batch');
  return values.map((row) => (Array.isArray(row) ? row.map(Number) : [Number(row)]));
}

/** Reads a tensor's values by index. */
function reader(tensor: tf.Tensor): (...index: number[]) => number {
  const data = tensor.dataSync();
  const strides = tensor.shape.map((_, axis) => tensor.shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  return (...index) => data[index.reduce((offset, i, axis) => offset + i * (strides[axis] ?? 0), 0)] ?? Number.NaN;
}

async function failure(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected a failure');
}

function customDenseModel() {
  clearSession();
  const inputs = Input([4], { name: 'features' });
  const outputs = CustomDense(10)(inputs);
  return { model: Model({ inputs, outputs }), outputs };
}

describe('a user layer (CustomDense)', () => {
  it('has its output shape and Keras parameter count (4 * 10 + 10), in summary() as its class', () => {
    const { model, outputs } = customDenseModel();
    expect(outputs.shape).toEqual([10]);
    expect(model.countParams()).toBe(50);
    const lines = model.summaryLines();
    expect(lines.some((line) => /custom_dense \(CustomDense\)\s+\(None, 10\)\s+50/.test(line))).toBe(true);
    expect(modelToDot(model)).toContain('CustomDense');
  });

  it('computes inputs · w + b with its weights, and defaults units to 32 as the guide', async () => {
    const { model } = customDenseModel();
    const [w, b] = model.toLayersModel().getLayer('custom_dense').getWeights();
    if (w === undefined || b === undefined) throw new Error('no weights');
    expect(w.shape).toEqual([4, 10]);
    expect(b.shape).toEqual([10]);
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [0.5, -1, 0, 2],
    ]);
    const wValues = [...w.dataSync()];
    const bValues = [...b.dataSync()];
    const expected = x
      .arraySync()
      .map((row) =>
        bValues.map((bias, unit) =>
          row.reduce((sum, value, feature) => sum + value * (wValues[feature * 10 + unit] ?? Number.NaN), bias),
        ),
      );
    const actual = await predicted(model, x);
    for (const [index, row] of expected.entries())
      for (const [unit, value] of row.entries()) expect(actual[index]?.[unit]).toBeCloseTo(value, 5);
    clearSession();
    expect(CustomDense()(Input([3])).shape).toEqual([32]);
  });

  it('trains: the loss falls', async () => {
    clearSession();
    const inputs = Input([4]);
    const model = Model({ inputs, outputs: CustomDense(1)(CustomDense(8)(inputs)) }).compile({
      optimizer: 'sgd',
      loss: 'meanSquaredError',
    });
    const x = tf.randomNormal([64, 4], 0, 1, 'float32', 1);
    const y = tf.matMul(x, tf.tensor2d([[1], [-2], [0.5], [3]]));
    const history = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    const losses = history.history.loss ?? [];
    expect(losses.length).toBe(30);
    expect(losses.at(-1) ?? Number.NaN).toBeLessThan((losses[0] ?? 0) * 0.5);
  });

  it('saves, and loads with customLayers into the same predictions', async () => {
    const { model } = customDenseModel();
    const directory = join(work, 'custom-dense');
    await model.save(directory);
    const loaded = await loadModel(directory, { customLayers: { CustomDense } });
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    expect(await predicted(loaded, x)).toEqual(await predicted(model, x));
    expect(loaded.countParams()).toBe(50);
  });

  it('refuses to load without its class, naming the class and what customLayers holds', async () => {
    const { model } = customDenseModel();
    const directory = join(work, 'custom-dense-missing');
    await model.save(directory);
    const missing = await failure(() => loadModel(directory));
    expect(missing).toBe(
      `loadModel: ${join(directory, 'model.json')}: layer 'custom_dense': its class 'CustomDense' is not one of kerats' layers; pass the class as loadModel(path, { customLayers: { CustomDense } }) (customLayers holds nothing)`,
    );
    const other = await failure(() => loadModel(directory, { customLayers: { Sampling } }));
    expect(other).toContain("(customLayers holds 'Sampling')");
    const wrong = await failure(() => loadModel(directory, { customLayers: { CustomDense: () => 'not a layer' } }));
    expect(wrong).toContain('customLayers.CustomDense must be a layer class made by defineLayer or defineMergeLayer');
  });

  it('checks its options and its input as a built-in layer does', () => {
    clearSession();
    expect(() => CustomDense(0)).toThrow('CustomDense: units must be a positive integer, got 0');
    const unknown = Input([null]);
    // @ts-expect-error the type-level rule refuses an unknown feature size, as the value-level rule does
    expect(() => CustomDense(4)(unknown)).toThrow(KeratsError);
    // @ts-expect-error rank 2
    expect(() => CustomDense(4)(Input([3, 4]))).toThrow(
      'CustomDense: expects input of rank 1 [features], got [3, 4] (rank 2)',
    );
  });
});

describe('a user merge layer (Sampling)', () => {
  function encoder() {
    clearSession();
    const inputs = Input([8]);
    const zMean = Dense(2, { name: 'z_mean' })(inputs);
    const zLogVar = Dense(2, { name: 'z_log_var' })(inputs);
    const z = Sampling()([zMean, zLogVar]);
    return { model: Model({ inputs, outputs: [zMean, zLogVar, z], name: 'encoder' }), z };
  }

  it('gives the latent shape and adds no parameters', () => {
    const { model, z } = encoder();
    expect(z.shape).toEqual([2]);
    expect(model.countParams()).toBe(2 * (8 * 2 + 2));
    expect(model.summaryLines().some((line) => /sampling \(Sampling\)\s+\(None, 2\)\s+0/.test(line))).toBe(true);
  });

  it('samples zMean + exp(zLogVar / 2) · epsilon: mean and spread as the formula says', () => {
    clearSession();
    const mean = Input([1000]);
    const logVar = Input([1000]);
    const model = Model({ inputs: [mean, logVar], outputs: Sampling()([mean, logVar]) });
    const z = model.toLayersModel().predict([tf.fill([1, 1000], 3), tf.fill([1, 1000], Math.log(4))]);
    if (!(z instanceof tf.Tensor)) throw new Error('no output');
    const { mean: sampleMean, variance } = tf.moments(z);
    expect(sampleMean.arraySync()).toBeCloseTo(3, 0);
    // exp(log(4) / 2) = 2: the standard deviation.
    expect(Math.sqrt(Number(variance.arraySync()))).toBeGreaterThan(1.8);
    expect(Math.sqrt(Number(variance.arraySync()))).toBeLessThan(2.2);
  });

  it('refuses inputs of different shapes at both levels', () => {
    clearSession();
    // @ts-expect-error zMean [2] and zLogVar [3]
    expect(() => Sampling()([Input([2]), Input([3])])).toThrow(
      'Sampling: inputs disagree on axis 1: [2] vs [3] (zMean and zLogVar must have the same shape)',
    );
  });

  it('saves and loads with customLayers: { Sampling }', async () => {
    const { model } = encoder();
    const directory = join(work, 'sampling');
    await model.save(directory);
    const loaded = await loadModel(directory, { customLayers: { Sampling } });
    expect(loaded.layers.map((layer) => layer.className)).toContain('Sampling');
    const x = tf.ones([1, 8]);
    const [mean] = await loaded.predict(x);
    const [original] = await model.predict(x);
    expect(mean?.arraySync()).toEqual(original?.arraySync());
    expect(await failure(() => loadModel(directory))).toContain(
      "its class 'Sampling' is not one of kerats' layers; pass the class as loadModel(path, { customLayers: { Sampling } })",
    );
  });
});

// The Transformer text classifier's embedding (examples/token-and-position-embedding.ts, as a user writes it).
describe('a user layer on int32 ids (the Transformer example’s TokenAndPositionEmbedding)', () => {
  function classifier() {
    clearSession();
    const ids = Input([5], { dtype: 'int32', name: 'ids' });
    const embedded = TokenAndPositionEmbedding(5, 20, 8)(ids);
    const attended = MultiHeadAttention({ numHeads: 2, keyDim: 8 })(embedded, embedded);
    const outputs = Dense(1, { activation: 'sigmoid' })(Flatten()(attended));
    return Model({ inputs: ids, outputs });
  }
  const ids = () =>
    tf.tensor2d(
      [
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
        [0, 0, 1, 1, 19],
        [3, 3, 3, 3, 3],
      ],
      [4, 5],
      'int32',
    );

  it('embeds ids as token + position, with vocab · dim + maxlen · dim parameters', async () => {
    clearSession();
    const input = Input([5], { dtype: 'int32' });
    const embedded = TokenAndPositionEmbedding(5, 20, 8)(input);
    expect(embedded.shape).toEqual([5, 8]);
    const model = Model({ inputs: input, outputs: embedded });
    expect(model.countParams()).toBe(20 * 8 + 5 * 8);
    const embedding = model.toLayersModel().getLayer('token_and_position_embedding');
    const [tokens, positions] = embedding.getWeights().map(reader);
    const [out] = await model.predict(ids());
    const at = out === undefined ? undefined : reader(out);
    for (const [b, row] of ids().arraySync().entries())
      for (const [t, id] of row.entries())
        for (let d = 0; d < 8; d++)
          expect(at?.(b, t, d)).toBeCloseTo((tokens?.(id, d) ?? Number.NaN) + (positions?.(t, d) ?? Number.NaN), 5);
  });

  it('trains with falling loss, and saves and loads with customLayers', async () => {
    const compiled = classifier().compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const y = tf.tensor2d([[1], [0], [1], [0]]);
    const history = await compiled.fit(ids(), y, { epochs: 20, verbose: 0 });
    const losses = history.history.loss ?? [];
    expect(losses.at(-1) ?? Number.NaN).toBeLessThan(losses[0] ?? 0);
    const directory = join(work, 'token-and-position');
    await compiled.save(directory);
    const loaded = await loadModel(directory, { customLayers: { TokenAndPositionEmbedding } });
    expect(await predicted(loaded, ids())).toEqual(await predicted(compiled, ids()));
  });

  it('refuses float ids at both levels', () => {
    clearSession();
    // @ts-expect-error float32 ids
    expect(() => TokenAndPositionEmbedding(5, 20, 8)(Input([5]))).toThrow(
      'TokenAndPositionEmbedding: expects int32 [5] input, got float32 [5]',
    );
  });
});

describe('training and inference', () => {
  // A layer that behaves differently in training: noise only while fitting (Keras's GaussianNoise).
  const NoiseClass = defineLayer({
    className: 'Noise',
    config: ({ stddev = 1 }) => ({ stddev: typeof stddev === 'number' ? stddev : 1 }),
    outputShape: (input) => ({ shape: input.shape, dtype: 'float32' }),
    call: (input, _weights, { training, config }) =>
      training ? tf.add(input, tf.randomNormal(input.shape, 0, config.stddev)) : input,
  });

  it('call is told whether it is training', async () => {
    clearSession();
    const inputs = Input([3]);
    const noisy = NoiseClass.create({ stddev: 100 })(inputs);
    expect(noisy.shape).toEqual([3]);
    const model = Model({ inputs, outputs: Dense(1, { useBias: false })(noisy) }).compile({
      optimizer: 'sgd',
      loss: 'meanSquaredError',
    });
    const x = tf.ones([4, 3]);
    const before = await predicted(model, x);
    expect(await predicted(model, x)).toEqual(before);
    // Training sees the noise: a loss far above the noiseless one.
    const history = await model.fit(x, tf.zeros([4, 1]), { epochs: 1, verbose: 0 });
    const noiseless = (before[0]?.[0] ?? 0) ** 2;
    expect(history.history.loss?.[0]).toBeGreaterThan(noiseless + 100);
  });

  it('non-trainable weights are counted apart and left alone by the optimizer', async () => {
    const ScaleClass = defineLayer({
      className: 'Scale',
      config: () => ({}),
      outputShape: (input) => ({ shape: input.shape, dtype: 'float32' }),
      weights: ({ shape }) => [
        { name: 'scale', shape: [shape.at(-1) ?? 1], initializer: 'ones' },
        { name: 'frozen', shape: [shape.at(-1) ?? 1], initializer: 'ones', trainable: false },
      ],
      call: (input, { scale, frozen }) => tf.mul(tf.mul(input, scale), frozen),
    });
    clearSession();
    const inputs = Input([2]);
    const model = Model({ inputs, outputs: ScaleClass.create()(inputs) }).compile({
      optimizer: 'sgd',
      loss: 'meanSquaredError',
    });
    expect(model.summaryLines()).toContain('Non-trainable params: 2');
    await model.fit(tf.ones([2, 2]), tf.zeros([2, 2]), { epochs: 2, verbose: 0 });
    const [scale, frozen] = model.toLayersModel().getLayer('scale').getWeights();
    expect(frozen?.arraySync()).toEqual([1, 1]);
    expect(scale?.arraySync()).not.toEqual([1, 1]);
  });
});

describe('Lambda', () => {
  it('keeps the input shape without outputShape; takes a tuple or a function of the input shape', async () => {
    clearSession();
    const inputs = Input([3, 4]);
    const squared = Lambda((x) => tf.square(x))(inputs);
    expect(squared.shape).toEqual([3, 4]);
    const summed = Lambda((x) => tf.sum(x, -1), { outputShape: [3] })(inputs);
    expect(summed.shape).toEqual([3]);
    const flat = Lambda((x) => tf.reshape(x, [-1, 12]), {
      outputShape: (shape: readonly (number | null)[]) => [
        shape.reduce((product: number, dim) => product * (dim ?? 1), 1),
      ],
    })(inputs);
    expect(flat.shape).toEqual([12]);
    const model = Model({ inputs, outputs: [squared, summed, flat] });
    const x = tf.tensor3d([
      [
        [1, 2, 3, 4],
        [0, 1, 0, 1],
        [2, 2, 2, 2],
      ],
    ]);
    const [square, sum, flattened] = await model.predict(x);
    expect(square?.arraySync()).toEqual([
      [
        [1, 4, 9, 16],
        [0, 1, 0, 1],
        [4, 4, 4, 4],
      ],
    ]);
    expect(sum?.arraySync()).toEqual([[10, 2, 8]]);
    expect(flattened?.shape).toEqual([1, 12]);
    expect(model.countParams()).toBe(0);
  });

  it('joins a list (the siamese distance), and saves and loads its named function', async () => {
    clearSession();
    const euclidean = ([a, b]: tf.Tensor[]): tf.Tensor =>
      a && b ? tf.sqrt(tf.sum(tf.square(tf.sub(a, b)), -1, true)) : tf.zeros([1]);
    const left = Input([3]);
    const right = Input([3]);
    const distance = Lambda(euclidean, { outputShape: [1] })([left, right]);
    expect(distance.shape).toEqual([1]);
    const model = Model({ inputs: [left, right], outputs: distance });
    const directory = join(work, 'lambda');
    await model.save(directory);
    const loaded = await loadModel(directory, { customLayers: { euclidean } });
    const [out] = await loaded.predict([tf.tensor2d([[0, 0, 0]]), tf.tensor2d([[3, 4, 0]])]);
    expect(out?.arraySync()).toEqual([[5]]);
    expect(await failure(() => loadModel(directory))).toContain(
      "it calls the function 'euclidean', which a save holds by name only; pass the function as loadModel(path, { customLayers: { euclidean } }) (customLayers holds nothing)",
    );
  });

  it('an anonymous function cannot be saved, and save says so', async () => {
    clearSession();
    const inputs = Input([2]);
    const model = Model({ inputs, outputs: Lambda((x) => tf.neg(x))(inputs) });
    expect(await failure(() => model.save(join(work, 'anonymous')))).toBe(
      "Lambda 'lambda': cannot be saved: its function has no name, so a save cannot refer to it (a save holds no code); define a named function (`const distance = (x) => ...`) and load with loadModel(path, { customLayers: { distance } })",
    );
  });

  it('on a list, needs outputShape at both levels', () => {
    clearSession();
    const pair = [Input([2]), Input([2])] as const;
    // @ts-expect-error a list without outputShape
    expect(() => Lambda((x) => x)(pair)).toThrow(
      'Lambda: on a list of inputs it needs outputShape; pass Lambda(fn, { outputShape })',
    );
  });
});

describe('fit({ workers: 2 })', () => {
  // A worker thread imports kerats alone: the user's code that a model calls cannot reach it.
  const x = Input([4]);
  const data = () => [tf.zeros([8, 4]), tf.zeros([8, 4])] as const;

  it('fails at once, naming the user-defined layer class', async () => {
    const model = Model({ inputs: x, outputs: CustomDense(4)(x) });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [inputs, targets] = data();
    await expect(model.fit(inputs, targets, { verbose: 0, workers: 2 })).rejects.toThrow(
      "fit: workers must be 1 for this model: it calls the layer class 'CustomDense', which is your code, and a worker thread rebuilds the model from kerats alone, got 2",
    );
    // The same model trains on one thread.
    const history = await model.fit(inputs, targets, { verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
  });

  it("fails at once, naming a Lambda's function", async () => {
    const model = Model({
      inputs: x,
      outputs: Lambda(function twice(t: tf.Tensor) {
        return tf.mul(t, 2);
      })(x),
    });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [inputs, targets] = data();
    await expect(model.fit(inputs, targets, { verbose: 0, workers: 2 })).rejects.toThrow(
      "it calls the function 'twice', which is your code",
    );
  });
});
