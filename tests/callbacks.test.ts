// Keras's callbacks, each against what Keras's source (keras/src/callbacks/*.py) makes of a case worked out by
// hand: ReduceLROnPlateau's learning rates on a plateau, LearningRateScheduler's rates and the weights they give,
// CSVLogger's file to the byte, LambdaCallback's order of calls, TerminateOnNaN, stopTraining, and each option's
// message.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackupAndRestore,
  type Callback,
  CSVLogger,
  clearSession,
  Dense,
  Input,
  LambdaCallback,
  LearningRateScheduler,
  Model,
  ReduceLROnPlateau,
  TerminateOnNaN,
  type TrainingControl,
  useBackend,
} from '../src/index.ts';
import { pythonFloat } from '../src/runtime/callbacks.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-callbacks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/**
 * y = w · x with w = 1 and no bias, trained by SGD on x = 1, y = 0 with the mean squared error: the loss is w²,
 * its gradient 2w, so each update is w ← w · (1 - 2 · lr), and the learning rates used can be read off w.
 */
function scalar(name: string, learningRate = 0.01) {
  clearSession();
  const x = Input([1], { name: `${name}_x` });
  const model = Model({ inputs: x, outputs: Dense(1, { useBias: false, name: `${name}_w` })(x), name });
  model.getLayer(`${name}_w`).setWeights([tf.tensor2d([[1]])]);
  return model.compile({ optimizer: { name: 'sgd', learningRate }, loss: 'meanSquaredError' });
}

function weightOf(model: ReturnType<typeof scalar>, name: string): number {
  const [kernel] = model.getLayer(`${name}_w`).getWeights();
  return kernel?.dataSync()[0] ?? Number.NaN;
}

const one = { x: [[1]], y: [[0]] };

/** Logs `values[epoch]` under `key` (before the callbacks after it in the list see the logs). */
function logs(key: string, values: readonly number[]): Callback {
  return LambdaCallback({ onEpochEnd: (epoch, _logs, training) => training.log(key, values[epoch] ?? Number.NaN) });
}

const f = Math.fround;

/** Where fit's progress and the callbacks' messages go, kept. */
function collector() {
  const parts: string[] = [];
  return { output: { write: (text: string) => void parts.push(text) }, text: () => parts.join('') };
}

