// Keras's callbacks (keras/src/callbacks/*.py), each with Keras's options and defaults, written on the same
// public Callback interface a user implements: EarlyStopping, ModelCheckpoint, ReduceLROnPlateau,
// LearningRateScheduler, TerminateOnNaN and LambdaCallback here; CSVLogger and BackupAndRestore in their own files.
import * as tf from '@tensorflow/tfjs';
import type { Functional } from '../dsl/model.ts';
import { positiveInteger } from '../dsl/options.ts';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import { saveModel } from './save.ts';
import type { Callback, Logs, TrainingControl } from './training.ts';

/** A callback's options: absent or an object whose keys are among `known` (listed in the message). */
export function callbackOptions(
  callback: string,
  options: unknown,
  known: readonly string[],
): { readonly [key: string]: unknown } {
  if (options === undefined) return {};
  if (!isRecord(options))
    return fail({
      code: 'option',
      layer: callback,
      option: 'its options',
      expected: `an object with some of ${known.join(', ')}`,
      received: describe(options),
    });
  for (const key of Object.keys(options))
    if (!known.includes(key))
      fail({
        code: 'option',
        layer: callback,
        option: 'its options',
        expected: `among ${known.join(', ')}`,
        received: `'${key}'`,
      });
  return options;
}

/** A number option: finite, within [min, max] (an end left out when undefined). */
export function numberOption(
  callback: string,
  option: string,
  value: unknown,
  { min, max, below, integer = false }: { min?: number; max?: number; below?: number; integer?: boolean },
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max) &&
    (below === undefined || value < below);
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    const range = [
      min === undefined ? '' : `>= ${min}`,
      max === undefined ? '' : `<= ${max}`,
      below === undefined ? '' : `< ${below}`,
    ].filter((part) => part !== '');
    fail({
      code: 'option',
      layer: callback,
      option,
      expected: range.length === 0 ? kind : `${kind} ${range.join(' and ')}`,
      received: describe(value),
    });
  }
  return typeof value === 'number' ? value : Number.NaN;
}

const modes = ['auto', 'min', 'max'] as const;
export type MonitorMode = (typeof modes)[number];

function modeOption(callback: string, value: unknown): MonitorMode {
  const mode = modes.find((each) => each === (value ?? 'auto'));
  if (mode === undefined)
    return fail({
      code: 'option',
      layer: callback,
      option: 'mode',
      expected: `one of ${modes.map(describe).join(', ')}`,
      received: describe(value),
    });
  return mode;
}

/**
 * Whether `monitor` improves downwards or upwards, as Keras's MonitorCallback decides it in 'auto' mode: losses
 * and errors fall, accuracies, AUC, precision and recall rise; anything else needs mode 'min' or 'max'.
 */
