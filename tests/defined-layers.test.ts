// The layers tfjs-layers lacks, written with the public layer API (defineLayer / defineMergeLayer): Subtract,
// UpSampling1D and MultiHeadAttention. Each: shapes at both levels, Keras's parameter count, the computation
// against a formula written out by hand, training, and a save/load round trip (they are built in, so loading
// needs no customLayers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearSession,
  Dense,
  Flatten,
  Input,
  type KerasModel,
  loadModel,
  Model,
  MultiHeadAttention,
  Subtract,
  UpSampling1D,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-defined-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  await useBackend('cpu');
});

/** Reads a tensor's values by index, whatever its rank. */
function reader(tensor: tf.Tensor): (...index: number[]) => number {
  const data = tensor.dataSync();
  const strides = tensor.shape.map((_, axis) => tensor.shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  return (...index) => data[index.reduce((offset, i, axis) => offset + i * (strides[axis] ?? 0), 0)] ?? Number.NaN;
}

function expectClose(actual: tf.Tensor | undefined, expected: (...index: number[]) => number, digits = 5): void {
  if (actual === undefined) throw new Error('no output');
  const at = reader(actual);
  const visit = (prefix: number[]): void => {
    if (prefix.length === actual.shape.length) {
      expect(at(...prefix)).toBeCloseTo(expected(...prefix), digits);
      return;
    }
    for (let i = 0; i < (actual.shape[prefix.length] ?? 0); i++) visit([...prefix, i]);
  };
  visit([]);
}

async function roundTrip(model: KerasModel, name: string, x: tf.Tensor | tf.Tensor[]): Promise<void> {
  const directory = join(work, name);
  await model.save(directory);
  const loaded = await loadModel(directory);
  expect(loaded.countParams()).toBe(model.countParams());
  const before = model.toLayersModel().predict(x);
  const after = loaded.toLayersModel().predict(x);
  if (!(before instanceof tf.Tensor) || !(after instanceof tf.Tensor)) throw new Error('no prediction');
  expect(after.arraySync()).toEqual(before.arraySync());
}

async function fallingLoss(model: KerasModel, x: tf.Tensor | tf.Tensor[], y: tf.Tensor): Promise<void> {
  const compiled = model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const history = await compiled.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0 });
  const losses = history.history.loss ?? [];
  expect(losses.at(-1) ?? Number.NaN).toBeLessThan(losses[0] ?? 0);
}

describe('Subtract', () => {
  it('a - b of equal shapes; int32 stays int32; the rules refuse other counts and shapes', () => {
    clearSession();
    const a = Input([3, 4]);
    const b = Input([null, 4]);
    expect(Subtract()([a, b]).shape).toEqual([3, 4]);
    const ints = Subtract()([Input([2], { dtype: 'int32' }), Input([2], { dtype: 'int32' })]);
    expect(ints.dtype).toBe('int32');
    // @ts-expect-error three inputs
    expect(() => Subtract()([a, a, a])).toThrow('Subtract: expects exactly 2 inputs, got 3');
    // @ts-expect-error [3, 4] vs [3, 5]
    expect(() => Subtract()([a, Input([3, 5])])).toThrow(
      'Subtract: inputs disagree on axis 2: [3, 4] vs [3, 5] (Subtract needs equal sizes, or 1 on either side)',
    );
  });

  it('computes a - b, trains after it, saves and loads', async () => {
    clearSession();
    const a = Input([4]);
    const b = Input([4]);
    const difference = Subtract()([a, b]);
    const model = Model({ inputs: [a, b], outputs: Dense(1)(difference) });
    expect(model.countParams()).toBe(5);
    const x: [tf.Tensor, tf.Tensor] = [
      tf.randomNormal([16, 4], 0, 1, 'float32', 3),
      tf.randomNormal([16, 4], 0, 1, 'float32', 4),
    ];
    const inner = Model({ inputs: [a, b], outputs: difference });
    const [out] = await inner.predict(x);
    const [left, right] = x.map(reader);
    expectClose(out, (i = 0, j = 0) => (left?.(i, j) ?? 0) - (right?.(i, j) ?? 0));
    await fallingLoss(model, x, tf.sum(x[0], -1, true));
    await roundTrip(model, 'subtract', x);
  });
});

