// Keras's BackupAndRestore (keras/src/callbacks/backup_and_restore.py): the training state (weights, optimizer
// state, compile settings and the epochs done) is saved to `backupDir` at the end of every epoch (or every
// `saveFreq` batches), and a fit that finds a backup there restores it and starts from the epoch it had reached.
// A save is atomic (save.ts), so a process killed at any moment, kill -9 included, leaves the last whole backup.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, fail } from '../errors.ts';
import { callbackOptions } from './callbacks.ts';
import { restoreCheckpoint, saveModel } from './save.ts';
import { type Callback, trainerOf } from './training.ts';

export interface BackupAndRestoreOptions {
  /** Where the backup goes; used for nothing else (it is deleted at the end of training, by default). */
  readonly backupDir: string;
  /**
   * 'epoch' (default): back up at the end of every epoch. A number n: every n batches; a fit resumed from such a
   * backup starts again at the beginning of the epoch it was in, from the weights of that batch (as in Keras).
   */
  readonly saveFreq?: 'epoch' | number;
  /** Delete the backup when training ends (not when it fails). Default true. */
  readonly deleteCheckpoint?: boolean;
}

/** Backs up the training as it goes, and resumes from the backup after an interruption, as Keras's. */
export function BackupAndRestore(options: BackupAndRestoreOptions): Callback {
  const name = 'BackupAndRestore';
  const given = callbackOptions(name, options, ['backupDir', 'saveFreq', 'deleteCheckpoint']);
  const backupDir = given.backupDir;
  if (typeof backupDir !== 'string' || backupDir === '')
    return fail({
      code: 'option',
      layer: name,
      option: 'backupDir',
      expected: 'a directory path',
      received: describe(backupDir),
    });
  const saveFreq = given.saveFreq ?? 'epoch';
  if (!(saveFreq === 'epoch' || (typeof saveFreq === 'number' && Number.isInteger(saveFreq) && saveFreq > 0)))
    fail({
      code: 'option',
      layer: name,
      option: 'saveFreq',
      expected: "'epoch' or a positive integer (a number of batches)",
      received: describe(saveFreq),
    });
  const deleteCheckpoint = given.deleteCheckpoint ?? true;
  if (typeof deleteCheckpoint !== 'boolean')
    fail({
      code: 'option',
      layer: name,
      option: 'deleteCheckpoint',
      expected: 'true or false',
      received: describe(deleteCheckpoint),
    });
  let batchesSinceSave = 0;
  return {
    async onTrainBegin(training) {
      batchesSinceSave = 0;
      const found = await stat(join(backupDir, 'model.json')).catch(() => undefined);
      if (found === undefined) return;
      await restoreCheckpoint(training.model, backupDir);
      training.initialEpoch = trainerOf(training.model).epochsDone;
    },
    async onBatchEnd(_batch, _logs, training) {
      if (saveFreq === 'epoch') return;
      batchesSinceSave += 1;
      if (batchesSinceSave < saveFreq) return;
      batchesSinceSave = 0;
      await saveModel(training.model, backupDir);
    },
    async onEpochEnd(_epoch, _logs, training) {
      if (saveFreq === 'epoch') await saveModel(training.model, backupDir);
    },
    async onTrainEnd() {
      if (deleteCheckpoint) await rm(backupDir, { recursive: true, force: true });
    },
  };
}