export function monitorDirection(callback: string, monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  const name = monitor.replace(/^val_/, '').replace(/_\d+$/, '');
  if (/(?:^|_)loss$|Error$|(?:^|_)(?:mae|mse)$/.test(name)) return 'min';
  if (/(?:accuracy|Accuracy|acc|auc|precision|recall)$/.test(name)) return 'max';
  return fail({
    code: 'option',
    layer: callback,
    option: 'mode',
    expected: `'min' or 'max' for monitor '${monitor}' (kerats cannot tell whether it should fall or rise, as Keras cannot)`,
    received: "'auto'",
  });
}

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
  const given = callbackOptions('EarlyStopping', options, [
    'monitor',
    'patience',
    'minDelta',
    'mode',
    'restoreBestWeights',
  ]);
  const patience = numberOption('EarlyStopping', 'patience', given.patience ?? 0, { min: 0, integer: true });
  const minDelta = Math.abs(numberOption('EarlyStopping', 'minDelta', given.minDelta ?? 0, {}));
  modeOption('EarlyStopping', given.mode);
  if (given.monitor !== undefined && typeof given.monitor !== 'string')
    fail({
      code: 'option',
      layer: 'EarlyStopping',
      option: 'monitor',
      expected: "the name of a log ('val_loss', 'accuracy', ...)",
      received: describe(given.monitor),
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

/**
 * A number as Python's `str(float)` writes it (Keras's messages and CSVLogger's rows): the shortest digits that
 * read back to it, in exponent form below 1e-4 or from 1e16 (`1e-05`, `1e+16`), with `.0` when whole, and
 * `nan`, `inf`, `-inf`.
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // toExponential() gives the shortest round-trip digits, as Python's repr does.
  const [mantissa = '', power = '0'] = value.toExponential().split('e');
  const exponent = Number(power);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const shown = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${shown}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/** The learning rate as Keras logs it: the float32 value of its variable, as a float. */
function loggedRate(training: TrainingControl): number {
  return Math.fround(training.learningRate);
}

export interface ReduceLROnPlateauOptions {
  /** The log to watch. Default 'val_loss'. */
  readonly monitor?: string;
  /** `newLr = lr · factor`; a number in [0, 1). Default 0.1. */
  readonly factor?: number;
  /** Epochs without improvement before the rate is reduced. Default 10. */
  readonly patience?: number;
  /** 0: quiet; 1: a line at each reduction. Default 0. */
  readonly verbose?: 0 | 1;
  /** 'min' for losses, 'max' for accuracies; 'auto' decides by the name. Default 'auto'. */
  readonly mode?: MonitorMode;
  /** The least change that counts as an improvement. Default 1e-4. */
  readonly minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  readonly cooldown?: number;
  /** The rate is never reduced below this. Default 0. */
  readonly minLr?: number;
}

/**
 * Reduces the optimizer's learning rate by `factor` when `monitor` has not improved for `patience` epochs, as
 * Keras's ReduceLROnPlateau (keras/src/callbacks/reduce_lr_on_plateau.py); logs `learning_rate` every epoch.
 */
export function ReduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): Callback {
  const name = 'ReduceLROnPlateau';
  const given = callbackOptions(name, options, [
    'monitor',
    'factor',
    'patience',
    'verbose',
    'mode',
    'minDelta',
    'cooldown',
    'minLr',
  ]);
  const monitor = given.monitor ?? 'val_loss';
  if (typeof monitor !== 'string' || monitor === '')
    fail({
      code: 'option',
      layer: name,
      option: 'monitor',
      expected: "the name of a log ('val_loss', 'accuracy', ...)",
      received: describe(monitor),
    });
  const factor = numberOption(name, 'factor', given.factor ?? 0.1, { min: 0, below: 1 });
  const patience = numberOption(name, 'patience', given.patience ?? 10, { min: 0, integer: true });
  const verbose = numberOption(name, 'verbose', given.verbose ?? 0, { min: 0, max: 1, integer: true });
  const mode = modeOption(name, given.mode);
  const minDelta = Math.abs(numberOption(name, 'minDelta', given.minDelta ?? 1e-4, {}));
  const cooldown = numberOption(name, 'cooldown', given.cooldown ?? 0, { min: 0, integer: true });
  const minLr = numberOption(name, 'minLr', given.minLr ?? 0, { min: 0 });
  let best: number | undefined;
  let wait = 0;
  let cooldownCounter = 0;
  return {
    onTrainBegin() {
      best = undefined;
      wait = 0;
      cooldownCounter = 0;
    },
    onEpochEnd(epoch, logs, training) {
      const direction = monitorDirection(name, String(monitor), mode);
      training.log('learning_rate', loggedRate(training));
      const current = logs[String(monitor)];
      if (current === undefined) {
        training.model.onWarning(
          `${name}: the learning rate's reduction is conditioned on '${String(monitor)}', which is not among the logs (${Object.keys(logs).join(', ')})`,
        );
        return;
      }
      if (cooldownCounter > 0) {
        cooldownCounter -= 1;
        wait = 0;
      }
      const improved =
        best === undefined || (direction === 'min' ? current + minDelta < best : current - minDelta > best);
      if (improved) {
        best = current;
        wait = 0;
        return;
      }
      if (cooldownCounter > 0) return;
      wait += 1;
      if (wait < patience) return;
      const old = loggedRate(training);
      if (!(old > Math.fround(minLr))) return;
      const reduced = Math.max(old * factor, minLr);
      training.learningRate = reduced;
      if (verbose > 0)
        training.print(`\nEpoch ${epoch + 1}: ${name} reducing learning rate to ${pythonFloat(reduced)}.`);
      cooldownCounter = cooldown;
      wait = 0;
    },
  };
}

/**
 * Sets the learning rate at the start of every epoch to `schedule(epoch, lr)` (epoch from 0, lr the current
 * rate), as Keras's LearningRateScheduler; logs `learning_rate` every epoch.
 */
export function LearningRateScheduler(
  schedule: (epoch: number, learningRate: number) => number,
  options: { readonly verbose?: 0 | 1 } = {},
): Callback {
  const name = 'LearningRateScheduler';
  if (typeof schedule !== 'function')
    fail({
      code: 'option',
      layer: name,
      option: 'schedule',
      expected: 'a function (epoch, learningRate) => number',
      received: describe(schedule),
    });
  const given = callbackOptions(name, options, ['verbose']);
  const verbose = numberOption(name, 'verbose', given.verbose ?? 0, { min: 0, max: 1, integer: true });
  return {
    onEpochBegin(epoch, training) {
      const rate: unknown = schedule(epoch, loggedRate(training));
      if (!(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0))
        fail({
          code: 'option',
          layer: name,
          option: `schedule(${epoch}, ${pythonFloat(loggedRate(training))})`,
          expected: 'a learning rate, a finite number >= 0',
          received: describe(rate),
        });
      training.learningRate = rate;
      if (verbose > 0) training.print(`\nEpoch ${epoch + 1}: ${name} setting learning rate to ${pythonFloat(rate)}.`);
    },
    onEpochEnd(_epoch, _logs, training) {
      training.log('learning_rate', loggedRate(training));
    },
  };
}

/**
 * Stops training when the loss becomes NaN or infinite, as Keras's TerminateOnNaN: after that batch, gracefully
 * (onEpochEnd and onTrainEnd run), or with an error when `raiseError` is true.
 */
export function TerminateOnNaN(options: { readonly raiseError?: boolean } = {}): Callback {
  const name = 'TerminateOnNaN';
  const given = callbackOptions(name, options, ['raiseError']);
  const raiseError = given.raiseError ?? false;
  if (typeof raiseError !== 'boolean')
    fail({
      code: 'option',
      layer: name,
      option: 'raiseError',
      expected: 'true or false',
      received: describe(raiseError),
    });
  let epochNow = 0;
  return {
    onEpochBegin(epoch) {
      epochNow = epoch;
    },
    onBatchEnd(batch, logs, training) {
      const loss = logs.loss;
      if (loss === undefined || Number.isFinite(loss)) return;
      if (raiseError)
        fail({ code: 'not-finite', layer: name, what: 'loss', epoch: epochNow + 1, batch: batch + 1, value: loss });
      training.print(`Batch ${batch}: Invalid loss, terminating training`);
      training.stopTraining = true;
    },
  };
}

const hookNames = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/**
 * A callback from functions, as Keras's LambdaCallback: `LambdaCallback({ onEpochEnd: (epoch, logs) => ... })`.
 * Each hook takes what the Callback interface's does.
 */
export function LambdaCallback<Log = Logs, Model extends Functional = Functional>(
  hooks: Callback<Log, Model>,
): Callback<Log, Model> {
  const given = callbackOptions('LambdaCallback', hooks, hookNames);
  for (const hook of hookNames)
    if (given[hook] !== undefined && typeof given[hook] !== 'function')
      fail({
        code: 'option',
        layer: 'LambdaCallback',
        option: hook,
        expected: 'a function',
        received: describe(given[hook]),
      });
  return { ...hooks };
}