describe('ReduceLROnPlateau', () => {
  it("reduces the rate on a plateau, with patience, cooldown and minLr, and the updates use it (Keras's rule)", async () => {
    const model = scalar('plateau', 0.1);
    // Worked out by hand from reduce_lr_on_plateau.py (patience 2, cooldown 1, factor 0.5, minLr 0.02): the rate
    // is logged before each epoch's reduction; epochs 3 and 5 reduce (wait reaches 2), 6 improves, 8 reduces to
    // minLr, and 10 and 11 cannot go lower.
    const score = [1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8];
    const expected = [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02].map(f);
    const printed = collector();
    const history = await model.fit(one.x, one.y, {
      epochs: 12,
      verbose: 0,
      output: printed.output,
      callbacks: [
        logs('score', score),
        ReduceLROnPlateau({
          monitor: 'score',
          mode: 'min',
          factor: 0.5,
          patience: 2,
          cooldown: 1,
          minLr: 0.02,
          verbose: 1,
        }),
      ],
    });
    expect(history.history.learning_rate).toEqual(expected);
    // One batch per epoch at the rate logged for it: w = Π (1 - 2 · lr).
    const w = expected.reduce((product, rate) => product * (1 - 2 * rate), 1);
    expect(weightOf(model, 'plateau')).toBeCloseTo(w, 6);
    expect(printed.text()).toBe(
      [
        '\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.\n',
        '\nEpoch 6: ReduceLROnPlateau reducing learning rate to 0.02500000037252903.\n',
        '\nEpoch 9: ReduceLROnPlateau reducing learning rate to 0.02.\n',
      ].join(''),
    );
  });

  it('improves only by more than minDelta, and reads the direction from the name in auto mode', async () => {
    const model = scalar('delta', 0.1);
    // mode 'auto' on an accuracy: it must rise by more than 0.05; 0.52 and 0.54 do not, so epoch 2 reduces.
    const history = await model.fit(one.x, one.y, {
      epochs: 4,
      verbose: 0,
      callbacks: [
        logs('val_accuracy', [0.5, 0.52, 0.54, 0.7]),
        ReduceLROnPlateau({ monitor: 'val_accuracy', minDelta: 0.05, patience: 2 }),
      ],
    });
    expect(history.history.learning_rate).toEqual([0.1, 0.1, 0.1, 0.01].map(f));
  });

  it('warns and leaves the rate when the monitored value is not logged', async () => {
    const warnings: string[] = [];
    clearSession();
    const x = Input([1], { name: 'quiet_x' });
    const model = Model({ inputs: x, outputs: Dense(1)(x), onWarning: (message) => warnings.push(message) }).compile({
      optimizer: 'sgd',
      loss: 'mse',
    });
    const history = await model.fit(one.x, one.y, {
      epochs: 2,
      verbose: 0,
      callbacks: [ReduceLROnPlateau({ patience: 0 })],
    });
    expect(history.history.learning_rate).toEqual([f(0.01), f(0.01)]);
    expect(warnings).toEqual([
      "ReduceLROnPlateau: the learning rate's reduction is conditioned on 'val_loss', which is not among the logs (loss, learning_rate)",
      "ReduceLROnPlateau: the learning rate's reduction is conditioned on 'val_loss', which is not among the logs (loss, learning_rate)",
    ]);
  });

  it('refuses an optimizer whose rate is a schedule, as Keras does', async () => {
    clearSession();
    const x = Input([1], { name: 'scheduled_x' });
    const model = Model({ inputs: x, outputs: Dense(1)(x) }).compile({
      optimizer: {
        name: 'sgd',
        learningRate: { name: 'exponentialDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 },
      },
      loss: 'mse',
    });
    await expect(
      model.fit(one.x, one.y, {
        epochs: 3,
        verbose: 0,
        callbacks: [
          logs('loss_seen', [1, 1, 1]),
          ReduceLROnPlateau({ monitor: 'loss_seen', mode: 'min', patience: 0 }),
        ],
      }),
    ).rejects.toThrow(
      'optimizer.learningRate: the optimizer was compiled with a learning-rate schedule (exponentialDecay), so its learning rate is not settable (as in Keras); compile with a number to set it from a callback',
    );
  });
});

describe('LearningRateScheduler', () => {
  it('sets the rate of every epoch from schedule(epoch, lr), and the updates use it', async () => {
    const model = scalar('scheduled', 0.01);
    const calls: [number, number][] = [];
    const printed = collector();
    const history = await model.fit(one.x, one.y, {
      epochs: 3,
      verbose: 0,
      output: printed.output,
      callbacks: [
        LearningRateScheduler(
          (epoch, rate) => {
            calls.push([epoch, rate]);
            return 0.1 / (epoch + 1);
          },
          { verbose: 1 },
        ),
      ],
    });
    // schedule is given the current rate as Keras reads it: the float32 of the optimizer's variable.
    expect(calls).toEqual([
      [0, f(0.01)],
      [1, f(0.1)],
      [2, f(0.05)],
    ]);
    expect(history.history.learning_rate).toEqual([0.1, 0.05, 0.1 / 3].map(f));
    // w = (1 - 0.2)(1 - 0.1)(1 - 0.2 / 3) = 0.672
    expect(weightOf(model, 'scheduled')).toBeCloseTo(0.672, 6);
    expect(printed.text()).toBe(
      '\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n' +
        '\nEpoch 2: LearningRateScheduler setting learning rate to 0.05.\n' +
        '\nEpoch 3: LearningRateScheduler setting learning rate to 0.03333333333333333.\n',
    );
  });

  it('refuses a schedule that does not return a rate', async () => {
    const model = scalar('badschedule');
    await expect(
      model.fit(one.x, one.y, { epochs: 2, verbose: 0, callbacks: [LearningRateScheduler(() => Number.NaN)] }),
    ).rejects.toThrow(
      'LearningRateScheduler: schedule(0, 0.009999999776482582) must be a learning rate, a finite number >= 0, got NaN',
    );
  });

  it('a saved model keeps the rate a callback set', async () => {
    const model = scalar('kept', 0.01);
    await model.fit(one.x, one.y, { epochs: 1, verbose: 0, callbacks: [LearningRateScheduler(() => 0.25)] });
    const directory = join(work, 'kept');
    await model.save(directory);
    const saved = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    expect(saved.userDefinedMetadata.kerats.compile.optimizer.learningRate).toBe(0.25);
  });
});

describe('CSVLogger', () => {
  it("writes Keras's rows: epoch, the sorted keys, Python's float text, \\r\\n, NA for val_ keys never logged", async () => {
    const model = scalar('csv');
    // w = 0 gives a loss of exactly 0, and stays 0: every value in the file is known.
    model.getLayer('csv_w').setWeights([tf.tensor2d([[0]])]);
    const file = join(work, 'log.csv');
    const values = [0.5, 1e-5, 3, Number.NaN, 0.1 + 0.2, 1e16, f(0.1), 1e15, -2.5e-7, 0.0001];
    await model.fit(one.x, one.y, {
      epochs: values.length,
      verbose: 0,
      callbacks: [logs('score', values), CSVLogger(file)],
    });
    // What Python's str() gives for each value (0.5, 1e-05, 3.0, nan, ...), as csv.DictWriter writes it.
    const texts = [
      '0.5',
      '1e-05',
      '3.0',
      'nan',
      '0.30000000000000004',
      '1e+16',
      '0.10000000149011612',
      '1000000000000000.0',
      '-2.5e-07',
      '0.0001',
    ];
    expect(readFileSync(file, 'utf8')).toBe(
      `epoch,loss,score,val_loss,val_score\r\n${texts.map((text, epoch) => `${epoch},0.0,${text},NA,NA\r\n`).join('')}`,
    );
  });

  it('appends without a second header, with validation keys and a separator (quoted where it occurs)', async () => {
    const model = scalar('appended');
    model.getLayer('appended_w').setWeights([tf.tensor2d([[0]])]);
    const file = join(work, 'appended.csv');
    const callbacks = [logs('a;b', [1, 2, 3, 4]), CSVLogger(file, { separator: ';', append: true })];
    await model.fit(one.x, one.y, { epochs: 2, verbose: 0, validationData: [one.x, one.y], callbacks });
    await model.fit(one.x, one.y, {
      epochs: 4,
      initialEpoch: 2,
      verbose: 0,
      validationData: [one.x, one.y],
      callbacks,
    });
    expect(readFileSync(file, 'utf8')).toBe(
      'epoch;"a;b";loss;val_loss\r\n0;1.0;0.0;0.0\r\n1;2.0;0.0;0.0\r\n2;3.0;0.0;0.0\r\n3;4.0;0.0;0.0\r\n',
    );
    // A file with a first line gets no header.
    writeFileSync(file, 'old contents\r\n');
    await model.fit(one.x, one.y, { epochs: 1, verbose: 0, callbacks: [CSVLogger(file, { append: true })] });
    expect(readFileSync(file, 'utf8')).toBe('old contents\r\n0,0.0,NA\r\n');
  });

  it('starts a fresh file with a header, and an empty file being appended to gets one', async () => {
    const model = scalar('fresh');
    model.getLayer('fresh_w').setWeights([tf.tensor2d([[0]])]);
    const file = join(work, 'fresh.csv');
    writeFileSync(file, 'replaced\r\n');
    await model.fit(one.x, one.y, { epochs: 1, verbose: 0, callbacks: [CSVLogger(file, { separator: '\t' })] });
    expect(readFileSync(file, 'utf8')).toBe('epoch\tloss\tval_loss\r\n0\t0.0\tNA\r\n');
    writeFileSync(file, '');
    await model.fit(one.x, one.y, { epochs: 1, verbose: 0, callbacks: [CSVLogger(file, { append: true })] });
    expect(readFileSync(file, 'utf8')).toBe('epoch,loss,val_loss\r\n0,0.0,NA\r\n');
  });

  it("writes numbers as Python's str(float)", () => {
    expect([1, -0, 123456789012345.6, 1e-4, 9.999e-5, 1.5e300, -Infinity, 2 ** 53, 0.1].map(pythonFloat)).toEqual([
      '1.0',
      '-0.0',
      '123456789012345.6',
      '0.0001',
      '9.999e-05',
      '1.5e+300',
      '-inf',
      '9007199254740992.0',
      '0.1',
    ]);
  });
});

describe('LambdaCallback, stopTraining and TerminateOnNaN', () => {
  it('calls each hook in Keras order, with the logs of the batch so far and of the epoch', async () => {
    const model = scalar('lambda');
    const calls: string[] = [];
    let last: unknown;
    let seen: TrainingControl | undefined;
    const history = await model.fit([[1], [1], [1], [1]], [[0], [0], [0], [0]], {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [
        LambdaCallback({
          onTrainBegin: (training) => {
            seen = training;
            calls.push('trainBegin');
          },
          onEpochBegin: (epoch) => void calls.push(`epochBegin ${epoch}`),
          onBatchBegin: (batch) => void calls.push(`batchBegin ${batch}`),
          onBatchEnd: (batch, logs) => void calls.push(`batchEnd ${batch} ${Object.keys(logs).join(',')}`),
          onEpochEnd: (epoch, logs) => void calls.push(`epochEnd ${epoch} ${Object.keys(logs).join(',')}`),
          onTrainEnd: (logs) => {
            last = logs;
            calls.push('trainEnd');
          },
        }),
      ],
    });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0 loss',
      'batchBegin 1',
      'batchEnd 1 loss',
      'epochEnd 0 loss',
      'epochBegin 1',
      'batchBegin 0',
      'batchEnd 0 loss',
      'batchBegin 1',
      'batchEnd 1 loss',
      'epochEnd 1 loss',
      'trainEnd',
    ]);
    expect(last).toEqual({ loss: history.history.loss[1] });
    expect(seen?.model).toBe(model);
  });

  it("a callback of the user's class stops training with stopTraining: the epoch ends there and is logged", async () => {
    class StopAfterSecondBatch implements Callback {
      batches = 0;
      epochsEnded: number[] = [];
      onBatchEnd(batch: number, _logs: unknown, training: TrainingControl) {
        this.batches++;
        if (batch === 1) training.stopTraining = true;
      }
      onEpochEnd(epoch: number) {
        this.epochsEnded.push(epoch);
      }
    }
    const stopper = new StopAfterSecondBatch();
    const model = scalar('stopped');
    const history = await model.fit([[1], [1], [1], [1], [1], [1]], [[0], [0], [0], [0], [0], [0]], {
      epochs: 5,
      batchSize: 2,
      verbose: 0,
      callbacks: [stopper],
    });
    expect(history.epoch).toEqual([0]);
    expect(stopper.batches).toBe(2);
    expect(stopper.epochsEnded).toEqual([0]);
  });

  it('TerminateOnNaN stops after the batch whose loss is not finite, and says so; raiseError throws', async () => {
    // Sample 2 (batch 1) is 1e30: its prediction squared overflows float32 to Infinity.
    const x = [[1], [1], [1e30], [1], [1], [1]];
    const y = [[0], [0], [0], [0], [0], [0]];
    const model = scalar('nan');
    const batches: number[] = [];
    let ended = false;
    const printed = collector();
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      output: printed.output,
      callbacks: [
        TerminateOnNaN(),
        LambdaCallback({
          onBatchBegin: (batch) => void batches.push(batch),
          onTrainEnd: () => {
            ended = true;
          },
        }),
      ],
    });
    expect(batches).toEqual([0, 1]);
    expect(history.epoch).toEqual([0]);
    expect(history.history.loss[0]).toBe(Number.POSITIVE_INFINITY);
    expect(ended).toBe(true);
    expect(printed.text()).toBe('Batch 1: Invalid loss, terminating training\n');
    const strict = scalar('nanstrict');
    await expect(
      strict.fit(x, y, {
        epochs: 3,
        batchSize: 2,
        shuffle: false,
        verbose: 0,
        callbacks: [TerminateOnNaN({ raiseError: true })],
      }),
    ).rejects.toThrow(
      'TerminateOnNaN: the loss became Infinity at epoch 1, batch 2; training stopped (lower the learning rate, or check the data for NaN or huge values)',
    );
  });
});

