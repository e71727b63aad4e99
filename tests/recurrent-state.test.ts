// Recurrent layers with several outputs and initial states: returnState gives [output, ...states] (LSTM h and
// c, GRU and SimpleRNN h), Bidirectional adds each direction's states, and `{ initialState }` starts a layer from
// states computed elsewhere (the RNN guide's encoder-decoder). Shapes at both levels, training, save and load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expectType } from 'tsd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Bidirectional,
  clearSession,
  Dense,
  Embedding,
  GRU,
  Input,
  KeratsError,
  LSTM,
  loadModel,
  Model,
  SimpleRNN,
  type SymbolicTensor,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-state-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

const shapes = (tensors: readonly { readonly shape: readonly unknown[] }[]) => tensors.map((tensor) => tensor.shape);

/** The RNN guide's encoder-decoder (keras.io/guides/working_with_rnns), line for line. */
function encoderDecoder() {
  clearSession();
  const encoderInput = Input([null], { dtype: 'int32', name: 'encoder_input' });
  const encoderEmbedded = Embedding(1000, 64)(encoderInput);
  const [, stateH, stateC] = LSTM(64, { returnState: true, name: 'encoder' })(encoderEmbedded);
  expectType<SymbolicTensor<[64], 'float32', 'encoder_input'>>(stateH);
  const decoderInput = Input([null], { dtype: 'int32', name: 'decoder_input' });
  const decoderEmbedded = Embedding(2000, 64)(decoderInput);
  const decoderOutput = LSTM(64, { name: 'decoder' })(decoderEmbedded, { initialState: [stateH, stateC] });
  expectType<SymbolicTensor<[64], 'float32', 'decoder_input' | 'encoder_input'>>(decoderOutput);
  const output = Dense(10)(decoderOutput);
  return Model({ inputs: [encoderInput, decoderInput], outputs: output });
}

describe('returnState', () => {
  it('LSTM returns [output, h, c]; GRU and SimpleRNN [output, h]; with or without returnSequences', () => {
    clearSession();
    const x = Input([12, 5]);
    const lstm = LSTM(8, { returnState: true })(x);
    expectType<[SymbolicTensor<[8], 'float32', never>, SymbolicTensor<[8]>, SymbolicTensor<[8]>]>(lstm);
    expect(shapes(lstm)).toEqual([[8], [8], [8]]);
    const gru = GRU(4, { returnState: true, returnSequences: true })(x);
    expectType<[SymbolicTensor<[12, 4], 'float32', never>, SymbolicTensor<[4], 'float32', never>]>(gru);
    expect(shapes(gru)).toEqual([[12, 4], [4]]);
    const [sequence, state] = SimpleRNN(3, { returnState: true })(x);
    expect([sequence.shape, state.shape]).toEqual([[3], [3]]);
    const model = Model({ inputs: x, outputs: [...lstm, ...gru] });
    // Keras 3: LSTM 4 * units * (features + units + 1); GRU (reset_after) 3 * units * (features + units + 2).
    expect(model.countParams()).toBe(4 * 8 * (5 + 8 + 1) + 3 * 4 * (5 + 4 + 2));
  });

  it('Bidirectional returns the merged output, then the forward states, then the backward ones', () => {
    clearSession();
    const x = Input([12, 5]);
    const outs = Bidirectional(LSTM(8, { returnState: true }))(x);
    expect(shapes(outs)).toEqual([[16], [8], [8], [8], [8]]);
    const [merged, forwardH] = outs;
    expectType<SymbolicTensor<[16], 'float32', never>>(merged);
    expectType<SymbolicTensor<[8], 'float32', never>>(forwardH);
  });

  it('predicts every output, the states equal to what the layer computes', async () => {
    clearSession();
    const x = Input([6, 3]);
    const [output, h, c] = LSTM(4, { returnState: true })(x);
    const model = Model({ inputs: x, outputs: [output, h, c] });
    const data = tf.randomNormal([2, 6, 3]);
    const [out, stateH, stateC] = await model.predict(data);
    expect([out?.shape, stateH?.shape, stateC?.shape]).toEqual([
      [2, 4],
      [2, 4],
      [2, 4],
    ]);
    // Without returnSequences, the output is the last h.
    expect(Array.from(out?.dataSync() ?? [])).toEqual(Array.from(stateH?.dataSync() ?? []));
    // Keras's row for a layer with several outputs: the list of shapes, wrapped in its column. One call reading
    // one tensor is Keras's sequential_like graph, printed without "Connected to".
    const row = model.summaryLines().filter((line) => /^ lstm \(LSTM\)|^ +\(None, 4\)/.test(line));
    expect(row.map((line) => line.trimEnd())).toEqual([
      ' lstm (LSTM)                 [(None, 4),               128',
      '                              (None, 4),',
      '                              (None, 4)]',
    ]);
  });
});

describe('initialState', () => {
  it("the RNN guide's encoder-decoder builds with Keras's parameter count (258,698), trains, saves and loads", async () => {
    const model = encoderDecoder().compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    // Keras: Embedding 64,000 + 128,000, two LSTM(64) on 64 features 33,024 each, Dense(10) 650.
    expect(model.countParams()).toBe(258_698);
    const encoder = tf.randomUniform([16, 7], 0, 1000, 'int32');
    const decoder = tf.randomUniform([16, 5], 0, 2000, 'int32');
    const target = tf.randomNormal([16, 10]);
    const history = await model.fit([encoder, decoder], target, { epochs: 6, batchSize: 8, verbose: 0 });
    const losses = history.history.loss ?? [];
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0);
    const directory = join(work, 'seq2seq');
    await model.save(directory);
    const loaded = await loadModel(directory);
    const [before] = await model.predict([encoder, decoder]);
    const [after] = await loaded.predict([encoder, decoder]);
    expect(Array.from(after?.dataSync() ?? [])).toEqual(Array.from(before?.dataSync() ?? []));
  });

  it('changes the result: the decoder starts from the given states', async () => {
    clearSession();
    const x = Input([4, 2]);
    const h = Input([3]);
    const c = Input([3]);
    const lstm = LSTM(3);
    const model = Model({ inputs: [x, h, c], outputs: lstm(x, { initialState: [h, c] }) });
    const data = tf.ones([1, 4, 2]);
    const [zero] = await model.predict([data, tf.zeros([1, 3]), tf.zeros([1, 3])]);
    const [started] = await model.predict([data, tf.ones([1, 3]), tf.ones([1, 3])]);
    expect(Array.from(zero?.dataSync() ?? [])).not.toEqual(Array.from(started?.dataSync() ?? []));
  });

  it('states of the wrong size or count are refused when the model is built, naming the state', () => {
    clearSession();
    const x = Input([4, 2]);
    const wrong = Input([5]);
    const run = (build: () => unknown): string => {
      try {
        build();
      } catch (error) {
        if (error instanceof KeratsError) return error.message;
        throw error;
      }
      return 'no error';
    };
    const sizes: number[] = [5];
    const unchecked = Input(sizes);
    expect(run(() => LSTM(3)(x, { initialState: [unchecked, unchecked] }))).toBe(
      'LSTM: initialState[0] must be [3] float32 (one per state: h, c), got [5] float32',
    );
    const states = [wrong];
    expect(run(() => LSTM(3)(x, { initialState: states }))).toBe('LSTM: initialState must be 2 tensors (h, c), got 1');
  });
});
