// GRU's two conventions (kerats issue 10): Keras 3's default reset_after=True (bias [2, 3 * units], the reset gate
// applied after the recurrent matmul) and Keras 2's reset_after=False (bias [3 * units], tfjs-layers' GRU). Keras 3:
// keras/src/layers/rnn/gru.py (GRUCell.build and GRUCell.call).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Bidirectional,
  clearSession,
  Dense,
  Embedding,
  GRU,
  Input,
  loadModel,
  Model,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-gru-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  await useBackend('cpu');
});

/** Keras 3's count: 3 * (units * (features + units) + biases * units), biases 2 with reset_after, else 1. */
const kerasCount = (units: number, features: number, resetAfter: boolean) =>
  3 * (units * (features + units) + (resetAfter ? 2 : 1) * units);

const values = (tensor: tf.Tensor | undefined): number[] => Array.from(tensor?.dataSync() ?? []);

describe('GRU parameter counts', () => {
  it("GRU(32) on [10, 8] has Keras 3's 4032 parameters, 3936 with resetAfter: false", () => {
    clearSession();
    const x = Input([10, 8]);
    const model = Model({ inputs: x, outputs: [GRU(32)(x), GRU(32, { resetAfter: false })(x)] });
    expect(kerasCount(32, 8, true)).toBe(4032);
    expect(model.getLayer('gru').countParams()).toBe(4032);
    expect(model.getLayer('gru_1').countParams()).toBe(kerasCount(32, 8, false));
    expect(model.getLayer('gru_1').countParams()).toBe(3936);
    // The bias is [2, 3 * units] (input and recurrent), or [3 * units].
    expect(
      model
        .getLayer('gru')
        .getWeights()
        .map((weight) => weight.shape),
    ).toEqual([
      [8, 96],
      [32, 96],
      [2, 96],
    ]);
    expect(
      model
        .getLayer('gru_1')
        .getWeights()
        .map((weight) => weight.shape),
    ).toEqual([[8, 96], [32, 96], [96]]);
    // tfjs's own model holds the same weights.
    expect(model.toLayersModel().countParams()).toBe(4032 + 3936);
    const rows = model.summaryLines().filter((line) => /^ gru/.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/ 4032 /);
    expect(rows[1]).toMatch(/ 3936 /);
  });

  it('without a bias both conventions have 3 * units * (features + units); Bidirectional doubles the count', () => {
    clearSession();
    const x = Input([10, 8]);
    const model = Model({
      inputs: x,
      outputs: [
        GRU(32, { useBias: false })(x),
        GRU(32, { useBias: false, resetAfter: false })(x),
        Bidirectional(GRU(16))(x),
        Bidirectional(GRU(16, { resetAfter: false }))(x),
      ],
    });
    expect(model.getLayer('gru').countParams()).toBe(3 * 32 * 40);
    expect(model.getLayer('gru_1').countParams()).toBe(3 * 32 * 40);
    expect(model.getLayer('bidirectional').countParams()).toBe(2 * kerasCount(16, 8, true));
    expect(model.getLayer('bidirectional_1').countParams()).toBe(2 * kerasCount(16, 8, false));
    expect(model.toLayersModel().countParams()).toBe(
      2 * 3 * 32 * 40 + 2 * kerasCount(16, 8, true) + 2 * kerasCount(16, 8, false),
    );
  });
});

/** One step of Keras 3's GRUCell.call (implementation 2), written in tfjs ops from the formulas. */
function handStep(
  x: tf.Tensor2D,
  h: tf.Tensor2D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor,
  resetAfter: boolean,
): tf.Tensor {
  return tf.tidy(() => {
    const units = h.shape[1];
    const part = (t: tf.Tensor, index: number) => tf.slice(t, [0, index * units], [-1, units]);
    const inputBias = resetAfter ? tf.slice(bias, [0, 0], [1, 3 * units]).reshape([3 * units]) : bias;
    const xw = tf.add(tf.matMul(x, kernel), inputBias);
    if (resetAfter) {
      const recurrentBias = tf.slice(bias, [1, 0], [1, 3 * units]).reshape([3 * units]);
      const hu = tf.add(tf.matMul(h, recurrentKernel), recurrentBias);
      const z = tf.sigmoid(tf.add(part(xw, 0), part(hu, 0)));
      const r = tf.sigmoid(tf.add(part(xw, 1), part(hu, 1)));
      const candidate = tf.tanh(tf.add(part(xw, 2), tf.mul(r, part(hu, 2))));
      return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
    }
    const gates = tf.slice(recurrentKernel, [0, 0], [units, 2 * units]);
    const hu = tf.matMul(h, gates);
    const z = tf.sigmoid(tf.add(part(xw, 0), part(hu, 0)));
    const r = tf.sigmoid(tf.add(part(xw, 1), part(hu, 1)));
    const candidateKernel = tf.slice(recurrentKernel, [0, 2 * units], [units, units]);
    const candidate = tf.tanh(tf.add(part(xw, 2), tf.matMul(tf.mul(r, h), candidateKernel)));
    return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
  });
}