describe('options are checked when the callback is made, naming what is valid', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'factor',
      () => ReduceLROnPlateau({ factor: 1 }),
      'ReduceLROnPlateau: factor must be a number >= 0 and < 1, got 1',
    ],
    [
      'mode',
      // @ts-expect-error not a mode
      () => ReduceLROnPlateau({ mode: 'up' }),
      "ReduceLROnPlateau: mode must be one of 'auto', 'min', 'max', got 'up'",
    ],
    [
      'an unknown option',
      // @ts-expect-error Keras's spelling
      () => ReduceLROnPlateau({ min_lr: 0.1 }),
      "ReduceLROnPlateau: its options must be among monitor, factor, patience, verbose, mode, minDelta, cooldown, minLr, got 'min_lr'",
    ],
    [
      'patience',
      () => ReduceLROnPlateau({ patience: 1.5 }),
      'ReduceLROnPlateau: patience must be an integer >= 0, got 1.5',
    ],
    [
      'cooldown',
      () => ReduceLROnPlateau({ cooldown: -1 }),
      'ReduceLROnPlateau: cooldown must be an integer >= 0, got -1',
    ],
    ['minLr', () => ReduceLROnPlateau({ minLr: -1 }), 'ReduceLROnPlateau: minLr must be a number >= 0, got -1'],
    [
      'verbose',
      // @ts-expect-error 0 or 1
      () => LearningRateScheduler(() => 0.1, { verbose: 2 }),
      'LearningRateScheduler: verbose must be an integer >= 0 and <= 1, got 2',
    ],
    [
      'schedule',
      // @ts-expect-error not a function
      () => LearningRateScheduler(0.1),
      'LearningRateScheduler: schedule must be a function (epoch, learningRate) => number, got 0.1',
    ],
    [
      'separator',
      () => CSVLogger('log.csv', { separator: ';;' }),
      "CSVLogger: separator must be one character other than a quote or a line end (',', ';', '\\t', ...), got ';;'",
    ],
    ['filename', () => CSVLogger(''), "CSVLogger: filename must be a file path, got ''"],
    [
      'append',
      // @ts-expect-error a boolean
      () => CSVLogger('log.csv', { append: 'yes' }),
      "CSVLogger: append must be true or false, got 'yes'",
    ],
    [
      'saveFreq',
      () => BackupAndRestore({ backupDir: 'backup', saveFreq: 0 }),
      "BackupAndRestore: saveFreq must be 'epoch' or a positive integer (a number of batches), got 0",
    ],
    [
      'backupDir',
      () => BackupAndRestore({ backupDir: '' }),
      "BackupAndRestore: backupDir must be a directory path, got ''",
    ],
    [
      'raiseError',
      // @ts-expect-error a boolean
      () => TerminateOnNaN({ raiseError: 1 }),
      'TerminateOnNaN: raiseError must be true or false, got 1',
    ],
    [
      'a hook',
      // @ts-expect-error Keras's name is on_epoch_begin; kerats' onEpochBegin
      () => LambdaCallback({ onEpochStart: () => {} }),
      "LambdaCallback: its options must be among onTrainBegin, onTrainEnd, onEpochBegin, onEpochEnd, onBatchBegin, onBatchEnd, got 'onEpochStart'",
    ],
  ];
  it.each(cases)('%s', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it("mode 'auto' on a log whose direction is unknown asks for 'min' or 'max'; fit checks verbose", async () => {
    const model = scalar('auto');
    await expect(
      model.fit(one.x, one.y, {
        epochs: 1,
        verbose: 0,
        callbacks: [logs('f1', [1]), ReduceLROnPlateau({ monitor: 'f1' })],
      }),
    ).rejects.toThrow(
      "ReduceLROnPlateau: mode must be 'min' or 'max' for monitor 'f1' (kerats cannot tell whether it should fall or rise, as Keras cannot), got 'auto'",
    );
    // @ts-expect-error 0, 1, 2 or 'auto'
    await expect(model.fit(one.x, one.y, { verbose: 3 })).rejects.toThrow(
      "fit: verbose must be one of 0, 1, 2, 'auto', got 3",
    );
  });
});