describe('UpSampling1D', () => {
  it('[steps, features] => [steps * size, features], size 2 by default; unknown steps stay unknown', () => {
    clearSession();
    expect(UpSampling1D()(Input([5, 3])).shape).toEqual([10, 3]);
    expect(UpSampling1D(3)(Input([null, 3])).shape).toEqual([null, 3]);
    const size: number = 4;
    expect(UpSampling1D(size)(Input([2, 3])).shape).toEqual([8, 3]);
    // @ts-expect-error rank 1
    expect(() => UpSampling1D()(Input([5]))).toThrow(
      'UpSampling1D: expects input of rank 2 [steps, features], got [5] (rank 1)',
    );
    // @ts-expect-error size 0
    expect(() => UpSampling1D(0)).toThrow('UpSampling1D: size must be a positive integer, got 0');
  });

  it('repeats each step size times (Keras: ops.repeat on axis 1), trains, saves and loads', async () => {
    clearSession();
    const inputs = Input([3, 2]);
    const up = UpSampling1D(2)(inputs);
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    const [out] = await Model({ inputs, outputs: up }).predict(x);
    expect(out?.arraySync()).toEqual([
      [
        [1, 2],
        [1, 2],
        [3, 4],
        [3, 4],
        [5, 6],
        [5, 6],
      ],
    ]);
    const model = Model({ inputs, outputs: Dense(1)(Flatten()(up)) });
    expect(model.countParams()).toBe(6 * 2 + 1);
    const data = tf.randomNormal([16, 3, 2], 0, 1, 'float32', 5);
    await fallingLoss(model, data, tf.ones([16, 1]));
    await roundTrip(model, 'up-sampling1d', data);
  });
});