describe('GRU computes one step as Keras', () => {
  for (const resetAfter of [true, false]) {
    it(`resetAfter: ${resetAfter}, from a given state, with random weights`, async () => {
      clearSession();
      const [features, units] = [3, 4];
      const x = Input([1, features]);
      const h0 = Input([units]);
      const out = GRU(units, { resetAfter, name: 'cell' })(x, { initialState: [h0] });
      const model = Model({ inputs: [x, h0], outputs: out });
      const kernel = tf.randomNormal<tf.Rank.R2>([features, 3 * units], 0, 0.7, 'float32', 1);
      const recurrentKernel = tf.randomNormal<tf.Rank.R2>([units, 3 * units], 0, 0.7, 'float32', 2);
      const bias = tf.randomNormal(resetAfter ? [2, 3 * units] : [3 * units], 0, 0.5, 'float32', 3);
      model.getLayer('cell').setWeights([kernel, recurrentKernel, bias]);
      const input = tf.randomNormal<tf.Rank.R3>([2, 1, features], 0, 1, 'float32', 4);
      const state = tf.randomNormal<tf.Rank.R2>([2, units], 0, 1, 'float32', 5);
      const [predicted] = await model.predict([input, state]);
      const expected = handStep(input.reshape([2, features]), state, kernel, recurrentKernel, bias, resetAfter);
      expect(predicted?.shape).toEqual([2, units]);
      const got = values(predicted);
      for (const [index, value] of values(expected).entries()) expect(got[index]).toBeCloseTo(value, 5);
      // The other convention gives another value on these weights (the bias of the input kernel alone).
      const inputBias = resetAfter ? tf.slice(bias, [0, 0], [1, 3 * units]).reshape([3 * units]) : bias;
      const other = handStep(
        input.reshape([2, features]),
        state,
        kernel,
        recurrentKernel,
        resetAfter ? inputBias : tf.stack([bias, tf.zeros([3 * units])]),
        !resetAfter,
      );
      const gap = Math.max(...values(other).map((value, index) => Math.abs(value - (got[index] ?? 0))));
      expect(gap).toBeGreaterThan(1e-3);
    });
  }

  it('two steps chain the state; goBackwards reads the sequence reversed', async () => {
    clearSession();
    const x = Input([2, 3]);
    const forward = GRU(4, { name: 'forward', returnSequences: true })(x);
    const model = Model({ inputs: x, outputs: forward });
    const [kernel, recurrentKernel, bias] = model.getLayer('forward').getWeights();
    if (kernel === undefined || recurrentKernel === undefined || bias === undefined) throw new Error('no weights');
    // Non-zero biases, so that the recurrent one counts.
    model.getLayer('forward').setWeights([kernel, recurrentKernel, tf.randomNormal([2, 12], 0, 0.5, 'float32', 6)]);
    const weights = model.getLayer('forward').getWeights();
    const [k, u, b] = weights;
    if (k === undefined || u === undefined || b === undefined) throw new Error('no weights');
    const input = tf.randomNormal<tf.Rank.R3>([1, 2, 3], 0, 1, 'float32', 7);
    const [sequence] = await model.predict(input);
    const step = (t: number) => tf.slice(input, [0, t, 0], [1, 1, 3]).as2D(1, 3);
    const h1 = handStep(step(0), tf.zeros([1, 4]), k.as2D(3, 12), u.as2D(4, 12), b, true);
    const h2 = handStep(step(1), h1.as2D(1, 4), k.as2D(3, 12), u.as2D(4, 12), b, true);
    const got = values(sequence);
    for (const [index, value] of [...values(h1), ...values(h2)].entries()) expect(got[index]).toBeCloseTo(value, 5);

    clearSession();
    const y = Input([2, 3]);
    const backward = Model({ inputs: y, outputs: GRU(4, { name: 'backward', goBackwards: true })(y) });
    backward.getLayer('backward').setWeights(weights);
    const [last] = await backward.predict(input);
    const b1 = handStep(step(1), tf.zeros([1, 4]), k.as2D(3, 12), u.as2D(4, 12), b, true);
    const b2 = handStep(step(0), b1.as2D(1, 4), k.as2D(3, 12), u.as2D(4, 12), b, true);
    const lastValues = values(last);
    for (const [index, value] of values(b2).entries()) expect(lastValues[index]).toBeCloseTo(value, 5);
  });
});

