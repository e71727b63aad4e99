// The weight options of existing layers (initializers and constraints) and the recurrent layers' options, checked
// on the values they produce: an initializer's statistics or exact values, a constraint holding after training,
// a recurrent option against the computation it stands for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  BatchNormalization,
  Conv2D,
  clearSession,
  Dense,
  DepthwiseConv2D,
  Embedding,
  Flatten,
  GRU,
  Input,
  LSTM,
  loadModel,
  Model,
  SeparableConv2D,
  SimpleRNN,
  type SymbolicTensor,
  useBackend,
} from '../src/index.ts';

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

beforeAll(async () => {
  expect(await useBackend('cpu')).toBe('cpu');
});

/** The values of a model's weight, by layer and position. */
function weight(model: { getLayer(name: string): { getWeights(): tf.Tensor[] } }, layer: string, index = 0): tf.Tensor {
  const value = model.getLayer(layer).getWeights()[index];
  if (value === undefined) throw new Error(`${layer} has no weight ${index}`);
  return value;
}

function stats(tensor: tf.Tensor): { mean: number; std: number; min: number; max: number } {
  const values = Array.from(tensor.dataSync());
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const std = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

describe('initializers', () => {
  it("heNormal has Keras's stddev sqrt(2 / fanIn) on a large kernel (tfjs's alone gives 0.88 of it)", () => {
    clearSession();
    const x = Input([400]);
    const model = Model({
      inputs: x,
      outputs: Dense(300, { kernelInitializer: { className: 'heNormal', config: { seed: 7 } } })(x),
    });
    const { mean, std, min, max } = stats(weight(model, 'dense'));
    const expected = Math.sqrt(2 / 400);
    expect(Math.abs(mean)).toBeLessThan(0.01 * expected * 10);
    expect(Math.abs(std - expected) / expected).toBeLessThan(0.02);
    // truncated at two of tfjs's stddevs: sqrt(2 / 400) / 0.8796 * 2
    expect(Math.max(-min, max)).toBeLessThanOrEqual((expected / 0.87962566103423978) * 2 + 1e-6);
  });

  it('the snake_case name and the class name give the same weights as the camelCase one, for one seed', () => {
    clearSession();
    const x = Input([50]);
    const make = (className: string) => Dense(40, { kernelInitializer: { className, config: { seed: 3 } } })(x);
    const model = Model({ inputs: x, outputs: [make('glorotUniform'), make('glorot_uniform'), make('GlorotUniform')] });
    const [a, b, c] = ['dense', 'dense_1', 'dense_2'].map((name) => Array.from(weight(model, name).dataSync()));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const limit = Math.sqrt(6 / (50 + 40));
    expect(Math.max(...(a ?? []).map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...(a ?? []).map(Math.abs))).toBeGreaterThan(limit * 0.95);
  });

  it('constant, ones, zeros and identity are exact; orthogonal is orthogonal', () => {
    clearSession();
    const x = Input([6]);
    const model = Model({
      inputs: x,
      outputs: [
        Dense(3, { kernelInitializer: { className: 'constant', config: { value: 0.25 } }, biasInitializer: 'ones' })(x),
        Dense(6, { kernelInitializer: { className: 'identity', config: { gain: 2 } } })(x),
        Dense(4, { kernelInitializer: 'identity' })(x),
        Dense(6, { kernelInitializer: 'orthogonal' })(x),
      ],
    });
    expect(Array.from(weight(model, 'dense').dataSync())).toEqual(Array(18).fill(0.25));
    expect(Array.from(weight(model, 'dense', 1).dataSync())).toEqual([1, 1, 1]);
    expect(weight(model, 'dense_1').arraySync()).toEqual(tf.mul(tf.eye(6), 2).arraySync());
    // Keras's identity is eye(rows, columns): a [6, 4] kernel too.
    expect(weight(model, 'dense_2').arraySync()).toEqual(tf.eye(6, 4).arraySync());
    const q = weight(model, 'dense_3');
    const product = tf.matMul(q, q, true, false);
    expect(tf.max(tf.abs(tf.sub(product, tf.eye(6)))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('randomUniform with its bounds, truncatedNormal within two stddevs, varianceScaling untruncated', () => {
    clearSession();
    const x = Input([200]);
    const model = Model({
      inputs: x,
      outputs: [
        Dense(200, { kernelInitializer: { className: 'random_uniform', config: { minval: 1, maxval: 2, seed: 1 } } })(
          x,
        ),
        Dense(200, { kernelInitializer: { className: 'truncatedNormal', config: { stddev: 0.5, seed: 2 } } })(x),
        Dense(200, {
          kernelInitializer: {
            className: 'VarianceScaling',
            config: { scale: 4, mode: 'fan_out', distribution: 'untruncated_normal', seed: 3 },
          },
        })(x),
      ],
    });
    const uniform = stats(weight(model, 'dense'));
    expect(uniform.min).toBeGreaterThanOrEqual(1);
    expect(uniform.max).toBeLessThan(2);
    expect(Math.abs(uniform.mean - 1.5)).toBeLessThan(0.01);
    const truncated = stats(weight(model, 'dense_1'));
    expect(Math.max(-truncated.min, truncated.max)).toBeLessThanOrEqual(1 + 1e-6);
    const untruncated = stats(weight(model, 'dense_2'));
    expect(Math.abs(untruncated.std - Math.sqrt(4 / 200)) / Math.sqrt(4 / 200)).toBeLessThan(0.02);
    // untruncated: some values beyond two stddevs
    expect(untruncated.max).toBeGreaterThan(2 * Math.sqrt(4 / 200));
  });

  it('reach every layer with weights: convolutions, Embedding, BatchNormalization, the recurrent layers', () => {
    clearSession();
    const image = Input([5, 5, 2]);
    const conv = Conv2D(3, 3, {
      kernelInitializer: 'ones',
      biasInitializer: { className: 'constant', config: { value: 2 } },
    })(image);
    const depthwise = DepthwiseConv2D(3, { depthwiseInitializer: 'zeros' })(conv);
    const separable = SeparableConv2D(2, 1, { depthwiseInitializer: 'ones', pointwiseInitializer: 'ones' })(depthwise);
    const normalized = BatchNormalization({
      gammaInitializer: { className: 'constant', config: { value: 3 } },
      movingVarianceInitializer: 'zeros',
    })(separable);
    const ids = Input([4], { dtype: 'int32' });
    const embedded = Embedding(10, 3, { embeddingsInitializer: 'ones' })(ids);
    const lstm = LSTM(2, { kernelInitializer: 'zeros', recurrentInitializer: 'zeros', biasInitializer: 'ones' })(
      embedded,
    );
    const model = Model({ inputs: [image, ids], outputs: [Flatten()(normalized), lstm] });
    expect(Array.from(weight(model, 'conv2d').dataSync())).toEqual(Array(54).fill(1));
    expect(Array.from(weight(model, 'conv2d', 1).dataSync())).toEqual([2, 2, 2]);
    expect(Array.from(weight(model, 'depthwise_conv2d').dataSync())).toEqual(Array(27).fill(0));
    expect(Array.from(weight(model, 'separable_conv2d', 1).dataSync())).toEqual(Array(6).fill(1));
    expect(Array.from(weight(model, 'batch_normalization').dataSync())).toEqual([3, 3]);
    expect(Array.from(weight(model, 'batch_normalization', 3).dataSync())).toEqual([0, 0]);
    expect(Array.from(weight(model, 'embedding').dataSync())).toEqual(Array(30).fill(1));
    expect(Array.from(weight(model, 'lstm').dataSync())).toEqual(Array(24).fill(0));
    expect(Array.from(weight(model, 'lstm', 2).dataSync())).toEqual(Array(8).fill(1));
  });

  it('a name that is no initializer is refused, listing the names', () => {
    // A name read at run time compiles (the options type takes any string); the runtime refuses it.
    const name: string = 'glorotUnifrom';
    expect(() => Dense(3, { kernelInitializer: name })).toThrow(
      "Dense: kernelInitializer must be one of zeros, ones, constant, randomNormal, randomUniform, truncatedNormal, varianceScaling, glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, orthogonal, identity (or snake_case), got 'glorotUnifrom'",
    );
    expect(() => Dense(3, { kernelInitializer: { className: 'constant', config: { valeu: 1 } } })).toThrow(
      "Dense: kernelInitializer.config must be keys among 'value' for constant, got 'valeu'",
    );
    expect(() => Dense(3, { kernelInitializer: { className: 'varianceScaling', config: { mode: 'fanIn' } } })).toThrow(
      "Dense: kernelInitializer.config.mode must be one of 'fan_in', 'fan_out', 'fan_avg', got 'fanIn'",
    );
  });

  it('is saved and loaded: the config holds it resolved, and the loaded layer has it', async () => {
    clearSession();
    const x = Input([4]);
    const model = Model({
      inputs: x,
      outputs: Dense(2, { kernelInitializer: 'he_normal', kernelConstraint: 'non_neg' })(x),
    }).compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const directory = mkdtempSync(join(tmpdir(), 'kerats-options-'));
    directories.push(directory);
    await model.save(directory);
    const loaded = await loadModel(directory);
    const config = loaded.getLayer('dense').core.spec.config;
    expect(config.kernelInitializer).toEqual({ className: 'heNormal', config: {} });
    expect(config.kernelConstraint).toEqual({ className: 'nonNeg', config: {} });
    expect(Array.from(weight(loaded, 'dense').dataSync())).toEqual(Array.from(weight(model, 'dense').dataSync()));
  });
});

describe('constraints hold after each optimizer update, as in Keras', () => {
  it('nonNeg, maxNorm, unitNorm and minMaxNorm on kernels, after steps that push against them', async () => {
    clearSession();
    const x = Input([8]);
    const model = Model({
      inputs: x,
      outputs: [
        Dense(4, { kernelConstraint: 'nonNeg', biasConstraint: 'nonNeg' })(x),
        Dense(4, { kernelConstraint: { className: 'maxNorm', config: { maxValue: 0.5 } } })(x),
        Dense(4, { kernelConstraint: 'unit_norm' })(x),
        Dense(4, { kernelConstraint: { className: 'MinMaxNorm', config: { minValue: 1, maxValue: 1.5 } } })(x),
      ],
    }).compile({ optimizer: { name: 'sgd', learningRate: 1 }, loss: 'meanSquaredError' });
    const data = tf.randomNormal([16, 8], 0, 1, 'float32', 5);
    // Targets far below zero push the first layer's weights negative, and every kernel's norms up.
    const target = tf.fill([16, 4], -50);
    await model.fit(data, [target, tf.fill([16, 4], 50), target, target], { epochs: 2, batchSize: 8, verbose: 0 });
    const norms = (tensor: tf.Tensor) => Array.from(tf.norm(tensor, 'euclidean', 0).dataSync());
    expect(tf.min(weight(model, 'dense')).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.min(weight(model, 'dense', 1)).dataSync()[0]).toBeGreaterThanOrEqual(0);
    for (const norm of norms(weight(model, 'dense_1'))) expect(norm).toBeLessThanOrEqual(0.5 + 1e-5);
    for (const norm of norms(weight(model, 'dense_2'))) expect(norm).toBeCloseTo(1, 5);
    for (const norm of norms(weight(model, 'dense_3'))) {
      expect(norm).toBeGreaterThanOrEqual(1 - 1e-5);
      expect(norm).toBeLessThanOrEqual(1.5 + 1e-5);
    }
  });

  it('without a constraint the same training leaves negative weights (the test can fail)', async () => {
    clearSession();
    const x = Input([8]);
    const model = Model({ inputs: x, outputs: Dense(4)(x) }).compile({
      optimizer: { name: 'sgd', learningRate: 1 },
      loss: 'meanSquaredError',
    });
    const data = tf.randomNormal([16, 8], 0, 1, 'float32', 5);
    await model.fit(data, tf.fill([16, 4], -50), { epochs: 2, batchSize: 8, verbose: 0 });
    expect(tf.min(weight(model, 'dense')).dataSync()[0]).toBeLessThan(0);
  });

  it('a name that is no constraint is refused, listing the names', () => {
    const name: string = 'nonNegative';
    expect(() => Dense(3, { kernelConstraint: name })).toThrow(
      "Dense: kernelConstraint must be one of 'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' (or their snake_case names), got 'nonNegative'",
    );
  });
});

/** A model's outputs on `x`, in training or not. */
function run(
  model: { runtime: { graph: { run(inputs: tf.Tensor[], training: boolean): tf.Tensor[] } } },
  x: tf.Tensor,
  training = false,
): number[][] {
  return model.runtime.graph.run([x], training).map((out) => Array.from(out.dataSync()));
}

const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));

describe('recurrent options', () => {
  it("LSTM computes with Keras 3's sigmoid gates and unit forget bias by default (a hand-written step)", () => {
    clearSession();
    const x = Input([1, 1]);
    const model = Model({
      inputs: x,
      outputs: LSTM(1, { kernelInitializer: 'ones', recurrentInitializer: 'zeros' })(x),
    });
    // One step from h = c = 0 with kernel 1 on every gate and bias [0, 1, 0, 0] (unitForgetBias): input 2.
    const [out] = run(model, tf.tensor3d([[[2]]]));
    const i = sigmoid(2);
    const c = i * Math.tanh(2);
    const o = sigmoid(2);
    expect(out?.[0]).toBeCloseTo(o * Math.tanh(c), 5);
    expect(Array.from(weight(model, 'lstm', 2).dataSync())).toEqual([0, 1, 0, 0]);
    // tfjs's default, hardSigmoid (0.2 x + 0.5), gives another value: the test can tell them apart.
    expect(Math.abs((out?.[0] ?? 0) - Math.min(1, 0.9) * Math.tanh(0.9 * Math.tanh(2)))).toBeGreaterThan(1e-3);
  });

  it('GRU and LSTM take recurrentActivation; SimpleRNN refuses it; GRU resetAfter is a boolean', () => {
    clearSession();
    const x = Input([1, 1]);
    const model = Model({
      inputs: x,
      outputs: GRU(1, {
        kernelInitializer: 'ones',
        recurrentInitializer: 'zeros',
        recurrentActivation: 'hardSigmoid',
      })(x),
    });
    // From h = 0: z = hardSigmoid(1) = 0.7, hh = tanh(1), h = (1 - z) * hh.
    expect(run(model, tf.tensor3d([[[1]]]))[0]?.[0]).toBeCloseTo(0.3 * Math.tanh(1), 5);
    const unchecked: { readonly [key: string]: unknown } = { recurrentActivation: 'sigmoid' };
    expect(() => SimpleRNN(2, unchecked)).toThrow(
      "SimpleRNN: recurrentActivation must be absent (an option of LSTM and GRU only), got 'sigmoid'",
    );
    const resetAfter: { readonly [key: string]: unknown } = { resetAfter: 'after' };
    expect(() => GRU(2, resetAfter)).toThrow("GRU: resetAfter must be true or false, got 'after'");
    const onLSTM: { readonly [key: string]: unknown } = { resetAfter: true };
    expect(() => LSTM(2, onLSTM)).toThrow('LSTM: resetAfter must be absent (an option of GRU only), got true');
    expect(GRU(2, { resetAfter: false })).toBeTypeOf('function');
    expect(GRU(2, { resetAfter: true })).toBeTypeOf('function');
  });

  it('goBackwards equals the layer on the reversed sequence', () => {
    for (const make of [
      (options: { goBackwards: boolean }) =>
        LSTM(3, {
          ...options,
          kernelInitializer: { className: 'glorotUniform', config: { seed: 1 } },
          recurrentInitializer: { className: 'orthogonal', config: { seed: 2 } },
        }),
      (options: { goBackwards: boolean }) =>
        GRU(3, {
          ...options,
          kernelInitializer: { className: 'glorotUniform', config: { seed: 1 } },
          recurrentInitializer: { className: 'orthogonal', config: { seed: 2 } },
        }),
      (options: { goBackwards: boolean }) =>
        SimpleRNN(3, {
          ...options,
          kernelInitializer: { className: 'glorotUniform', config: { seed: 1 } },
          recurrentInitializer: { className: 'orthogonal', config: { seed: 2 } },
        }),
    ]) {
      clearSession();
      const x = Input([5, 2]);
      const model = Model({ inputs: x, outputs: [make({ goBackwards: true })(x), make({ goBackwards: false })(x)] });
      const data = tf.randomNormal([4, 5, 2], 0, 1, 'float32', 9);
      const [backwards] = run(model, data);
      const [, forwardsOnReversed] = run(model, tf.reverse(data, 1));
      expect(backwards?.length).toBe(12);
      for (const [index, value] of (backwards ?? []).entries())
        expect(value).toBeCloseTo(forwardsOnReversed?.[index] ?? Number.NaN, 5);
      const [forwards] = run(model, data).slice(1);
      expect(forwards).not.toEqual(backwards);
    }
  });

  it('dropout and recurrentDropout act only in training', () => {
    clearSession();
    const x = Input([6, 4]);
    const model = Model({ inputs: x, outputs: LSTM(8, { dropout: 0.5, recurrentDropout: 0.5 })(x) });
    const data = tf.ones([16, 6, 4]);
    const [first] = run(model, data);
    const [second] = run(model, data);
    expect(second).toEqual(first);
    const [trained] = run(model, data, true);
    expect(trained).not.toEqual(first);
  });

  it('unroll is accepted and saved; the computation is the same', async () => {
    clearSession();
    const x = Input([4, 2]);
    const model = Model({ inputs: x, outputs: SimpleRNN(2, { unroll: true })(x) }).compile({
      optimizer: 'sgd',
      loss: 'meanSquaredError',
    });
    const directory = mkdtempSync(join(tmpdir(), 'kerats-options-'));
    directories.push(directory);
    await model.save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.getLayer('simple_rnn').core.spec.config.unroll).toBe(true);
    const unroll: { readonly [key: string]: unknown } = { unroll: 'yes' };
    expect(() => SimpleRNN(2, unroll)).toThrow("SimpleRNN: unroll must be true or false, got 'yes'");
  });
});

describe('Embedding inputLength', () => {
  it('is checked against the input at run time too, and saved', () => {
    clearSession();
    const length: number = 50;
    expect(() => Embedding(1000, 8, { inputLength: length })(Input([20], { dtype: 'int32' }))).toThrow(
      'Embedding: inputLength must be 20 (the last axis of the input [20]), got 50',
    );
    const ids = Input([20], { dtype: 'int32' });
    const out = Embedding(1000, 8, { inputLength: 20 })(ids);
    expectTypeOf(out).toEqualTypeOf<SymbolicTensor<[20, 8], 'float32', never>>();
    expect(out.node.layer.spec.config.inputLength).toBe(20);
  });
});

describe("a kernel with no kernelInitializer starts as Keras's does: glorot_uniform", () => {
  // tfjs's layers default their kernels to glorotNormal (a truncated normal reaching past the uniform's limit).
  it('Dense, Conv2D and LSTM: every weight within sqrt(6 / (fanIn + fanOut)), spread up to it', () => {
    const check = (values: Float32Array | Int32Array | Uint8Array, limit: number) => {
      const largest = Math.max(...Array.from(values, Math.abs));
      expect(largest).toBeLessThanOrEqual(limit);
      expect(largest).toBeGreaterThan(0.95 * limit);
    };
    clearSession();
    const input = Input([256]);
    const dense = Dense(256);
    const image = Input([8, 8, 16]);
    const conv = Conv2D(32, 3);
    const steps = Input([5, 64]);
    const lstm = LSTM(64);
    const model = Model({ inputs: [input, image, steps], outputs: [dense(input), conv(image), lstm(steps)] });
    const kernel = (name: string) => model.getLayer(name).getWeights()[0]?.dataSync() ?? new Float32Array();
    check(kernel(dense.name), Math.sqrt(6 / (256 + 256)));
    check(kernel(conv.name), Math.sqrt(6 / (3 * 3 * 16 + 3 * 3 * 32)));
    check(kernel(lstm.name), Math.sqrt(6 / (64 + 4 * 64)));
  });
});
