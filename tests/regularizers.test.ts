// Weight and activity regularizers (Keras 3's kernel_regularizer, ..., activity_regularizer): their penalties are
// in the loss fit minimises and fit and evaluate report (keras/src/trainers/trainer.py compute_loss adds
// sum(model.losses); keras/src/layers/layer.py: a trainable weight's regularizer(w), and an output's
// regularizer(y) divided by the batch size), they are saved and loaded, and a bad one is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNormalization,
  Bidirectional,
  Conv1D,
  Conv1DTranspose,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  ConvLSTM2D,
  clearSession,
  Dense,
  DepthwiseConv2D,
  defineLayer,
  Embedding,
  GRU,
  GroupNormalization,
  Input,
  LayerNormalization,
  LSTM,
  l1,
  l1l2,
  l2,
  loadModel,
  Model,
  MultiHeadAttention,
  PReLU,
  SeparableConv1D,
  SeparableConv2D,
  Sequential,
  SimpleRNN,
  type SymbolicTensor,
  TimeDistributed,
  useBackend,
} from '../src/index.ts';

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

const l2Tenth = l2(0.1);

/** Each layer with weights, every weight regularized with l2(0.1): its input, and the layer applied. */
const everyLayer: readonly {
  readonly name: string;
  readonly input: readonly number[];
  readonly ids?: number;
  readonly apply: (x: SymbolicTensor) => SymbolicTensor;
}[] = [
  {
    name: 'Conv1D',
    input: [6, 2],
    apply: (x) => Conv1D(3, 2, { kernelRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'Conv2D (dilated)',
    input: [5, 5, 2],
    apply: (x) => Conv2D(3, 2, { dilationRate: 2, kernelRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'Conv3D',
    input: [3, 3, 3, 1],
    apply: (x) => Conv3D(2, 2, { kernelRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'Conv2DTranspose',
    input: [3, 3, 2],
    apply: (x) => Conv2DTranspose(2, 2, { kernelRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'DepthwiseConv2D',
    input: [4, 4, 2],
    apply: (x) => DepthwiseConv2D(2, { depthwiseRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'SeparableConv2D',
    input: [4, 4, 2],
    apply: (x) =>
      SeparableConv2D(3, 2, {
        depthwiseRegularizer: l2Tenth,
        pointwiseRegularizer: l2Tenth,
        biasRegularizer: l2Tenth,
      })(x),
  },
  {
    name: 'Embedding',
    input: [3],
    ids: 5,
    apply: (x) => Embedding(5, 2, { embeddingsInitializer: 'ones', embeddingsRegularizer: l2Tenth })(x),
  },
  {
    name: 'SimpleRNN',
    input: [3, 2],
    apply: (x) =>
      SimpleRNN(2, { kernelRegularizer: l2Tenth, recurrentRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'LSTM',
    input: [3, 2],
    apply: (x) => LSTM(2, { kernelRegularizer: l2Tenth, recurrentRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'GRU',
    input: [3, 2],
    apply: (x) => GRU(2, { kernelRegularizer: l2Tenth, recurrentRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'GRU (resetAfter: false)',
    input: [3, 2],
    apply: (x) =>
      GRU(2, {
        resetAfter: false,
        kernelRegularizer: l2Tenth,
        recurrentRegularizer: l2Tenth,
        biasRegularizer: l2Tenth,
      })(x),
  },
  {
    name: 'Bidirectional(GRU)',
    input: [3, 2],
    apply: (x) =>
      Bidirectional(
        GRU(2, {
          biasInitializer: 'ones',
          kernelRegularizer: l2Tenth,
          recurrentRegularizer: l2Tenth,
          biasRegularizer: l2Tenth,
        }),
      )(x),
  },
  {
    name: 'ConvLSTM2D',
    input: [2, 4, 4, 1],
    apply: (x) =>
      ConvLSTM2D(2, 2, { kernelRegularizer: l2Tenth, recurrentRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'Bidirectional(LSTM)',
    input: [3, 2],
    apply: (x) =>
      Bidirectional(LSTM(2, { kernelRegularizer: l2Tenth, recurrentRegularizer: l2Tenth, biasRegularizer: l2Tenth }))(
        x,
      ),
  },
  {
    name: 'TimeDistributed(Dense)',
    input: [3, 2],
    apply: (x) => TimeDistributed(Dense(2, { kernelRegularizer: l2Tenth, biasRegularizer: l2Tenth }))(x),
  },
  {
    name: 'BatchNormalization',
    input: [3],
    apply: (x) =>
      BatchNormalization({
        betaInitializer: 'ones',
        gammaRegularizer: l2Tenth,
        betaRegularizer: l2Tenth,
      })(x),
  },
  {
    name: 'LayerNormalization',
    input: [3],
    apply: (x) =>
      LayerNormalization({ betaInitializer: 'ones', gammaRegularizer: l2Tenth, betaRegularizer: l2Tenth })(x),
  },
  {
    name: 'Conv1DTranspose',
    input: [4, 2],
    apply: (x) => Conv1DTranspose(3, 2, { kernelRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'Conv3DTranspose',
    input: [2, 2, 2, 2],
    apply: (x) => Conv3DTranspose(2, 2, { kernelRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x),
  },
  {
    name: 'SeparableConv1D',
    input: [5, 2],
    apply: (x) =>
      SeparableConv1D(3, 2, {
        depthwiseRegularizer: l2Tenth,
        pointwiseRegularizer: l2Tenth,
        biasRegularizer: l2Tenth,
      })(x),
  },
  {
    name: 'GroupNormalization',
    input: [4],
    apply: (x) => GroupNormalization({ groups: 2, gammaRegularizer: l2Tenth, betaRegularizer: l2Tenth })(x),
  },
  {
    name: 'MultiHeadAttention',
    input: [3, 4],
    apply: (x) =>
      MultiHeadAttention({ numHeads: 2, keyDim: 2, kernelRegularizer: l2Tenth, biasRegularizer: l2Tenth })(x, x),
  },
  {
    name: 'PReLU',
    input: [3],
    apply: (x) => PReLU({ alphaInitializer: 'ones', alphaRegularizer: l2Tenth })(x),
  },
];

describe('every layer with weights takes its weight regularizers', () => {
  for (const { name, input, ids, apply } of everyLayer)
    it(`${name}: the loss adds 0.1 * sum(w^2) over its trainable weights`, async () => {
      clearSession();
      const inputs = Input(input, ids === undefined ? {} : { dtype: 'int32' });
      const model = Model({ inputs, outputs: apply(inputs) }).compile({
        optimizer: { name: 'sgd', learningRate: 0 },
        loss: 'meanSquaredError',
      });
      const batch = [4, ...input];
      const data =
        ids === undefined ? tf.randomNormal(batch, 0, 1, 'float32', 3) : tf.randomUniformInt(batch, 0, ids, 3);
      const [predicted] = await model.predict(data);
      const target = tf.zerosLike(predicted ?? tf.scalar(0));
      const dataLoss = mean(values(predicted).map((p) => p * p));
      const [layer] = model.layers.slice(1);
      if (layer === undefined) throw new Error('no layer');
      const twin = model.runtime.graph.layer(layer);
      const squares = twin.trainableWeights.map((weight) => sum(values(weight.read()), (w) => w * w));
      expect(squares.length).toBeGreaterThan(0);
      const penalty = 0.1 * sum(squares, (value) => value);
      expect(penalty).toBeGreaterThan(0.01);
      expect((await model.evaluate(data, target, { batchSize: 4 })).loss).toBeCloseTo(dataLoss + penalty, 4);
    });
});

/** The values of a model's weight, by layer and position. */
function weightOf(model: { getLayer(name: string): { getWeights(): tf.Tensor[] } }, layer: string, index = 0) {
  return values(model.getLayer(layer).getWeights()[index]);
}

describe('training minimises the penalties too', () => {
  it("l2(0.5) on Dense's kernel: after the same training its norm is about half the unregularized one", async () => {
    const norms: number[] = [];
    for (const kernelRegularizer of [undefined, l2(0.5)]) {
      clearSession();
      const input = Input([3]);
      const dense = Dense(2, {
        kernelInitializer: { className: 'randomNormal', config: { seed: 1 } },
        ...(kernelRegularizer === undefined ? {} : { kernelRegularizer }),
      });
      const model = Model({ inputs: input, outputs: dense(input) }).compile({
        optimizer: { name: 'sgd', learningRate: 0.1 },
        loss: 'meanSquaredError',
      });
      const data = tf.randomNormal([32, 3], 0, 1, 'float32', 7);
      const target = tf.matMul(
        data,
        tf.tensor2d([
          [2, -1],
          [1, 3],
          [-2, 0.5],
        ]),
      );
      await model.fit(data, target, { epochs: 20, batchSize: 8, verbose: 0, shuffle: false });
      norms.push(Math.sqrt(sum(weightOf(model, 'dense'), (w) => w * w)));
    }
    const [plain = 0, regularized = 0] = norms;
    // The target's kernel has norm sqrt(19.25) = 4.4 (measured: 4.38 after training); 0.5 * |w|^2 pulls it to 2.2.
    expect(plain).toBeGreaterThan(3);
    expect(regularized).toBeLessThan(0.6 * plain);
  });
});

describe("the penalties count as Keras's model.losses counts them", () => {
  const build = (frozen: boolean) => {
    clearSession();
    const shared = Dense(2, { kernelInitializer: 'ones', kernelRegularizer: l1(0.1) });
    const frozenLayer = Dense(2, { kernelInitializer: 'ones', kernelRegularizer: l1(1) });
    frozenLayer.core.trainable = !frozen;
    const a = Input([2]);
    const inner = Model({ inputs: a, outputs: frozenLayer(a) });
    const b = Input([2]);
    // The shared layer is called twice, and the inner model once.
    const model = Model({ inputs: b, outputs: inner(shared(shared(b))) });
    return model.compile({ optimizer: { name: 'sgd', learningRate: 0 }, loss: 'meanSquaredError' });
  };

  it('a layer called twice once; a frozen layer (in a nested model) not at all, as its weights are not trainable', async () => {
    const zeros = tf.zeros([2, 2]);
    for (const frozen of [false, true]) {
      const model = build(frozen);
      const [predicted] = await model.predict(zeros);
      const dataLoss = mean(values(predicted).map((p) => p * p));
      // Each kernel is [[1, 1], [1, 1]]: l1 sums 4. The shared layer's 0.1 * 4 once; the nested one's 1 * 4.
      const expected = dataLoss + 0.4 + (frozen ? 0 : 4);
      expect((await model.evaluate(zeros, zeros)).loss).toBeCloseTo(expected, 5);
    }
  });
});

describe('a Sequential, alone and as a block inside a model', () => {
  it('adds the penalties of its layers, each once', async () => {
    clearSession();
    const block = Sequential([Dense(2, { kernelInitializer: 'ones', kernelRegularizer: l1(0.1) })]);
    const alone = Sequential([Input([2]), Dense(2, { kernelInitializer: 'ones', kernelRegularizer: l2(0.5) })]);
    const input = Input([2]);
    const outer = Model({ inputs: input, outputs: block(block(input)) });
    const zeros = tf.zeros([2, 2]);
    // Kernels of ones [2, 2]: l1 sums 4, l2 sums 4; the block's once although it is called twice.
    const settings = { optimizer: 'sgd', loss: 'meanSquaredError' } as const;
    expect((await alone.compile(settings).evaluate(zeros, zeros)).loss).toBeCloseTo(0.5 * 4, 5);
    expect((await outer.compile(settings).evaluate(zeros, zeros)).loss).toBeCloseTo(0.1 * 4, 5);
  });
});

describe('activity penalties on a layer with several outputs, and on a defined layer', () => {
  it("LSTM with returnState: each output's penalty (sequence, h, c), divided by the batch size", async () => {
    clearSession();
    const input = Input([3, 2]);
    const [sequence, h, c] = LSTM(2, { returnSequences: true, returnState: true, activityRegularizer: l2(0.3) })(input);
    const model = Model({ inputs: input, outputs: [sequence, h, c] }).compile({
      optimizer: { name: 'sgd', learningRate: 0 },
      loss: ['meanSquaredError', 'meanSquaredError', 'meanSquaredError'],
    });
    const data = tf.randomNormal([4, 3, 2], 0, 1, 'float32', 2);
    const outputs = await model.predict(data);
    const dataLoss = sum(
      outputs.map((output) => mean(values(output).map((p) => p * p))),
      (value) => value,
    );
    const activity = sum(
      outputs.map((output) => (0.3 * sum(values(output), (p) => p * p)) / 4),
      (value) => value,
    );
    const [t0, t1, t2] = outputs.map((output) => tf.zerosLike(output));
    if (t0 === undefined || t1 === undefined || t2 === undefined) throw new Error('three outputs');
    expect((await model.evaluate(data, [t0, t1, t2])).loss).toBeCloseTo(dataLoss + activity, 5);
  });

  it("a user's defined layer: a weight's regularizer and the activityRegularizer every defined layer takes", async () => {
    const ScaleClass = defineLayer({
      className: 'RegularizedScale',
      config: () => ({}),
      outputShape: (input) => ({ shape: input.shape, dtype: 'float32' }),
      weights: ({ shape }) => [{ name: 'scale', shape: [shape.at(-1) ?? 1], initializer: 'ones', regularizer: 'l2' }],
      call: (input, { scale }) => tf.mul(input, scale),
    });
    clearSession();
    const inputs = Input([2]);
    const layer = ScaleClass.create({ activityRegularizer: l1(0.5) });
    expect(layer.core.spec.config.activityRegularizer).toEqual({ className: 'l1', config: { l1: 0.5 } });
    const model = Model({ inputs, outputs: layer(inputs) }).compile({
      optimizer: { name: 'sgd', learningRate: 0 },
      loss: 'meanSquaredError',
    });
    const ones = tf.ones([2, 2]);
    // Data loss 1 (outputs 1, targets 0); the scale's l2 (0.01) * 2; activity 0.5 * 4 / 2.
    expect((await model.evaluate(ones, tf.zeros([2, 2]))).loss).toBeCloseTo(1 + 0.02 + 1, 5);
    expect(() => ScaleClass.create({ activityRegularizer: 'l3' })).toThrow(
      "RegularizedScale: activityRegularizer must be one of 'l1', 'l2', 'l1l2' (or Keras's class names 'L1', 'L2', 'L1L2'), got 'l3'",
    );
  });

  it("Bidirectional's layer's activity regularizer is refused; TimeDistributed's adds nothing, as in Keras 3", async () => {
    expect(() => Bidirectional(LSTM(2, { activityRegularizer: 'l2' }))).toThrow(
      "Bidirectional: layer.activityRegularizer must be absent (Keras adds each direction's activity penalty before the merge; kerats does not compute it yet), got 'l2'",
    );
    // keras/src/layers/rnn/time_distributed.py runs the layer's call, not __call__, so no activity penalty is added.
    clearSession();
    const input = Input([3, 2]);
    const model = Model({ inputs: input, outputs: TimeDistributed(Dense(2, { activityRegularizer: l2(10) }))(input) });
    const compiled = model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const data = tf.randomNormal([4, 3, 2], 0, 1, 'float32', 8);
    const [predicted] = await compiled.predict(data);
    const target = tf.zerosLike(predicted ?? tf.scalar(0));
    const dataLoss = mean(values(predicted).map((p) => p * p));
    expect((await compiled.evaluate(data, target)).loss).toBeCloseTo(dataLoss, 5);
  });
});

describe('toLayersModel', () => {
  it("gives tfjs's layers their weight regularizers (tfjs's L1L2), but not the activity one (tfjs cannot call it)", () => {
    clearSession();
    const input = Input([3]);
    const model = Model({
      inputs: input,
      outputs: Dense(2, { kernelRegularizer: l2(0.1), biasRegularizer: 'l1', activityRegularizer: 'l2' })(input),
    });
    const config = model.toLayersModel().getLayer('dense').getConfig();
    expect(config.kernelRegularizer).toEqual({ className: 'L1L2', config: { l1: 0, l2: 0.1 } });
    expect(config.biasRegularizer).toEqual({ className: 'L1L2', config: { l1: 0.01, l2: 0 } });
    expect(config.activityRegularizer).toBeNull();
  });
});

describe('fit({ workers: 2 })', () => {
  it("the replicas add the same penalties: one thread's step and two threads' agree", async () => {
    clearSession();
    const input = Input([3]);
    const dense = Dense(2, { kernelRegularizer: l2(0.2), biasRegularizer: 'l1', activityRegularizer: l1(0.05) });
    const model = Model({ inputs: input, outputs: dense(input) });
    const data = tf.randomNormal([16, 3], 0, 1, 'float32', 4);
    const target = tf.randomNormal([16, 2], 0, 1, 'float32', 5);
    const weights = model.toLayersModel().weights;
    const start = weights.map((weight) => tf.clone(weight.read()));
    const stepWith = async (workers: number) => {
      for (const [index, weight] of weights.entries()) {
        const value = start[index];
        if (value) weight.write(value);
      }
      const compiled = model.compile({ optimizer: { name: 'sgd', learningRate: 0.5 }, loss: 'meanSquaredError' });
      const history = await compiled.fit(data, target, {
        epochs: 1,
        batchSize: 16,
        shuffle: false,
        verbose: 0,
        workers,
      });
      return { loss: history.history.loss[0] ?? Number.NaN, kernel: weightOf(model, 'dense') };
    };
    const one = await stepWith(1);
    const two = await stepWith(2);
    expect(two.loss).toBeCloseTo(one.loss, 5);
    for (const [index, value] of one.kernel.entries()) expect(two.kernel[index]).toBeCloseTo(value, 5);
  });
});
