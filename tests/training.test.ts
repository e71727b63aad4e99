// Training on the embedded default backend (wasm): all eight models learn, nothing leaks, the multiple-output
// model trains where stock tfjs-layers cannot, bad data is refused before anything runs, and the callbacks work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bilstm,
  cnn,
  type Example,
  mlp,
  multipleInputs,
  multipleOutputs,
  rnn,
  sharedFeatureExtraction,
  sharedInput,
} from '../examples/index.ts';
import {
  type AnyTensor,
  BackendUnavailableError,
  Concatenate,
  Conv1D,
  Conv2D,
  clearSession,
  Dense,
  Dropout,
  EarlyStopping,
  Embedding,
  Flatten,
  Input,
  KeratsError,
  LSTM,
  Model,
  ModelCheckpoint,
  Reshape,
  type Tensors,
  useBackend,
} from '../src/index.ts';
import { lowering } from '../src/runtime/graph.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-train-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/** Trains an example briefly; returns the loss before and after, and the tensor count after each epoch. */
function trains<Inputs extends Tensors, Outputs extends Tensors>(
  example: Example<Inputs, Outputs>,
  samples: number,
  epochs: number,
) {
  return async () => {
    const { x, y } = example.data(samples);
    const model = example.model.compile(example.training);
    const before = (await model.evaluate(x, y)).loss ?? Number.NaN;
    const counts: number[] = [];
    const history = await model.fit(x, y, {
      epochs,
      batchSize: 32,
      verbose: 0,
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    const after = (await model.evaluate(x, y)).loss ?? Number.NaN;
    tf.dispose(
      [x, y].flatMap((data) =>
        data instanceof tf.Tensor ? [data] : Object.values(data).filter((each) => each instanceof tf.Tensor),
      ),
    );
    return { before, after, counts, history };
  };
}

describe('the eight reference models train on wasm, and their loss falls', () => {
  const cases = [
    ['MLP', trains(mlp, 256, 8)],
    ['CNN', trains(cnn, 64, 3)],
    ['RNN', trains(rnn, 128, 4)],
    ['bidirectional LSTM', trains(bilstm, 32, 3)],
    ['shared input layer', trains(sharedInput, 64, 3)],
    ['shared feature extraction', trains(sharedFeatureExtraction, 64, 3)],
    ['multiple inputs', trains(multipleInputs, 64, 2)],
    ['multiple outputs', trains(multipleOutputs, 64, 3)],
  ] as const;
  for (const [name, run] of cases)
    it(name, async () => {
      const { before, after, counts } = await run();
      expect(after).toBeLessThan(before);
      // No tensor leaks: the count is the same after every epoch (the optimizer's state is made in the first).
      expect(new Set(counts.slice(1)).size).toBeLessThanOrEqual(1);
      expect(counts.at(-1)).toBe(counts[0]);
    });
});

describe('the multiple-output model', () => {
  it('fails in stock tfjs-layers with the Keras losses, and trains in kerats', async () => {
    const { x, y } = multipleOutputs.data(32);
    const plain = multipleOutputs.model.toLayersModel();
    plain.compile({ optimizer: 'adam', loss: ['binaryCrossentropy', 'meanSquaredError'] });
    await expect(plain.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/could not be broadcast/);
    const model = multipleOutputs.model.compile({
      optimizer: 'adam',
      loss: ['binaryCrossentropy', 'meanSquaredError'],
    });
    const history = await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
  });

  it("reduces each output's loss to a scalar, then weights and adds them, as Keras does", async () => {
    const { x, y } = multipleOutputs.data(32);
    const model = multipleOutputs.model.compile({
      optimizer: 'adam',
      loss: ['binaryCrossentropy', 'meanSquaredError'],
      lossWeights: [1, 0.5],
    });
    const logs = await model.evaluate(x, y, { batchSize: 32 });
    const [classes, tags] = await model.predict(x);
    const [labels, targets] = y;
    if (!classes || !tags) throw new Error('two outputs expected');
    const bce = tf.tidy(() => {
      const p = tf.clipByValue(classes, 1e-7, 1 - 1e-7);
      return -(
        tf.mean(tf.add(tf.mul(labels, tf.log(p)), tf.mul(tf.sub(1, labels), tf.log(tf.sub(1, p))))).dataSync()[0] ??
        Number.NaN
      );
    });
    const mse = tf.tidy(() => tf.mean(tf.squaredDifference(tags, targets)).dataSync()[0] ?? Number.NaN);
    // Keras's key for an output's loss: its layer's name and `_loss`.
    const head = multipleOutputs.output1.node.layer.name;
    expect(logs[`${head}_loss`]).toBeCloseTo(bce, 4);
    expect(logs.loss).toBeCloseTo(bce + 0.5 * mse, 3);
  });
});

describe('bad data is refused before anything runs, with what was expected and what came', () => {
  clearSession();
  const extra = Input([3], { name: 'extra' });
  const ids = Input([10], { dtype: 'int32', name: 'ids' });
  const merged = Concatenate()([extra, LSTM(2)(Embedding(100, 3)(ids))]);
  const model = Model({ inputs: [extra, ids], outputs: Dense(1, { name: 'score' })(merged) });
  const compiled = model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });

  async function message(x: unknown, y: unknown): Promise<string> {
    try {
      await Reflect.apply(compiled.fit, compiled, [x, y, { verbose: 0 }]);
    } catch (error) {
      if (error instanceof KeratsError) return error.message;
      throw error;
    }
    throw new Error('expected a KeratsError');
  }
  const good = () => ({
    extra: tf.zeros([4, 3]),
    ids: tf.ones([4, 10], 'int32'),
  });
  const target = () => tf.zeros([4, 1]);

  it('a wrong shape', async () => {
    expect(await message({ ...good(), extra: tf.zeros([4, 5]) }, target())).toBe(
      "fit: input 'extra' expects [batch, 3] float32, got [4, 5]",
    );
    expect(await message(good(), tf.zeros([4, 2]))).toBe("fit: target 'score' expects [batch, 1] float32, got [4, 2]");
  });

  it('float ids for an Embedding (tfjs would truncate them)', async () => {
    expect(await message({ ...good(), ids: tf.ones([4, 10]) }, target())).toBe(
      "fit: input 'ids' expects [batch, 10] int32, got [4, 10] float32",
    );
  });

  it('an id out of the Embedding range, with the value and the sample', async () => {
    const bad = tf.tidy(() =>
      tf.concat([tf.ones([2, 10], 'int32'), tf.fill([1, 10], 100, 'int32'), tf.ones([1, 10], 'int32')]),
    );
    expect(await message({ ...good(), ids: bad }, target())).toBe(
      "fit: input 'ids' holds 100 at sample 2, but feeds Embedding 'embedding', whose ids must be in [0, 99]",
    );
  });

  it('the wrong number of inputs, an unknown name, unequal sample counts', async () => {
    expect(await message([tf.zeros([4, 3])], target())).toBe(
      "fit: the model has 2 inputs ('extra', 'ids'), got a list of 1",
    );
    expect(await message({ ...good(), image: tf.zeros([4, 64, 64, 1]) }, target())).toBe(
      "fit: the model has no input named 'image'; its inputs are 'extra', 'ids'",
    );
    expect(await message(good(), tf.zeros([3, 1]))).toBe(
      "fit: every input and target needs the same number of samples, got input 'extra' has 4, input 'ids' has 4, target 'score' has 3",
    );
  });

  it('NaN in the data, ragged arrays, and things that are not data', async () => {
    const withNaN = tf.tensor2d([
      [0, 0, 0],
      [0, Number.NaN, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(await message({ ...good(), extra: withNaN }, target())).toBe("fit: input 'extra' holds NaN at sample 1");
    expect(
      await message(
        {
          ...good(),
          extra: [
            [1, 2, 3],
            [1, 2],
          ],
        },
        target(),
      ),
    ).toMatch(/^fit: input 'extra' is not a rectangular array of numbers \(/);
    expect(await message({ ...good(), extra: 'pixels' }, target())).toBe(
      "fit: input 'extra' must be a tensor or nested arrays of numbers with the batch first, got 'pixels'",
    );
  });

  it('plain nested arrays are accepted', async () => {
    const history = await compiled.fit(
      {
        extra: [
          [1, 2, 3],
          [4, 5, 6],
        ],
        ids: [Array.from({ length: 10 }, () => 1), Array.from({ length: 10 }, () => 2)],
      },
      [[0.5], [1]],
      { verbose: 0 },
    );
    expect(history.epoch).toEqual([0]);
  });
});

describe('models and data that used to end in an unnamed tfjs error', () => {
  /** The model as untyped JavaScript sees it (methods are bivariant), to pass what the types refuse. */
  interface Untyped {
    predict(x: unknown, args?: unknown): Promise<unknown>;
    evaluate(x: unknown, y: unknown, args?: unknown): Promise<unknown>;
    fit(x: unknown, y: unknown, args?: unknown): Promise<unknown>;
  }
  async function refusal(run: () => Promise<unknown>): Promise<string> {
    try {
      await run();
    } catch (error) {
      if (error instanceof KeratsError) return error.message;
      throw error;
    }
    throw new Error('expected a KeratsError');
  }
  function small(): Untyped & ReturnType<typeof build> {
    return build();
  }
  function build() {
    clearSession();
    const x = Input([3], { name: 'x' });
    return Model({ inputs: x, outputs: Dense(2, { name: 'out' })(x) }).compile({
      optimizer: 'sgd',
      loss: 'meanSquaredError',
    });
  }

  it('an input that no output reads is still an input: predict, evaluate and fit take it (Keras allows it)', async () => {
    clearSession();
    const used = Input([3], { name: 'used' });
    const unused = Input([2], { name: 'unused' });
    const model = Model({ inputs: [used, unused], outputs: Dense(1)(used) }).compile({
      optimizer: 'sgd',
      loss: 'meanSquaredError',
    });
    expect(model.nodes.map((node) => node.layer.name)).toEqual(['used', 'unused', 'dense']);
    const x = [tf.ones([4, 3]), tf.ones([4, 2])] as const;
    const [out] = await model.predict(x);
    expect(out?.shape).toEqual([4, 1]);
    expect((await model.fit(x, tf.ones([4, 1]), { verbose: 0 })).epoch).toEqual([0]);
    expect(Object.keys(await model.evaluate(x, tf.ones([4, 1])))).toEqual(['loss']);
    const untyped: Untyped = model;
    expect(await refusal(() => untyped.predict([tf.ones([4, 3])]))).toBe(
      "predict: the model has 2 inputs ('used', 'unused'), got a list of 1",
    );
  });

  it('fit on a model with no trainable weights runs the step forward only, as Keras does', async () => {
    clearSession();
    const x = Input([3]);
    const model = Model({ inputs: x, outputs: Dropout(0.5)(x) }).compile({
      optimizer: 'adam',
      loss: 'meanSquaredError',
    });
    const history = await model.fit(tf.zeros([8, 3]), tf.ones([8, 3]), { epochs: 2, batchSize: 4, verbose: 0 });
    expect(history.history.loss).toEqual([1, 1]);
  });

  it('a batch size that is not a positive integer is refused by predict and evaluate (0 looped forever)', async () => {
    const model = small();
    for (const [batchSize, shown] of [
      [0, '0'],
      [-1, '-1'],
      [1.5, '1.5'],
      ['4', "'4'"],
      [Number.NaN, 'NaN'],
    ] as const) {
      expect(await refusal(() => model.predict(tf.ones([4, 3]), { batchSize }))).toBe(
        `predict: batchSize must be a positive integer, got ${shown}`,
      );
      expect(await refusal(() => model.evaluate(tf.ones([4, 3]), tf.ones([4, 2]), { batchSize }))).toBe(
        `evaluate: batchSize must be a positive integer, got ${shown}`,
      );
    }
  });

  it('no samples, and a disposed tensor, are refused with a sentence', async () => {
    const model = small();
    for (const [operation, run] of [
      ['predict', () => model.predict(tf.ones([0, 3]))],
      ['evaluate', () => model.evaluate(tf.ones([0, 3]), tf.ones([0, 2]))],
      ['fit', () => model.fit(tf.ones([0, 3]), tf.ones([0, 2]), { verbose: 0 })],
    ] as const)
      expect(await refusal(run)).toBe(`${operation}: input 'x' has no samples (its first axis, the batch, is 0)`);
    const disposed = tf.ones([4, 3]);
    disposed.dispose();
    expect(await refusal(() => model.predict(disposed))).toBe("predict: input 'x' is a tensor that was disposed");
  });

  it('plain arrays are checked as given: no null, true or string read as a number', async () => {
    const model = small();
    for (const [leaf, shown] of [
      [null, 'null'],
      [true, 'true'],
      ['2', "'2'"],
      [undefined, 'undefined'],
    ] as const)
      expect(
        await refusal(() =>
          model.predict([
            [1, 2, 3],
            [1, leaf, 3],
          ]),
        ),
      ).toBe(`predict: input 'x' holds ${shown} at sample 1, where a number is expected`);
    expect(await refusal(() => model.fit([[1, 2, 3]], [[0, null]], { verbose: 0 }))).toBe(
      "fit: target 'out' holds null at sample 0, where a number is expected",
    );
  });

  it('Embedding ids given as plain arrays are checked before they are converted (1.5, NaN, 2**32 read as 1, 0, 0)', async () => {
    clearSession();
    const ids = Input([3], { dtype: 'int32', name: 'ids' });
    const model: Untyped = Model({ inputs: ids, outputs: Embedding(10, 2)(ids) });
    for (const [id, shown] of [
      [1.5, '1.5'],
      [Number.NaN, 'NaN'],
      [2 ** 32, '4294967296'],
    ] as const)
      expect(
        await refusal(() =>
          model.predict([
            [1, 2, 3],
            [0, id, 0],
          ]),
        ),
      ).toBe(
        `predict: input 'ids' holds ${shown} at sample 1, where an int32 (an integer in [-2**31, 2**31)) is expected`,
      );
  });

  it("sizes the data gives a model's unknown dimensions are checked by each layer's rule, naming the layer", async () => {
    clearSession();
    const frames = Input([null, 4], { name: 'frames' });
    const reshaped = Model({ inputs: frames, outputs: Reshape([3, -1], { name: 'split' })(frames) });
    expect(await refusal(() => reshaped.predict(tf.zeros([2, 8, 4])))).toBe(
      "predict: with the sizes the data gives its unknown dimensions ('frames' [8, 4]), layer 'split' (Reshape) cannot run: Reshape: cannot reshape [8, 4] (32 elements) into [3, -1] (a multiple of 3 elements)",
    );
    const [fits] = await reshaped.predict(tf.zeros([2, 6, 4]));
    expect(fits?.shape).toEqual([2, 3, 8]);

    // tfjs' wasm backend computes a window larger than its input into NaN, without an error.
    const ids = Input([null], { dtype: 'int32', name: 'ids' });
    const windowed = Model({ inputs: ids, outputs: Conv1D(3, 4, { name: 'wide' })(Embedding(11, 6)(ids)) });
    expect(await refusal(() => windowed.predict(tf.zeros([2, 3], 'int32')))).toBe(
      "predict: with the sizes the data gives its unknown dimensions ('ids' [3]), layer 'wide' (Conv1D) cannot run: Conv1D: kernel size 4 spans 4 steps on axis 1, but the input [3, 6] has 3; use padding: 'same' or a smaller kernel",
    );

    const steps = Input([null, 2], { name: 'steps' });
    const fixed = Input([3, 2], { name: 'fixed' });
    const joined: Untyped = Model({
      inputs: [steps, fixed],
      outputs: Dense(1, { name: 'out' })(Concatenate({ name: 'join' })([steps, fixed])),
    }).compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(await refusal(() => joined.fit([tf.zeros([2, 5, 2]), tf.zeros([2, 3, 2])], tf.zeros([2, 3, 1])))).toBe(
      "fit: with the sizes the data gives its unknown dimensions ('steps' [5, 2]), layer 'join' (Concatenate) cannot run: Concatenate: inputs disagree on axis 1: [5, 2] vs [3, 2] (only axis -1 may differ; Flatten first?)",
    );
  });
});

describe('training control', () => {
  function tiny(name: string) {
    clearSession();
    const x = Input([4], { name: 'x' });
    return Model({ inputs: x, outputs: Dense(1, { name: `${name}_out` })(Dense(8, { activation: 'relu' })(x)), name });
  }
  const data = () =>
    tf.tidy(() => {
      const x = tf.randomNormal([64, 4], 0, 1, 'float32', 3);
      return { x, y: tf.sum(x, 1, true) };
    });

  it('a NaN loss stops training, naming the epoch and batch', async () => {
    const model = tiny('exploding').compile({
      optimizer: { name: 'sgd', learningRate: 1e6 },
      loss: 'meanSquaredError',
    });
    const { x, y } = data();
    let thrown: unknown;
    try {
      await model.fit(tf.mul(x, 1e3), y, { epochs: 5, batchSize: 8, verbose: 0 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KeratsError);
    expect(thrown instanceof Error ? thrown.message : '').toMatch(
      /^fit: the loss became (NaN|Infinity) at epoch \d+, batch \d+; training stopped \(lower the learning rate, or check the data for NaN or huge values\)$/,
    );
  });

  it('EarlyStopping stops when the loss stops improving, and can restore the best weights', async () => {
    const model = tiny('patient').compile({ optimizer: { name: 'sgd', learningRate: 0.01 }, loss: 'meanSquaredError' });
    const { x, y } = data();
    const stopper = EarlyStopping({ monitor: 'loss', minDelta: 1000, patience: 1, restoreBestWeights: true });
    const history = await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [stopper] });
    // Epoch 0 sets the best; epochs 1 and 2 do not improve by 1000; patience 1 stops after epoch 2.
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(stopper.stoppedEpoch()).toBe(2);
  });

  it('ModelCheckpoint saves every N epochs, and fit resumes from it', async () => {
    const model = tiny('resumable').compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const { x, y } = data();
    const directory = join(work, 'checkpoint');
    await model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [ModelCheckpoint(directory, { every: 2 })] });
    const resumed = await model.fit(x, y, { epochs: 4, verbose: 0, resumeFrom: directory });
    expect(resumed.epoch).toEqual([2, 3]);
    const other = tiny('other').compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await expect(other.fit(x, y, { epochs: 1, verbose: 0, resumeFrom: directory })).rejects.toThrow(
      /was saved from a different model: its layers differ from this one's \(this model has other_out where the save has 'resumable_out'\); a model built again in the same process gets new layer names, so call clearSession\(\) before building it, or name its layers$/,
    );
  });

  it('shows a bar on a terminal and one line per epoch elsewhere', async () => {
    const model = tiny('shown').compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['mae'] });
    const { x, y } = data();
    let terminal = '';
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      output: {
        isTTY: true,
        write: (text) => {
          terminal += text;
        },
      },
    });
    expect(terminal).toContain('Epoch 1/2\n');
    // A redrawn line starts with a carriage return and the terminal's erase-line sequence.
    const erase = `\r${String.fromCharCode(27)}[2K`;
    expect(terminal).toContain(`${erase}4/4 [${'='.repeat(30)}] - `);
    expect(terminal).toMatch(/4\/4 \[=+\] - \d+s \d+(?:s|ms|us)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}\n/);
    let file = '';
    const append = (text: string) => {
      file += text;
    };
    await model.fit(x, y, { epochs: 2, batchSize: 16, output: { isTTY: false, write: append } });
    // Keras's verbose 2: the epoch's heading (there are several), then one line.
    expect(file.split('\n').filter(Boolean)).toHaveLength(4);
    expect(file).toMatch(
      /^Epoch 1\/2\n4\/4 - \d+s - \d+(?:s|ms|us)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}\nEpoch 2\/2\n/,
    );
    // One epoch: no heading, as Keras's ProgbarLogger.
    let single = '';
    const write = (text: string) => {
      single += text;
    };
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 2, output: { write } });
    expect(single).toMatch(/^4\/4 - \d+s - \d+(?:s|ms|us)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}\n$/);
  });
});