describe('GRU with a mask', () => {
  it('a masked step keeps the state (Embedding maskZero), as Keras: [3, 5, 0, 0] ends as [3, 5]', async () => {
    clearSession();
    const long = Input([4], { dtype: 'int32' });
    const short = Input([2], { dtype: 'int32' });
    const embedding = Embedding(10, 2, { maskZero: true });
    const gru = GRU(3, { biasInitializer: 'ones' });
    const model = Model({ inputs: [long, short], outputs: [gru(embedding(long)), gru(embedding(short))] });
    const [padded, plain] = await model.predict([
      tf.tensor2d([[3, 5, 0, 0]], [1, 4], 'int32'),
      tf.tensor2d([[3, 5]], [1, 2], 'int32'),
    ]);
    const expected = values(plain);
    expect(expected.some((value) => Math.abs(value) > 1e-3)).toBe(true);
    const got = values(padded);
    for (const [index, value] of expected.entries()) expect(got[index]).toBeCloseTo(value, 6);
  });
});

describe('GRU trains', () => {
  for (const resetAfter of [true, false]) {
    it(`resetAfter: ${resetAfter}: the loss falls, with dropout and recurrent dropout too`, async () => {
      clearSession();
      const x = Input([6, 3]);
      const h = GRU(8, { resetAfter, dropout: 0.1, recurrentDropout: 0.1 })(x);
      const model = Model({ inputs: x, outputs: Dense(1)(h) }).compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      const data = tf.randomNormal([32, 6, 3], 0, 1, 'float32', 8);
      const target = tf.sum(data, [1, 2]).reshape([32, 1]).div(6);
      const before = await model.evaluate(data, target);
      const history = await model.fit(data, target, { epochs: 12, batchSize: 8, verbose: 0 });
      const after = await model.evaluate(data, target);
      const losses = history.history.loss;
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(after.loss).toBeLessThan(before.loss ?? Number.NaN);
      const [layer] = model.layers.filter((core) => core.className === 'GRU');
      expect(layer?.spec.config.resetAfter).toBe(resetAfter);
    });
  }
});

describe('GRU saves and loads', () => {
  const data = () => tf.randomNormal([4, 5, 3], 0, 1, 'float32', 9);

  it('resetAfter true, alone and in Bidirectional: loadModel and tf.loadLayersModel give the same predictions', async () => {
    clearSession();
    const x = Input([5, 3]);
    const seq = Bidirectional(GRU(4, { returnSequences: true }))(x);
    // Weight options with strings in their configs, which tfjs's save and load rewrite (snake_case, camelCase).
    const gru = GRU(6, {
      kernelInitializer: { className: 'varianceScaling', config: { mode: 'fan_out', distribution: 'uniform' } },
      recurrentConstraint: 'maxNorm',
    });
    const model = Model({ inputs: x, outputs: gru(seq) });
    const directory = join(work, 'reset-after');
    await model.save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.countParams()).toBe(model.countParams());
    expect(model.countParams()).toBe(2 * kerasCount(4, 3, true) + kerasCount(6, 8, true));
    const [expected] = await model.predict(data());
    const [again] = await loaded.predict(data());
    expect(values(again)).toEqual(values(expected));

    const json = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    const [group] = json.weightsManifest;
    const bytes = readFileSync(join(directory, group.paths[0]));
    const weightData = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(weightData).set(bytes);
    const plain = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }),
    );
    const direct = plain.predict(data());
    const actual = values(direct instanceof tf.Tensor ? direct : undefined);
    const wanted = values(expected);
    expect(actual).toHaveLength(wanted.length);
    for (const [index, value] of wanted.entries()) expect(actual[index]).toBeCloseTo(value, 5);
  });

  it('a save whose GRU config has no resetAfter key (made before it existed) loads as resetAfter: false', async () => {
    clearSession();
    const x = Input([5, 3]);
    const h = Bidirectional(GRU(4, { resetAfter: false, returnSequences: true }))(x);
    const model = Model({ inputs: x, outputs: GRU(6, { resetAfter: false })(h) });
    const directory = join(work, 'before-reset-after');
    await model.save(directory);
    // Remove the key, as a save made before this option was written.
    const path = join(directory, 'model.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const layers: { className: string; config: { [key: string]: unknown } }[] =
      json.userDefinedMetadata.kerats.graph.layers;
    const configs = layers.flatMap((layer) => {
      if (layer.className === 'GRU') return [layer.config];
      const inner = layer.config.layer;
      return typeof inner === 'object' && inner !== null && 'config' in inner ? [inner.config] : [];
    });
    expect(configs).toHaveLength(2);
    for (const config of configs) {
      expect(config).toHaveProperty('resetAfter', false);
      if (typeof config === 'object' && config !== null) Reflect.deleteProperty(config, 'resetAfter');
    }
    expect(JSON.stringify(layers)).not.toContain('resetAfter');
    writeFileSync(path, JSON.stringify(json));
    const loaded = await loadModel(directory);
    expect(loaded.countParams()).toBe(2 * kerasCount(4, 3, false) + kerasCount(6, 8, false));
    const [expected] = await model.predict(data());
    const [again] = await loaded.predict(data());
    expect(values(again)).toEqual(values(expected));
    const gru = loaded.layers.find((layer) => layer.className === 'GRU');
    expect(gru?.spec.config.resetAfter).toBe(false);
  });
});
