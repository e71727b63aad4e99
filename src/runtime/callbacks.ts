// Keras's two most used callbacks: stop when the monitored value stops improving, and save every N epochs
// (so that fit can resume with { resumeFrom }).
import * as tf from '@tensorflow/tfjs';
import { positiveInteger } from '../dsl/options.ts';
import { describe, fail } from '../errors.ts';
import { saveModel } from './save.ts';
import type { Callback, Logs, TrainingControl } from './training.ts';

export interface EarlyStoppingOptions {
  /** The log to watch. Default 'val_loss' (or 'loss' when there is no validation data). */
  readonly monitor?: string;
  /** Epochs without improvement before stopping. Default 0. */
  readonly patience?: number;
  /** The least change that counts as an improvement. Default 0. */
  readonly minDelta?: number;
  /** 'min' for losses, 'max' for accuracies; 'auto' decides by the name. Default 'auto'. */
  readonly mode?: 'auto' | 'min' | 'max';
  /** Put back the best epoch's weights when stopping. Default false. */
  readonly restoreBestWeights?: boolean;
}

/** Stops training when `monitor` has not improved for `patience` epochs, as Keras's EarlyStopping. */
export function EarlyStopping(
  options: EarlyStoppingOptions = {},
): Callback & { readonly stoppedEpoch: () => number | undefined } {
  const patience = options.patience ?? 0;
  const minDelta = Math.abs(options.minDelta ?? 0);
  if (!Number.isInteger(patience) || patience < 0)
    fail({
      code: 'option',
      layer: 'EarlyStopping',
      option: 'patience',
      expected: 'an integer >= 0',
      received: describe(patience),
    });
  let best: number | undefined;
  let wait = 0;
  let stopped: number | undefined;
  let bestWeights: tf.Tensor[] | undefined;
  const release = () => {
    if (bestWeights) tf.dispose(bestWeights);
    bestWeights = undefined;
  };
  return {
    stoppedEpoch: () => stopped,
    onTrainBegin() {
      best = undefined;
      wait = 0;
      stopped = undefined;
      release();
    },
    onEpochEnd(epoch: number, logs: Logs, control: TrainingControl) {
      const monitor = options.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
      const value = logs[monitor];
      if (value === undefined)
        return fail({
          code: 'option',
          layer: 'EarlyStopping',
          option: 'monitor',
          expected: `one of the logs (${Object.keys(logs).join(', ')})`,
          received: describe(monitor),
        });
      const mode =
        options.mode === 'min' || options.mode === 'max' ? options.mode : /acc/.test(monitor) ? 'max' : 'min';
      const improved = best === undefined || (mode === 'min' ? value < best - minDelta : value > best + minDelta);
      if (improved) {
        best = value;
        wait = 0;
        if (options.restoreBestWeights) {
          release();
          bestWeights = control.snapshot();
        }
        return;
      }
      wait++;
      if (wait <= patience) return;
      stopped = epoch;
      if (bestWeights) control.restore(bestWeights);
      release();
      return 'stop';
    },
    onTrainEnd() {
      release();
    },
  };
}

/** Saves the model, its optimizer state and the epoch count to `directory` every `every` epochs. */
export function ModelCheckpoint(directory: string, options: { readonly every?: number } = {}): Callback {
  const every = positiveInteger('ModelCheckpoint', 'every', options.every ?? 1);
  return {
    async onEpochEnd(epoch: number, _logs: Logs, control: TrainingControl) {
      if ((epoch + 1) % every === 0) await saveModel(control.model, directory);
    },
  };
}