describe('layers tfjs cannot train as they are, on wasm', () => {
  /** One epoch of Adam on a fixed target: the loss is finite after it and lower than before. */
  async function oneEpoch(x: AnyTensor, output: AnyTensor, shape: readonly number[]) {
    const model = Model({ inputs: x, outputs: Dense(1)(Flatten()(output)) }).compile({
      optimizer: { name: 'adam', learningRate: 0.01 },
      loss: 'meanSquaredError',
    });
    const data = tf.randomNormal([64, ...shape], 0, 1, 'float32', 5);
    const target = tf.tidy(() =>
      tf.reshape(
        tf.mean(
          data,
          shape.map((_, axis) => axis + 1),
        ),
        [64, 1],
      ),
    );
    const before = (await model.evaluate(data, target)).loss ?? Number.NaN;
    const history = await model.fit(data, target, { epochs: 1, batchSize: 16, verbose: 0 });
    const after = (await model.evaluate(data, target)).loss ?? Number.NaN;
    tf.dispose([data, target]);
    expect(Number.isFinite(history.history.loss?.[0])).toBe(true);
    expect(after).toBeLessThan(before);
  }

  it("a dilated Conv2D computes what tfjs-layers' own computes", () => {
    clearSession();
    const options = { dilationRate: 2, padding: 'same', activation: 'relu' } as const;
    const y = Conv2D(3, 3, options)(Input([8, 8, 2]));
    const ours = y.node.layer.spec.lower('ours', [], lowering);
    const theirs = tf.layers.conv2d({ filters: 3, kernelSize: 3, ...options, name: 'theirs' });
    const x = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 3);
    theirs.apply(x);
    ours.apply(x);
    ours.setWeights(theirs.getWeights());
    const [a, b] = [ours, theirs].map((layer) => layer.apply(x));
    expect(a instanceof tf.Tensor && b instanceof tf.Tensor).toBe(true);
    if (a instanceof tf.Tensor && b instanceof tf.Tensor) {
      expect(a.shape).toEqual(b.shape);
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    }
    tf.dispose([x, a, b].filter((each) => each instanceof tf.Tensor));
  });

  it('a Conv1D with dilationRate 2 (tfjs has no gradient for a dilated convolution)', async () => {
    clearSession();
    const x = Input([12, 2]);
    await oneEpoch(x, Conv1D(4, 3, { dilationRate: 2, activation: 'tanh' })(x), [12, 2]);
  });

  it("a Conv2D with dilationRate 2, 'valid' and 'same', with and without an activation", async () => {
    clearSession();
    const x = Input([9, 9, 2]);
    await oneEpoch(x, Conv2D(3, 3, { dilationRate: 2 })(x), [9, 9, 2]);
    const same = Input([8, 8, 2]);
    await oneEpoch(same, Conv2D(3, 3, { dilationRate: [2, 1], padding: 'same', activation: 'relu' })(same), [8, 8, 2]);
  });
});

