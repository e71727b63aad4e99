// Data bigger than memory: fit, evaluate and predict on datasets (async iterables, iterables, generator functions,
// tf.data.Dataset), each batch checked as in-memory data is and disposed after its step; the same training as the
// same batches in memory; Keras's rules for an iterator read once and for stepsPerEpoch; the progress bar with and
// without a known total; and a refusal, with the batch named, for each mistake.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Batch, clearSession, Dense, Input, KeratsError, Model, useBackend } from '../src/index.ts';

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

const features = 4;
const batchSize = 8;

/** Batch `index` of a deterministic regression problem, made fresh on each call. */
function batchAt(index: number): { xs: tf.Tensor; ys: tf.Tensor } {
  return tf.tidy(() => {
    const xs = tf.add(tf.mul(tf.range(0, batchSize * features).reshape([batchSize, features]), 0.01), index * 0.1);
    const ys = tf.sum(xs, 1, true);
    return { xs: tf.cast(xs, 'float32'), ys: tf.cast(ys, 'float32') };
  });
}

/** A model with set weights (kernel 0, bias 0), so that two of them train alike. */
function regression(warnings: string[] = []) {
  clearSession();
  const x = Input([features], { name: 'x' });
  const y = Dense(1, { kernelInitializer: 'zeros', name: 'y' })(x);
  return Model({ inputs: x, outputs: y, onWarning: (message) => warnings.push(message) }).compile({
    optimizer: { name: 'sgd', learningRate: 0.05 },
    loss: 'mse',
    metrics: ['mae'],
  });
}

const weightsOf = (model: ReturnType<typeof regression>) =>
  model
    .toLayersModel()
    .getWeights()
    .map((weight) => Array.from(weight.dataSync()));

async function* batches(count: number) {
  for (let index = 0; index < count; index++) yield batchAt(index);
}

/** The same batches in memory, in the same order. */
function inMemory(count: number) {
  const parts = Array.from({ length: count }, (_, index) => batchAt(index));
  const x = tf.concat(parts.map((part) => part.xs));
  const y = tf.concat(parts.map((part) => part.ys));
  tf.dispose(parts.map((part) => [part.xs, part.ys]));
  return { x, y };
}

const quiet = { verbose: 0 } as const;

