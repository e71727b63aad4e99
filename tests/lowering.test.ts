// kerats' graph runs on tfjs as kerats declares it: what the graph-level fuzzer found (issue 8). Each model
// here is built, run, and (where it trains) fitted for a step; the tensors must have the shapes kerats states.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Concatenate,
  Conv1D,
  clearSession,
  Dense,
  Flatten,
  Input,
  LSTM,
  Model,
  Reshape,
  useBackend,
} from '../src/index.ts';

beforeAll(async () => {
  await useBackend('cpu');
});
beforeEach(() => clearSession());

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
