// kerats' graph runs on tfjs as kerats declares it: what the graph-level fuzzer found (issue 8). Each model
// here is built, run, and (where it trains) fitted for a step; the tensors must have the shapes kerats states.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Add,
  Average,
  Concatenate,
  Conv1D,
  clearSession,
  Dense,
  Embedding,
  Flatten,
  GRU,
  Input,
  type KerasModel,
  LSTM,
  Model,
  Multiply,
  Reshape,
  SimpleRNN,
  TimeDistributed,
  useBackend,
} from '../src/index.ts';

beforeAll(async () => {
  await useBackend('cpu');
});
beforeEach(() => clearSession());

/** The shape of the model's first output on `inputs`. */
async function predicted(model: KerasModel, ...inputs: tf.Tensor[]): Promise<number[]> {
  const [output] = await model.predict(inputs.length === 1 && inputs[0] !== undefined ? inputs[0] : inputs);
  return output?.shape ?? [];
}

describe('Reshape with -1 is lowered with the size kerats knows', () => {
  it('Reshape([-1]) then Dense, Reshape([-1, 3]) then Flatten, Reshape([-1, 1]) then Conv1D and LSTM', async () => {
    const x = Input([4, 6]);
    const flat = Dense(2)(Reshape([-1])(x));
    const rows = Flatten()(Reshape([-1, 3])(x));
    const conv = Flatten()(Conv1D(2, 3)(Reshape([-1, 1])(x)));
    const rnn = LSTM(2)(Reshape([-1, 1])(x));
    const model = Model({ inputs: x, outputs: [flat, rows, conv, rnn] });
    const outputs = await model.predict(tf.ones([3, 4, 6]));
    expect(outputs.map((output) => output.shape)).toEqual([
      [3, 2],
      [3, 24],
      [3, 44],
      [3, 2],
    ]);
  });

  it('a shared Reshape([-1]) called at two element counts keeps -1 and still runs', async () => {
    const reshape = Reshape([-1]);
    const a = Input([4, 6]);
    const b = Input([2, 6]);
    const left = Dense(2)(reshape(a));
    const right = Dense(2)(reshape(b));
    expect([left.shape, right.shape]).toEqual([[2], [2]]);
    const model = Model({ inputs: [a, b], outputs: Concatenate()([left, right]) });
    expect(await predicted(model, tf.ones([3, 4, 6]), tf.ones([3, 2, 6]))).toEqual([3, 4]);
  });
});

describe('Concatenate', () => {
  it('a negative axis other than -1 joins the axis kerats declares (tfjs reads every negative axis as -1)', async () => {
    const a = Input([9, 1]);
    const b = Input([9, 1]);
    const joined = Concatenate({ axis: -2 })([a, b]);
    expect(joined.shape).toEqual([18, 1]);
    const model = Model({ inputs: [a, b], outputs: joined });
    const [output] = await model.predict([tf.zeros([2, 9, 1]), tf.ones([2, 9, 1])]);
    expect(output?.shape).toEqual([2, 18, 1]);
    expect(Array.from(output?.dataSync() ?? []).slice(8, 10)).toEqual([0, 1]);
  });
});

describe('Concatenate, shared', () => {
  it('at two ranks with an axis below -1 is refused when lowered, with a sentence', () => {
    const join = Concatenate({ axis: -2 });
    const a = Input([3, 2]);
    const b = Input([4, 3, 2]);
    const model = Model({ inputs: [a, b], outputs: [join([a, a]), join([b, b])] });
    expect(() => model.toLayersModel()).toThrow(
      "Concatenate 'concatenate': axis -2 names a different axis in each of its calls (inputs of rank 2 and 3), which tfjs cannot run; use a positive axis, or one layer per rank",
    );
  });

  it('at two ranks with axis -1 runs', async () => {
    const join = Concatenate();
    const a = Input([3, 2]);
    const b = Input([4, 3, 2]);
    const model = Model({ inputs: [a, b], outputs: [join([a, a]), join([b, b])] });
    const outputs = await model.predict([tf.ones([1, 3, 2]), tf.ones([1, 4, 3, 2])]);
    expect(outputs.map((output) => output.shape)).toEqual([
      [1, 3, 4],
      [1, 4, 3, 4],
    ]);
  });
});

describe('merging an unknown size with a known one', () => {
  for (const [name, merge] of [
    ['Add', Add],
    ['Multiply', Multiply],
    ['Average', Average],
  ] as const)
    it(`${name} of [null, 3] and [5, 3] is [5, 3], and the layers after it build`, async () => {
      const a = Input([null, 3]);
      const b = Input([5, 3]);
      const merged = merge()([a, b]);
      expect(merged.shape).toEqual([5, 3]);
      const model = Model({ inputs: [a, b], outputs: Dense(2)(Flatten()(merged)) });
      expect(await predicted(model, tf.ones([2, 5, 3]), tf.ones([2, 5, 3]))).toEqual([2, 2]);
    });

  it('a shared Concatenate called twice on unknown sizes runs (each call tells tfjs its shapes)', async () => {
    const join = Concatenate();
    const a = Input([null, 3]);
    const b = Input([5, 3]);
    const c = Input([null, 2]);
    const d = Input([4, 2]);
    const model = Model({
      inputs: [a, b, c, d],
      outputs: [Dense(1)(Flatten()(join([b, a]))), Dense(1)(Flatten()(join([d, c])))],
    });
    const outputs = await model.predict([
      tf.ones([2, 5, 3]),
      tf.ones([2, 5, 3]),
      tf.ones([2, 4, 2]),
      tf.ones([2, 4, 2]),
    ]);
    expect(outputs.map((output) => output.shape)).toEqual([
      [2, 1],
      [2, 1],
    ]);
  });

  it('Concatenate of [null, 3] and [5, 3] on the last axis is [5, 6]', async () => {
    const a = Input([null, 3]);
    const b = Input([5, 3]);
    const joined = Concatenate()([b, a]);
    expect(joined.shape).toEqual([5, 6]);
    const model = Model({ inputs: [a, b], outputs: Dense(2)(Flatten()(joined)) });
    expect(await predicted(model, tf.ones([2, 5, 3]), tf.ones([2, 5, 3]))).toEqual([2, 2]);
    // The plain tfjs model runs the same graph, with the reshapes that tell tfjs the shapes.
    const plain = model.toLayersModel().predict([tf.ones([2, 5, 3]), tf.ones([2, 5, 3])]);
    expect(plain instanceof tf.Tensor ? plain.shape : []).toEqual([2, 2]);
  });
});