describe('backends', () => {
  it('an explicit request for a backend that is not installed says what to do', async () => {
    await expect(useBackend('gpu')).rejects.toThrow(BackendUnavailableError);
    await expect(useBackend('gpu')).rejects.toThrow(/CUDA 11\.2 and cuDNN 8\.1/);
    await expect(useBackend('native')).rejects.toThrow(/Install @tensorflow\/tfjs-node@4\.22\.0/);
    expect(await useBackend('wasm')).toBe('wasm');
  });

  it('data made on another backend before the switch is read correctly (tfjs moves widened casts wrongly)', async () => {
    clearSession();
    const x = Input([1]);
    const model = Model({ inputs: x, outputs: Dense(1, { useBias: false })(x) }).compile({
      optimizer: 'sgd',
      loss: 'meanSquaredError',
    });
    const labels = [1, 0, 1, 1];
    expect(await useBackend('cpu')).toBe('cpu');
    model.toLayersModel().setWeights([tf.ones([1, 1])]);
    // On the cpu backend, cast(bool -> float32) shares the bool bytes.
    const inputs = tf.reshape(tf.cast(tf.greater(tf.tensor1d([0.9, 0.1, 0.8, 0.7]), 0.5), 'float32'), [4, 1]);
    const targets = labels.map((label) => [label]);
    expect(await useBackend('wasm')).toBe('wasm');
    // The kernel is 1: the prediction equals the input, and the loss is 0 (in fit, evaluated before the update).
    const history = await model.fit(inputs, targets, { batchSize: 4, verbose: 0 });
    expect(history.history.loss).toEqual([0]);
    expect((await model.evaluate(inputs, targets)).loss).toBe(0);
    const [prediction] = await model.predict(inputs);
    expect(Array.from(prediction?.dataSync() ?? [])).toEqual(labels);
  });
});
