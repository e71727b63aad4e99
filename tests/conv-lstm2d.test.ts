// ConvLSTM2D at run time: Keras's parameter count and summary row, training on a tiny video batch, save and load,
// returnState and initialState (h and c of [rows', cols', filters]), and the options kerats refuses.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expectType } from 'tsd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConvLSTM2D,
  clearSession,
  Dense,
  GlobalAveragePooling2D,
  Input,
  KeratsError,
  loadModel,
  Model,
  type SymbolicTensor,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-convlstm-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/** The message of the KeratsError `build` throws. */
function message(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    if (error instanceof KeratsError) return error.message;
    throw error;
  }
  return 'no error';
}

const values = (tensor: tf.Tensor | undefined): number[] => Array.from(tensor?.dataSync() ?? []);

describe('ConvLSTM2D', () => {
  it("counts Keras's parameters: 4 * filters * kh * kw * (channels + filters) + 4 * filters", () => {
    clearSession();
    const video = Input([10, 32, 32, 3]);
    const out = ConvLSTM2D(16, 3)(video);
    expect(out.shape).toEqual([30, 30, 16]);
    const model = Model({ inputs: video, outputs: out });
    // Keras 3: kernel 3*3*3*64 = 1,728, recurrent_kernel 3*3*16*64 = 9,216, bias 64.
    expect(model.countParams()).toBe(11_008);
    expect(model.countParams()).toBe(4 * 16 * 3 * 3 * (3 + 16) + 4 * 16);
    const row = model.summaryLines().find((line) => line.startsWith(' conv_lstm2d'));
    expect(row?.replace(/ +/g, ' ').trim()).toBe('conv_lstm2d (ConvLSTM2D) (None, 30, 30, 16) 11008');
    clearSession();
    const wide = Input([4, 9, 7, 2]);
    const strided = ConvLSTM2D(5, [3, 2], { strides: [2, 1], padding: 'same', useBias: false, returnSequences: true });
    const sequence = strided(wide);
    expect(sequence.shape).toEqual([4, 5, 7, 5]);
    expect(Model({ inputs: wide, outputs: sequence }).countParams()).toBe(4 * 5 * 3 * 2 * (2 + 5));
  });

  it('trains on a tiny video batch: the loss falls; a save loads with the same predictions', async () => {
    clearSession();
    const video = Input([4, 6, 6, 1], { name: 'video' });
    const features = ConvLSTM2D(4, 3, { padding: 'same', name: 'conv_lstm' })(video);
    expectType<SymbolicTensor<[6, 6, 4], 'float32', 'video'>>(features);
    const output = Dense(1)(GlobalAveragePooling2D()(features));
    const model = Model({ inputs: video, outputs: output }).compile({
      optimizer: { name: 'adam', learningRate: 0.01 },
      loss: 'meanSquaredError',
    });
    // Keras's weights, in its order; unitForgetBias starts the forget gate's bias (the second quarter) at 1.
    const weights = model.getLayer('conv_lstm').getWeights();
    expect(weights.map((weight) => weight.shape)).toEqual([[3, 3, 1, 16], [3, 3, 4, 16], [16]]);
    expect(values(weights[2])).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Clips of different brightness; the target is the brightness.
    const brightness = tf.randomUniform([16, 1], 0, 1, 'float32', 5);
    const clips = tf.randomUniform([16, 4, 6, 6, 1], 0, 1, 'float32', 7).mul(brightness.reshape([16, 1, 1, 1, 1]));
    const targets = brightness.mul(2).sub(1);
    const history = await model.fit(clips, targets, { epochs: 12, batchSize: 8, verbose: 0 });
    const losses = history.history.loss ?? [];
    expect(losses).toHaveLength(12);
    expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) / 2);
    const directory = join(work, 'video');
    await model.save(directory);
    const loaded = await loadModel(directory);
    expect(loaded.countParams()).toBe(model.countParams());
    expect(loaded.getLayer('conv_lstm').className).toBe('ConvLSTM2D');
    const [before] = await model.predict(clips);
    const [after] = await loaded.predict(clips);
    expect(values(after)).toEqual(values(before));
    // The save is tfjs's own format: plain tf.loadLayersModel rebuilds tfjs's ConvLSTM2D with the same result.
    const json = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    const [group] = json.weightsManifest;
    const bytes = readFileSync(join(directory, group.paths[0]));
    const weightData = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(weightData).set(bytes);
    const plain = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }),
    );
    const direct = plain.predict(clips);
    const expected = values(before);
    const actual = values(direct instanceof tf.Tensor ? direct : undefined);
    expect(actual).toHaveLength(expected.length);
    for (const [index, value] of expected.entries()) expect(actual[index]).toBeCloseTo(value, 5);
  });

  it("computes Keras's cell (conv_lstm.py): gates i, f, c, o in that order, sigmoid gates, 'same' recurrent conv", async () => {
    clearSession();
    const clip = Input([3, 4, 5, 2]);
    const model = Model({ inputs: clip, outputs: ConvLSTM2D(3, [3, 2], { padding: 'same', name: 'cell' })(clip) });
    const layer = model.getLayer('cell');
    const [kernel, recurrent, bias] = [
      tf.randomNormal([3, 2, 2, 12], 0, 0.5, 'float32', 31),
      tf.randomNormal([3, 2, 3, 12], 0, 0.5, 'float32', 32),
      tf.randomNormal([12], 0, 0.5, 'float32', 33),
    ];
    layer.setWeights([kernel, recurrent, bias]);
    const x = tf.randomNormal([2, 3, 4, 5, 2], 0, 1, 'float32', 34);
    // Keras's ConvLSTMCell.call, step by step, from zero states.
    const expected = tf.tidy(() => {
      let h: tf.Tensor4D = tf.zeros([2, 4, 5, 3]);
      let c: tf.Tensor4D = tf.zeros([2, 4, 5, 3]);
      for (const step of tf.unstack(x, 1)) {
        const z = tf.add(
          tf.add(tf.conv2d(step.as4D(2, 4, 5, 2), kernel.as4D(3, 2, 2, 12), 1, 'same'), bias),
          tf.conv2d(h, recurrent.as4D(3, 2, 3, 12), 1, 'same'),
        );
        const [zi, zf, zc, zo] = tf.split(z, 4, 3);
        if (zi === undefined || zf === undefined || zc === undefined || zo === undefined) throw new Error('split');
        c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
        h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
      }
      return values(h);
    });
    const [out] = await model.predict(x);
    const actual = values(out);
    expect(actual).toHaveLength(2 * 4 * 5 * 3);
    for (const [index, value] of expected.entries()) expect(actual[index]).toBeCloseTo(value, 5);
  });

  it("trains with dropout, recurrentDropout, goBackwards and a dilation (the dilated gradient is kerats' own)", async () => {
    clearSession();
    const video = Input([3, 7, 7, 2]);
    const features = ConvLSTM2D(3, 3, { dilationRate: 2, dropout: 0.2, recurrentDropout: 0.2, goBackwards: true })(
      video,
    );
    expect(features.shape).toEqual([3, 3, 3]);
    const model = Model({ inputs: video, outputs: Dense(1)(GlobalAveragePooling2D()(features)) }).compile({
      optimizer: { name: 'adam', learningRate: 0.01 },
      loss: 'meanSquaredError',
    });
    const clips = tf.randomNormal([8, 3, 7, 7, 2], 0, 1, 'float32', 11);
    const targets = tf.randomNormal([8, 1], 0, 1, 'float32', 12);
    const kernel = () => values(model.getLayer('conv_lstm2d').getWeights()[0]);
    const before = kernel();
    const history = await model.fit(clips, targets, { epochs: 2, batchSize: 4, verbose: 0 });
    expect((history.history.loss ?? []).every(Number.isFinite)).toBe(true);
    expect(kernel()).not.toEqual(before);
    // In inference dropout is off: two predictions agree.
    const [first] = await model.predict(clips);
    const [second] = await model.predict(clips);
    expect(values(first)).toEqual(values(second));
  });

  it('returnState gives the output, h and c; initialState starts a layer from them', async () => {
    clearSession();
    const frames = Input([3, 5, 5, 2], { name: 'frames' });
    const [last, h, c] = ConvLSTM2D(3, 3, { returnState: true, padding: 'same' })(frames);
    expect([last.shape, h.shape, c.shape]).toEqual([
      [5, 5, 3],
      [5, 5, 3],
      [5, 5, 3],
    ]);
    const next = Input([2, 5, 5, 2], { name: 'next' });
    const decoded = ConvLSTM2D(3, 3, { padding: 'same', returnSequences: true })(next, { initialState: [h, c] });
    expectType<SymbolicTensor<[2, 5, 5, 3], 'float32', 'next' | 'frames'>>(decoded);
    const model = Model({ inputs: [frames, next], outputs: [last, h, c, decoded] });
    const data = tf.randomNormal([2, 3, 5, 5, 2], 0, 1, 'float32', 3);
    const follow = tf.randomNormal([2, 2, 5, 5, 2], 0, 1, 'float32', 4);
    const [out, stateH, stateC, sequence] = await model.predict([data, follow]);
    expect([out?.shape, stateH?.shape, stateC?.shape, sequence?.shape]).toEqual([
      [2, 5, 5, 3],
      [2, 5, 5, 3],
      [2, 5, 5, 3],
      [2, 2, 5, 5, 3],
    ]);
    // Without returnSequences the output is the last h.
    expect(values(out)).toEqual(values(stateH));
    // The states change what the second layer computes.
    clearSession();
    const x = Input([2, 4, 4, 1]);
    const hIn = Input([4, 4, 2]);
    const cIn = Input([4, 4, 2]);
    const layer = ConvLSTM2D(2, 3, { padding: 'same' });
    const started = Model({ inputs: [x, hIn, cIn], outputs: layer(x, { initialState: [hIn, cIn] }) });
    const clip = tf.ones([1, 2, 4, 4, 1]);
    const [zero] = await started.predict([clip, tf.zeros([1, 4, 4, 2]), tf.zeros([1, 4, 4, 2])]);
    const [ones] = await started.predict([clip, tf.ones([1, 4, 4, 2]), tf.ones([1, 4, 4, 2])]);
    expect(values(zero)).not.toEqual(values(ones));
  });

  it('refuses what Keras or tfjs refuses, with the type-level sentence', () => {
    clearSession();
    const sizes: number[] = [10, 32, 32];
    expect(message(() => ConvLSTM2D(4, 3)(Input(sizes)))).toBe(
      'ConvLSTM2D: expects input of rank 4 [time, rows, cols, channels], got [10, 32, 32] (rank 3); Reshape to [time, rows, cols, channels] first, or Conv2D for one image?',
    );
    const rows: (number | null)[] = [10, null, 32, 3];
    expect(message(() => ConvLSTM2D(4, 3)(Input(rows)))).toBe(
      'ConvLSTM2D: axis 2 of the input [10, null, 32, 3] must be known (it sizes the states, as in Keras)',
    );
    const video: number[] = [10, 32, 32, 3];
    expect(message(() => ConvLSTM2D(4, 40)(Input(video)))).toBe(
      "ConvLSTM2D: kernel size 40 spans 40 steps on axis 2, but the input [10, 32, 32, 3] has 32; use padding: 'same' or a smaller kernel",
    );
    const state: number[] = [16, 16, 4];
    expect(message(() => ConvLSTM2D(4, 3)(Input(video), { initialState: [Input(state), Input(state)] }))).toBe(
      'ConvLSTM2D: initialState[0] must be [30, 30, 4] float32 (one per state: h, c), got [16, 16, 4] float32',
    );
    const good: number[] = [30, 30, 4];
    expect(message(() => ConvLSTM2D(4, 3)(Input(video), { initialState: [Input(good)] }))).toBe(
      'ConvLSTM2D: initialState must be 2 tensors (h, c), got 1',
    );
    const options: { readonly [key: string]: unknown } = { dataFormat: 'channelsFirst' };
    expect(message(() => ConvLSTM2D(4, 3, options))).toBe(
      "ConvLSTM2D: dataFormat must be one of 'channelsLast', got 'channelsFirst'",
    );
    const stateful: { readonly [key: string]: unknown } = { stateful: true };
    expect(message(() => ConvLSTM2D(4, 3, stateful))).toBe(
      'ConvLSTM2D: stateful must be false (a stateful layer needs a fixed batch size, which kerats leaves out), got true',
    );
    const unroll: { readonly [key: string]: unknown } = { unroll: true };
    expect(message(() => ConvLSTM2D(4, 3, unroll))).toBe(
      'ConvLSTM2D: unroll must be absent (a convolutional recurrent layer does not unroll, in Keras or tfjs), got true',
    );
    const filters: number = 2.5;
    expect(message(() => ConvLSTM2D(filters, 3))).toBe('ConvLSTM2D: filters must be a positive integer, got 2.5');
  });
});