describe('masks', () => {
  it('a layer that does not support masking drops the mask, as in Keras (Flatten, Reshape, Conv1D)', async () => {
    const ids = Input([5], { dtype: 'int32' });
    const embedded = Embedding(10, 3, { maskZero: true })(ids);
    const model = Model({
      inputs: ids,
      outputs: [Dense(1)(Flatten()(embedded)), Dense(1)(Reshape([-1])(embedded)), LSTM(2)(Conv1D(2, 2)(embedded))],
    });
    const outputs = await model.predict(tf.tensor2d([[1, 2, 0, 0, 3]], [1, 5], 'int32'));
    expect(outputs.map((output) => output.shape)).toEqual([
      [1, 1],
      [1, 1],
      [1, 2],
    ]);
  });

  it('a layer that supports masking still gets it: an LSTM skips the masked steps', async () => {
    const ids = Input([4], { dtype: 'int32' });
    const model = Model({ inputs: ids, outputs: LSTM(2)(Embedding(10, 3, { maskZero: true })(ids)) });
    const [padded, short] = await Promise.all([
      model.predict(tf.tensor2d([[4, 5, 0, 0]], [1, 4], 'int32')),
      model.predict(tf.tensor2d([[4, 5, 5, 0]], [1, 4], 'int32')),
    ]);
    const [unpadded] = await model.predict(tf.tensor2d([[0, 4, 5, 0]], [1, 4], 'int32'));
    expect(Array.from(padded[0]?.dataSync() ?? [])).toEqual(Array.from(unpadded?.dataSync() ?? []));
    expect(Array.from(padded[0]?.dataSync() ?? [])).not.toEqual(Array.from(short[0]?.dataSync() ?? []));
  });
});

describe('recurrent layers on a one-step sequence', () => {
  for (const [name, rnn] of [
    ['LSTM', LSTM],
    ['GRU', GRU],
    ['SimpleRNN', SimpleRNN],
  ] as const)
    it(`stacked ${name}s on [1, 4] train (tfjs's Unpack gradient fails on one step)`, async () => {
      const x = Input([1, 4]);
      const model = Model({ inputs: x, outputs: rnn(2)(rnn(3, { returnSequences: true })(x)) });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const history = await model.fit(tf.ones([2, 1, 4]), tf.zeros([2, 2]), { epochs: 1, verbose: 0 });
      expect(history.history.loss?.[0]).toBeTypeOf('number');
    });
});

describe('Add, Multiply and Average broadcast a size of 1, as in Keras', () => {
  it('[6, 3] + [1, 3] is [6, 3]: the offset is added to every step, and trains', async () => {
    const steps = Input([6, 3], { name: 'steps' });
    const offset = Input([1, 3], { name: 'offset' });
    const sum = Add()([steps, Dense(3, { name: 'learned' })(offset)]);
    const model = Model({
      inputs: [steps, offset],
      outputs: [sum, Multiply()([steps, offset]), Average()([offset, steps])],
    });
    expect(model.outputs.map((output) => output.shape)).toEqual([
      [6, 3],
      [6, 3],
      [6, 3],
    ]);
    const x = tf.randomNormal([2, 6, 3], 0, 1, 'float32', 1);
    const o = tf.randomNormal([2, 1, 3], 0, 1, 'float32', 2);
    const [, product, mean] = await model.predict([x, o]);
    expect(product?.arraySync()).toEqual(tf.mul(x, o).arraySync());
    const expected = tf.div(tf.add(x, o), 2).dataSync();
    for (const [index, value] of (mean?.dataSync() ?? []).entries()) expect(value).toBeCloseTo(expected[index] ?? 0, 6);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const history = await model.fit([x, o], [x, x, x], { epochs: 2, verbose: 0 });
    expect(history.history.loss?.every(Number.isFinite)).toBe(true);
  });
});

describe('a shared TimeDistributed', () => {
  it('runs, trains and saves when its calls have different numbers of steps (tfjs fixed the steps at its first call)', async () => {
    const one = Input([1, 3]);
    const four = Input([4, 3]);
    const perStep = TimeDistributed(Dense(5));
    const model = Model({ inputs: [one, four], outputs: [perStep(one), perStep(four)] });
    const x: [tf.Tensor, tf.Tensor] = [tf.ones([2, 1, 3]), tf.ones([2, 4, 3])];
    expect((await model.predict(x)).map((output) => output.shape)).toEqual([
      [2, 1, 5],
      [2, 4, 5],
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const history = await model.fit(x, [tf.zeros([2, 1, 5]), tf.zeros([2, 4, 5])], { epochs: 1, verbose: 0 });
    expect(history.history.loss?.every(Number.isFinite)).toBe(true);
  });
});
