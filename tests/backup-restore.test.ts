// BackupAndRestore as Keras's: a training killed (kill -9) at a random moment and started again with the same
// call resumes from the last finished epoch with that epoch's weights and optimizer state, so that it ends with
// exactly the weights of a training never interrupted, and its History continues from the epoch it resumed at.
// KERATS_BACKUP_RUNS sets how many interrupted trainings (default 5), each killed 1 to 3 times.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackupAndRestore,
  clearSession,
  Dense,
  Input,
  LambdaCallback,
  loadModel,
  Model,
  useBackend,
} from '../src/index.ts';
import { root } from './helpers/compiler.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-backup-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});
beforeAll(async () => {
  expect(await useBackend('cpu')).toBe('cpu');
});

const fixture = join(root, 'tests', 'fixtures', 'backup-train.mjs');
const epochs = 6;

interface Result {
  readonly weights: number[][];
  readonly epoch: number[];
  readonly loss: number[];
}

/** Starts the training fixture; resolves with the process, and the epochs it reports as they end. */
function start(
  backupDir: string,
  result: string,
): { child: ChildProcess; ended: number[]; times: number[]; exit: Promise<number> } {
  const child = spawn(process.execPath, [fixture, backupDir, result, String(epochs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const ended: number[] = [];
  const times: number[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  child.stdout?.on('data', (chunk) => {
    for (const match of String(chunk).matchAll(/^epoch (\d+)$/gm)) {
      ended.push(Number(match[1]));
      times.push(performance.now());
    }
  });
  const exit = new Promise<number>((resolve, reject) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (code === 0 || signal === 'SIGKILL') resolve(code ?? -1);
      else reject(new Error(`the training process exited with ${code ?? signal}: ${stderr}`));
    }),
  );
  return { child, ended, times, exit };
}

/** Waits until the process has reported the end of `epoch` or a later one; false if it exited first. */
async function untilEpoch(run: ReturnType<typeof start>, epoch: number): Promise<boolean> {
  let exited = false;
  void run.exit.then(() => {
    exited = true;
  });
  while (!exited && !run.ended.some((each) => each >= epoch)) await new Promise((resolve) => setTimeout(resolve, 5));
  return !exited;
}

function read(result: string): Result {
  return JSON.parse(readFileSync(result, 'utf8'));
}

describe('BackupAndRestore across kill -9', () => {
  const runs = Number(process.env.KERATS_BACKUP_RUNS ?? 5);
  it(
    `${runs} trainings killed at random moments and started again end with the weights of one never interrupted`,
    async () => {
      const reference = join(work, 'reference.json');
      const whole = start(join(work, 'reference'), reference);
      await whole.exit;
      const expected = read(reference);
      expect(expected.epoch).toEqual([0, 1, 2, 3, 4, 5]);
      // How long an epoch takes here: the kills below fall within one.
      const epochTime = ((whole.times.at(-1) ?? 0) - (whole.times[0] ?? 0)) / (epochs - 1);
      const resumedAt: number[] = [];
      for (let run = 0; run < runs; run++) {
        const backupDir = join(work, `backup-${run}`);
        const result = join(work, `result-${run}.json`);
        const kills = 1 + Math.floor(Math.random() * 3);
        let finished = false;
        for (let kill = 0; kill < kills && !finished; kill++) {
          const started = start(backupDir, result);
          // Let it end some epoch (before the last two), then kill it at an arbitrary moment of the next one (a
          // batch, or the writing of the backup). A process resumed past that epoch may finish first: then
          // the training is done, resumed from its backup.
          const running = await untilEpoch(started, Math.floor(Math.random() * (epochs - 2)));
          if (running) await new Promise((resolve) => setTimeout(resolve, Math.random() * epochTime));
          started.child.kill('SIGKILL');
          // A kill that lands after the result is written (atomically, at the end) finds the training done.
          finished = (await started.exit) === 0 || existsSync(result);
          expect(finished && kill === 0, 'the first process, started from nothing, is killed').toBe(false);
        }
        if (!finished) await start(backupDir, result).exit;
        const resumed = read(result);
        expect(resumed.weights).toEqual(expected.weights);
        // History continues from the epoch the backup had reached, with the losses of the same epochs.
        const first = resumed.epoch[0] ?? 0;
        expect(resumed.epoch).toEqual(expected.epoch.slice(first));
        expect(resumed.loss).toEqual(expected.loss.slice(first));
        resumedAt.push(first);
        // deleteCheckpoint (default true): the backup is gone once training has ended.
        expect(existsSync(backupDir)).toBe(false);
      }
      // Every run was killed after an epoch had ended and been backed up, so each resumed past epoch 0.
      expect(resumedAt.every((epoch) => epoch > 0)).toBe(true);
    },
    60_000 + 40_000 * runs,
  );
});

describe('BackupAndRestore in one process', () => {
  /** A small model with weights from a formula, compiled with Adam (whose state must be restored too). */
  function small() {
    clearSession();
    const x = Input([3], { name: 'x' });
    const model = Model({ inputs: x, outputs: Dense(2, { name: 'out' })(Dense(4, { name: 'hidden' })(x)) });
    for (const name of ['hidden', 'out']) {
      const layer = model.getLayer(name);
      layer.setWeights(
        layer
          .getWeights()
          .map((weight) => tf.tidy(() => tf.reshape(tf.sin(tf.range(1, weight.size + 1)), weight.shape))),
      );
    }
    return model.compile({ optimizer: 'adam', loss: 'mse' });
  }
  const x = tf.tidy(() => tf.reshape(tf.cos(tf.range(0, 32 * 3)), [32, 3]));
  const y = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 32 * 2)), [32, 2]));
  const weightsOf = (model: { toLayersModel(): tf.LayersModel }) =>
    model.toLayersModel().weights.map((weight) => Array.from(weight.read().dataSync()));

  it('a fit that fails in epoch 2 and is called again resumes at epoch 2, as if never interrupted', async () => {
    const whole = small();
    const history = await whole.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
    const backupDir = join(work, 'in-process');
    const model = small();
    const crash = LambdaCallback({
      onBatchEnd: (batch) => {
        if (model.runtime.epochsDone === 2 && batch === 2) throw new Error('interrupted');
      },
    });
    const args = { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 } as const;
    await expect(model.fit(x, y, { ...args, callbacks: [BackupAndRestore({ backupDir }), crash] })).rejects.toThrow(
      'interrupted',
    );
    // A failed training keeps its backup: epochs 0 and 1.
    expect(existsSync(join(backupDir, 'model.json'))).toBe(true);
    const again = await model.fit(x, y, {
      ...args,
      callbacks: [BackupAndRestore({ backupDir, deleteCheckpoint: false })],
    });
    expect(again.epoch).toEqual([2, 3]);
    expect(again.history.loss).toEqual(history.history.loss.slice(2));
    expect(weightsOf(model)).toEqual(weightsOf(whole));
    // Kept (deleteCheckpoint: false), and it has done all 4 epochs: a third call has nothing left to train.
    const third = await model.fit(x, y, { ...args, callbacks: [BackupAndRestore({ backupDir })] });
    expect(third.epoch).toEqual([]);
    expect(existsSync(backupDir)).toBe(false);
  });

  it('saveFreq n backs up every n batches; a resumed fit starts that epoch again from those weights (Keras)', async () => {
    const backupDir = join(work, 'by-batch');
    const model = small();
    let atSave: number[][] = [];
    const seen: string[] = [];
    // 4 batches an epoch; saves after the 3rd and 6th batch (epoch 0 batch 2, epoch 1 batch 1); fails at epoch 1
    // batch 3.
    const watch = LambdaCallback({
      onBatchEnd: (batch) => {
        const epoch = model.runtime.epochsDone;
        seen.push(`${epoch}/${batch}`);
        if (epoch === 1 && batch === 1) atSave = weightsOf(model);
        if (epoch === 1 && batch === 3) throw new Error('interrupted');
      },
    });
    await expect(
      model.fit(x, y, {
        epochs: 3,
        batchSize: 8,
        shuffle: false,
        verbose: 0,
        callbacks: [BackupAndRestore({ backupDir, saveFreq: 3 }), watch],
      }),
    ).rejects.toThrow('interrupted');
    expect(seen).toEqual(['0/0', '0/1', '0/2', '0/3', '1/0', '1/1', '1/2', '1/3']);
    const saved = await loadModel(backupDir);
    expect(weightsOf(saved)).toEqual(atSave);
    const resumed = await model.fit(x, y, {
      epochs: 3,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
      callbacks: [BackupAndRestore({ backupDir, saveFreq: 3 })],
    });
    expect(resumed.epoch).toEqual([1, 2]);
  });
});