describe('MultiHeadAttention', () => {
  it("has Keras's parameter count: (Dq + Dk)·N·K + 2·N·K + Dv·N·V + N·V + N·V·Dout + Dout", () => {
    clearSession();
    const query = Input([8, 16]);
    const value = Input([4, 16]);
    const mha = MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const out = mha(query, value);
    expect(out.shape).toEqual([8, 16]);
    // query 16·2·2 + 2·2, key the same, value the same, output 2·2·16 + 16.
    const model = Model({ inputs: [query, value], outputs: out });
    expect(model.countParams()).toBe(284);
    // Keras's row: the layer is connected to the query and the value, once each.
    const lines = model.summaryLines();
    const row = lines.findIndex((line) => line.includes('multi_head_attention (MultiHea'));
    expect(lines[row]).toMatch(/\(None, 8, 16\)\s+284\s+\['input_1\[0\]\[0\]',$/);
    expect(lines[row + 1]).toMatch(/'input_2\[0\]\[0\]'\]$/);
    clearSession();
    const q = Input([5, 6]);
    const v = Input([7, 3]);
    const k = Input([7, 4]);
    const wide = MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 5, outputShape: 10, useBias: false });
    const result = wide(q, v, k);
    expect(result.shape).toEqual([5, 10]);
    expect(Model({ inputs: [q, v, k], outputs: result }).countParams()).toBe(
      6 * 3 * 2 + 4 * 3 * 2 + 3 * 3 * 5 + 3 * 5 * 10,
    );
  });

  it('refuses value and key of different steps, a mask of the wrong shape, and rank 1, at both levels', () => {
    clearSession();
    const mha = MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const query = Input([8, 16]);
    const value = Input([4, 16]);
    // @ts-expect-error value 4 steps, key 5
    expect(() => mha(query, value, Input([5, 16]))).toThrow(
      'MultiHeadAttention: inputs disagree on axis 1: [4, 16] vs [5, 16] (value and key need the same steps)',
    );
    // @ts-expect-error the mask must be [8, 4]
    expect(() => mha(query, value, value, { attentionMask: Input([8, 5]) })).toThrow(
      'MultiHeadAttention: inputs disagree on axis 2: [8, 5] vs [8, 4] (the attention mask is [query steps, value steps])',
    );
    // @ts-expect-error the mask must be [8, 4], given without a key too
    expect(() => mha(query, value, { attentionMask: Input([4, 4]) })).toThrow(
      'MultiHeadAttention: inputs disagree on axis 1: [4, 4] vs [8, 4] (the attention mask is [query steps, value steps])',
    );
    expect(mha(query, value, { attentionMask: Input([8, 4]) }).shape).toEqual([8, 16]);
    // @ts-expect-error rank 1
    expect(() => mha(Input([16]), value)).toThrow(
      'MultiHeadAttention: expects input of rank 2 [steps, features], got [16] (rank 1); query, value and key are each [steps, features]',
    );
  });

  it('computes softmax(q·kᵀ / √keyDim, masked) · v per head, then the output projection, as written out by hand', async () => {
    clearSession();
    const [steps, valueSteps, features, heads, keyDim, valueDim, outDim] = [3, 2, 4, 2, 3, 2, 5];
    const query = Input([steps, features]);
    const value = Input([valueSteps, features]);
    const key = Input([valueSteps, features]);
    const mask = Input([steps, valueSteps]);
    const mha = MultiHeadAttention({ numHeads: heads, keyDim, valueDim, outputShape: outDim, name: 'mha' });
    const model = Model({
      inputs: [query, value, key, mask],
      outputs: mha(query, value, key, { attentionMask: mask }),
    });
    expect(model.countParams()).toBe(2 * (4 * 2 * 3 + 6) + (4 * 2 * 2 + 4) + (2 * 2 * 5 + 5));
    const layer = model.toLayersModel().getLayer('mha');
    // Random biases too, so that the check sees them.
    layer.setWeights(layer.getWeights().map((weight, index) => tf.randomNormal(weight.shape, 0, 1, 'float32', index)));
    const [wq, bq, wk, bk, wv, bv, wo, bo] = layer.getWeights().map(reader);
    const x: [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] = [
      tf.randomNormal([2, steps, features], 0, 1, 'float32', 11),
      tf.randomNormal([2, valueSteps, features], 0, 1, 'float32', 12),
      tf.randomNormal([2, valueSteps, features], 0, 1, 'float32', 13),
      tf.tensor3d([
        [
          [1, 1],
          [1, 0],
          [0, 1],
        ],
        [
          [1, 1],
          [0, 1],
          [1, 1],
        ],
      ]),
    ];
    const [q, v, k, m] = x.map(reader);
    if (!q || !v || !k || !m || !wq || !bq || !wk || !bk || !wv || !bv || !wo || !bo) throw new Error('missing');
    const project = (input: typeof q, w: typeof q, b: typeof q, batch: number, t: number, h: number, j: number) => {
      let sum = b(h, j);
      for (let f = 0; f < features; f++) sum += input(batch, t, f) * w(f, h, j);
      return sum;
    };
    const expected = (batch: number, t: number, o: number): number => {
      let total = bo(o);
      for (let h = 0; h < heads; h++) {
        const scores = Array.from({ length: valueSteps }, (_, s) => {
          let dot = 0;
          for (let j = 0; j < keyDim; j++)
            dot += project(q, wq, bq, batch, t, h, j) * project(k, wk, bk, batch, s, h, j);
          return dot / Math.sqrt(keyDim) + (1 - m(batch, t, s)) * -1e9;
        });
        const top = Math.max(...scores);
        const exps = scores.map((score) => Math.exp(score - top));
        const weights = exps.map((e) => e / exps.reduce((a, b) => a + b, 0));
        for (let c = 0; c < valueDim; c++) {
          const mixed = weights.reduce((sum, a, s) => sum + a * project(v, wv, bv, batch, s, h, c), 0);
          total += mixed * wo(h, c, o);
        }
      }
      return total;
    };
    const [out] = await model.predict(x);
    expectClose(out, (batch = 0, t = 0, o = 0) => expected(batch, t, o), 4);
  });

  it('self-attention trains (with dropout), saves and loads', async () => {
    clearSession();
    const tokens = Input([6, 8]);
    const attended = MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.1 })(tokens, tokens);
    const model = Model({ inputs: tokens, outputs: Dense(1)(Flatten()(attended)) });
    const x = tf.randomNormal([32, 6, 8], 0, 1, 'float32', 21);
    await fallingLoss(model, x, tf.mean(tf.reshape(x, [32, 48]), -1, true));
    await roundTrip(model, 'multi-head-attention', x);
  });
});
