// kerats' graph runs on tfjs as kerats declares it: what the graph-level fuzzer found (issue 8). Each model
// here is built, run, and (where it trains) fitted for a step; the tensors must have the shapes kerats states.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
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