describe('fit on a dataset trains as on the same batches in memory', () => {
  it('an async generator function, three epochs: the losses and weights of in-memory data, unshuffled', async () => {
    const memory = regression();
    const { x, y } = inMemory(5);
    const expected = await memory.fit(x, y, { epochs: 3, batchSize, shuffle: false, ...quiet });
    const dataset = regression();
    const history = await dataset.fit(() => batches(5), { epochs: 3, ...quiet });
    expect(history.epoch).toEqual([0, 1, 2]);
    for (const key of ['loss', 'mae'] as const)
      for (const [epoch, value] of expected.history[key].entries())
        expect(history.history[key][epoch]).toBeCloseTo(value, 5);
    const [kernel, bias] = weightsOf(dataset);
    const [expectedKernel, expectedBias] = weightsOf(memory);
    for (const [index, value] of (expectedKernel ?? []).entries()) expect(kernel?.[index]).toBeCloseTo(value, 5);
    expect(bias?.[0]).toBeCloseTo(expectedBias?.[0] ?? Number.NaN, 5);
    tf.dispose([x, y]);
  });

  it('every form of dataset and of batch gives the same first epoch', async () => {
    const { x, y } = inMemory(3);
    const expected = (await regression().fit(x, y, { batchSize, shuffle: false, ...quiet })).history.loss[0];
    tf.dispose([x, y]);
    const forms: [string, () => Parameters<ReturnType<typeof regression>['fit']>[0]][] = [
      ['an async generator object', () => batches(3)],
      [
        'a sync generator object',
        () =>
          (function* () {
            for (let index = 0; index < 3; index++) yield batchAt(index);
          })(),
      ],
      [
        'a generator function of Keras tuples [x, y]',
        () =>
          function* () {
            for (let index = 0; index < 3; index++) {
              const { xs, ys } = batchAt(index);
              yield [xs, ys] as const;
            }
          },
      ],
      [
        'Keras tuples [x, y, sampleWeight] of weight 1',
        () =>
          function* () {
            for (let index = 0; index < 3; index++) {
              const { xs, ys } = batchAt(index);
              yield [xs, ys, tf.ones([batchSize])] as const;
            }
          },
      ],
      [
        'records by input and output name, of nested arrays',
        () =>
          function* () {
            for (let index = 0; index < 3; index++) {
              const rows = Array.from({ length: batchSize }, (_, row) =>
                Array.from({ length: features }, (_, column) => (row * features + column) * 0.01 + index * 0.1),
              );
              yield { xs: { x: rows }, ys: { y: rows.map((row) => [row.reduce((sum, value) => sum + value, 0)]) } };
            }
          },
      ],
      [
        'a tf.data.Dataset of { xs, ys }',
        () =>
          tf.data.generator(function* () {
            for (let index = 0; index < 3; index++) yield batchAt(index);
          }),
      ],
    ];
    // tfjs's own pipeline: rows zipped into { xs, ys } elements, batched by tf.data.
    const rows = inMemory(3);
    forms.push([
      'tf.data.zip(...).batch(8)',
      () => tf.data.zip({ xs: tf.data.array(rows.x.unstack()), ys: tf.data.array(rows.y.unstack()) }).batch(batchSize),
    ]);
    for (const [form, make] of forms) {
      const history = await regression().fit(make(), quiet);
      expect(history.history.loss[0], form).toBeCloseTo(expected ?? Number.NaN, 5);
    }
    tf.dispose([rows.x, rows.y]);
  });

  it('a dataset larger than the test holds: 200 batches of fresh tensors, the tensor count bounded during fit', async () => {
    const model = regression();
    await model.fit(() => batches(2), quiet); // the optimizer's state is made on the first step
    const before = tf.memory().numTensors;
    let most = 0;
    let made = 0;
    async function* fresh() {
      for (let index = 0; index < 200; index++) {
        made++;
        yield batchAt(index % 5);
      }
    }
    await model.fit(fresh(), {
      verbose: 0,
      callbacks: [
        {
          onBatchEnd: () => {
            most = Math.max(most, tf.memory().numTensors);
          },
        },
      ],
    });
    expect(made).toBe(200);
    // 200 batches of two tensors were made; at most a batch's and a step's few are alive at once.
    expect(most - before).toBeLessThan(10);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('callbacks and History as with in-memory data; validationData as a dataset gives val_ keys', async () => {
    const model = regression();
    const seen: string[] = [];
    const history = await model.fit(() => batches(4), {
      epochs: 2,
      validationData: () => batches(2),
      verbose: 0,
      callbacks: [
        {
          onEpochBegin: (epoch) => void seen.push(`epoch ${epoch}`),
          onBatchEnd: (batch, logs) => void seen.push(`batch ${batch} ${typeof logs.loss}`),
          onEpochEnd: (epoch, logs) => void seen.push(`end ${epoch} ${Object.keys(logs).join(',')}`),
        },
      ],
    });
    expect(seen.slice(0, 6)).toEqual([
      'epoch 0',
      'batch 0 number',
      'batch 1 number',
      'batch 2 number',
      'batch 3 number',
      'end 0 loss,mae,val_loss,val_mae',
    ]);
    const scored = await model.evaluate(() => batches(2));
    const memory = inMemory(2);
    expect(history.history.val_loss[1]).toBeCloseTo(scored.loss ?? Number.NaN, 5);
    expect((await model.evaluate(memory.x, memory.y)).loss).toBeCloseTo(scored.loss ?? Number.NaN, 5);
    tf.dispose([memory.x, memory.y]);
  });

  it('in-memory data validates on a dataset too, validationSteps batches of it', async () => {
    const { x, y } = inMemory(2);
    const history = await regression().fit(x, y, {
      epochs: 2,
      validationData: batches(100),
      validationSteps: 3,
      ...quiet,
    });
    expect(history.history.val_loss).toHaveLength(2);
    tf.dispose([x, y]);
  });
});

describe('an iterator read once, stepsPerEpoch, and what Keras does when data runs out', () => {
  it('a generator object with epochs 3: one epoch reads it all, the second warns and stops (Keras: "ran out of data")', async () => {
    const warnings: string[] = [];
    const history = await regression(warnings).fit(batches(4), { epochs: 3, ...quiet });
    expect(history.epoch).toEqual([0]);
    expect(warnings).toEqual([
      'fit: the dataset ran out of data at epoch 2 of 3; training stopped after 1 epoch. An iterator (a generator object) is read once: give the generator function itself (a fresh iterator each epoch), a tf.data.Dataset, or stepsPerEpoch with at least stepsPerEpoch × epochs batches',
    ]);
  });

  it('stepsPerEpoch reads an iterator on across epochs; when it ends within an epoch, that epoch is the last', async () => {
    const warnings: string[] = [];
    const steps: number[] = [];
    const history = await regression(warnings).fit(batches(7), {
      epochs: 3,
      stepsPerEpoch: 5,
      verbose: 0,
      callbacks: [{ onEpochEnd: () => void steps.push(0), onBatchEnd: () => void steps.push(1) }],
    });
    expect(history.epoch).toEqual([0, 1]);
    expect(steps).toEqual([1, 1, 1, 1, 1, 0, 1, 1, 0]);
    expect(warnings).toEqual([
      'fit: the dataset ran out of data at epoch 2, after 2 of 5 steps (stepsPerEpoch); training stops after this epoch. Make sure the dataset yields at least stepsPerEpoch × epochs batches (15), or give one that can be read again (a generator function, a tf.data.Dataset)',
    ]);
  });

  it('stepsPerEpoch with a generator function draws on: a new pass when one ends, no warning; its iterators are closed', async () => {
    const warnings: string[] = [];
    let opened = 0;
    let closed = 0;
    let read = 0;
    const history = await regression(warnings).fit(
      async function* () {
        opened++;
        try {
          for (let index = 0; index < 3; index++) {
            read++;
            yield batchAt(index);
          }
        } finally {
          closed++;
        }
      },
      { epochs: 2, stepsPerEpoch: 4, ...quiet },
    );
    expect(history.epoch).toEqual([0, 1]);
    expect(warnings).toEqual([]);
    expect(read).toBe(8);
    expect([opened, closed]).toEqual([3, 3]);
  });

  it('an epoch whose dataset gives no batch at all is refused', async () => {
    await expect(regression().fit(batches(0), quiet)).rejects.toThrow('fit: the dataset gave no batches');
  });
});

describe('evaluate and predict on a dataset', () => {
  it("predict concatenates each batch's outputs, as Keras; a batch's targets are ignored", async () => {
    const model = regression();
    await model.fit(() => batches(3), quiet);
    const memory = inMemory(3);
    const [expected] = await model.predict(memory.x);
    const [fromTargets] = await model.predict(() => batches(3));
    const [fromInputs] = await model.predict(function* () {
      for (let index = 0; index < 3; index++) {
        const { xs, ys } = batchAt(index);
        ys.dispose();
        yield xs;
      }
    });
    expect(fromTargets?.shape).toEqual([24, 1]);
    expect(Array.from(fromTargets?.dataSync() ?? [])).toEqual(Array.from(expected?.dataSync() ?? []));
    expect(Array.from(fromInputs?.dataSync() ?? [])).toEqual(Array.from(expected?.dataSync() ?? []));
    const [two] = await model.predict(() => batches(3), { steps: 2 });
    expect(two?.shape).toEqual([16, 1]);
    tf.dispose([memory.x, memory.y, expected, fromTargets, fromInputs, two]);
  });

  it('evaluate reads a pass, or steps batches; the loss is the mean over the samples, as in memory', async () => {
    const model = regression();
    const memory = inMemory(2);
    const all = await model.evaluate(() => batches(5), { steps: 2 });
    expect(all.loss).toBeCloseTo((await model.evaluate(memory.x, memory.y)).loss ?? Number.NaN, 5);
    tf.dispose([memory.x, memory.y]);
  });
});

describe('the progress bar: step/total when the total is known, a step count and rate when not', () => {
  const capture = () => {
    const written: string[] = [];
    return { written, output: { isTTY: true, write: (text: string) => void written.push(text) } };
  };
  /** The last frame drawn for each epoch (the line before the newline). */
  const lines = (written: readonly string[]) =>
    written
      .join('')
      .split('\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the bar redraws with \r and ESC[2K.
      .map((line) => line.split('\r').map((frame) => frame.replace(/\u001b\[2K/g, '')));

  it('unknown: "n/Unknown" and a time per step in the first epoch; the count of the first is the total after', async () => {
    const { written, output } = capture();
    await regression().fit(() => batches(3), { epochs: 2, output });
    const frames = lines(written).flat();
    // A step under a millisecond (a quiet machine) is shown in us, as Keras shows it.
    expect(frames.some((frame) => /^ {6}1\/Unknown \d+s \d+(?:m|u)?s\/step - loss: /.test(frame))).toBe(true);
    expect(frames.some((frame) => frame.startsWith('3/3 [='))).toBe(true);
    expect(frames.filter((frame) => frame.includes('/Unknown')).every((frame) => !frame.startsWith('3/3'))).toBe(true);
  });

  it('known: stepsPerEpoch, or the size of a tf.data.Dataset', async () => {
    const sized = capture();
    const dataset = tf.data.array([0, 1, 2]).map((index) => batchAt(Number(index)));
    expect(dataset.size).toBe(3);
    await regression().fit(dataset, { output: sized.output });
    expect(
      lines(sized.written)
        .flat()
        .some((frame) => frame.startsWith('1/3 [')),
    ).toBe(true);
    const stepped = capture();
    await regression().fit(batches(10), { stepsPerEpoch: 4, output: stepped.output });
    expect(
      lines(stepped.written)
        .flat()
        .some((frame) => frame.startsWith('1/4 [')),
    ).toBe(true);
  });
});

describe('mistakes, refused before any work with what was expected, or at the batch that is wrong', () => {
  /** A dataset that records whether it was read. */
  function watched() {
    const state = { read: false };
    async function* read(): AsyncGenerator<Batch<tf.Tensor, tf.Tensor>> {
      state.read = true;
      yield batchAt(0);
    }
    return { state, dataset: read };
  }

  const refusals: [string, Record<string, unknown>, string][] = [
    [
      'batchSize',
      { batchSize: 32 },
      "fit: batchSize must be left out with a dataset (the dataset's batches have their own size; batch the dataset itself), got 32",
    ],
    [
      'shuffle',
      { shuffle: true },
      'fit: shuffle must be left out with a dataset (shuffle the dataset itself), got true',
    ],
    [
      'validationSplit',
      { validationSplit: 0.2 },
      'fit: validationSplit must be left out with a dataset (it holds out in-memory samples; give validationData), got 0.2',
    ],
    [
      'sampleWeight',
      { sampleWeight: [1] },
      'fit: sampleWeight must be left out with a dataset (give the weights in each batch, [x, y, sampleWeight]), got [1]',
    ],
    [
      'workers',
      { workers: 2 },
      "fit: workers must be 1 with a dataset (data-parallel training shares in-memory data with its worker threads; a dataset's batches are read on this thread), got 2",
    ],
    ['epochs', { epochs: 0 }, 'fit: epochs must be a positive integer, got 0'],
    ['validationSteps', { validationSteps: 1.5 }, 'fit: validationSteps must be a positive integer, got 1.5'],
    [
      'a generator object to validate on 3 times',
      { epochs: 3, validationData: batches(3) },
      'fit: validationData must be a dataset that can be read for each of the 3 validations (a function returning a fresh iterator, such as a generator function, or a tf.data.Dataset), or validationSteps, got an iterator, which is read once',
    ],
  ];

  for (const [what, options, message] of refusals)
    it(`${what}: ${message}`, async () => {
      const { state, dataset } = watched();
      const model = regression();
      // The runtime, untyped: some of these do not compile (type-tests/datasets.test-d.ts); the check is tested here.
      await expect(model.runtime.fit(dataset, options)).rejects.toThrow(message);
      expect(state.read).toBe(false);
    });

  it('validationSteps with in-memory validationData, and a third argument with a dataset', async () => {
    const model = regression();
    const { x, y } = inMemory(1);
    await expect(model.fit(x, y, { validationData: [x, y], validationSteps: 2, ...quiet })).rejects.toThrow(
      'fit: validationSteps must be left out unless validationData is a dataset (it counts its batches), got 2',
    );
    await expect(model.runtime.fit(batches(1), y, {})).rejects.toThrow(
      'fit: its arguments must be (dataset, options) with a dataset, whose batches hold the targets, got three arguments',
    );
    tf.dispose([x, y]);
  });

  it('a function that does not return an iterator', async () => {
    const model = regression();
    await expect(model.runtime.fit(() => 3, undefined, undefined)).rejects.toThrow(
      'fit: its dataset must be a function returning an iterator or an iterable of batches (a generator function), got a function returning 3',
    );
  });

  it('a batch that is not a batch, named by its epoch and index', async () => {
    const model = regression();
    async function* wrong() {
      yield batchAt(0);
      const { xs, ys } = batchAt(1);
      ys.dispose();
      yield xs;
    }
    await expect(model.runtime.fit(wrong(), {}, undefined)).rejects.toThrow(
      'fit (epoch 1, batch 2): the batch must be { xs, ys } or [x, y] (or [x, y, sampleWeight]), got a tensor [8, 4]',
    );
    async function* tfjsTypo() {
      const { xs, ys } = batchAt(0);
      yield { xs, y: ys };
    }
    await expect(model.runtime.fit(tfjsTypo(), {}, undefined)).rejects.toThrow(
      "fit (epoch 1, batch 1): the batch must be { xs, ys } or [x, y] (or [x, y, sampleWeight]), got an object with 'xs', 'y'",
    );
  });

  it("mismatched shapes at batch k: the in-memory check's sentence, with the batch named", async () => {
    const model = regression();
    const before = tf.memory().numTensors;
    async function* drifting() {
      yield batchAt(0);
      yield batchAt(1);
      yield { xs: tf.zeros([8, 5]), ys: tf.zeros([8, 1]) };
    }
    await expect(model.fit(drifting(), quiet)).rejects.toThrow(
      "fit (epoch 1, batch 3): input 'x' expects [batch, 4] float32, got [8, 5]",
    );
    async function* uneven() {
      yield { xs: tf.zeros([8, 4]), ys: tf.zeros([7, 1]) };
    }
    await expect(model.fit(uneven(), quiet)).rejects.toThrow('fit (epoch 1, batch 1): ');
    async function* badValidation() {
      yield { xs: tf.zeros([8, 4]), ys: tf.zeros([8, 2]) };
    }
    await expect(model.fit(() => batches(1), { validationData: badValidation(), ...quiet })).rejects.toThrow(
      "fit (validationData, batch 1): target 'y' expects [batch, 1]",
    );
    // The refused batches were disposed too (the optimizer's state, made at the first step, stays).
    expect(tf.memory().numTensors - before).toBeLessThan(6);
    await expect(model.evaluate(drifting())).rejects.toThrow(
      "evaluate (batch 3): input 'x' expects [batch, 4] float32, got [8, 5]",
    );
    // predict's outputs of the batches before the refused one are disposed too.
    const beforePredict = tf.memory().numTensors;
    await expect(model.predict(drifting())).rejects.toThrow(
      "predict (batch 3): input 'x' expects [batch, 4] float32, got [8, 5]",
    );
    expect(tf.memory().numTensors).toBe(beforePredict);
  });

  it('errors are KeratsErrors, as in-memory ones', async () => {
    const error = await regression()
      .fit(batches(0), quiet)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeratsError);
  });
});
