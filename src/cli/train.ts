// kerats train <file>: trains the file's model on the data it exports, with the progress bar, and draws the
// loss and metric curves.
import { constants, existsSync, statSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import { plotHistory } from '../plot/history.ts';
import { imageFormat } from '../plot/image.ts';
import { backendFromEnvironment, parseBackend, useBackend } from '../runtime/backend.ts';
import type { CompileArgs } from '../runtime/training.ts';
import { type CommandSpec, fraction, integer, type Parsed, text } from './args.ts';
import { loadModule, type ModelModule, pickModel } from './module.ts';
import { checkOption, modelOption } from './options.ts';

export const trainCommand: CommandSpec = {
  name: 'train',
  operand: '<file>',
  summary: 'Trains the model the file exports on the data it exports, with a Keras-style progress bar.',
  description: [
    'The file exports the model, `data` (a function (samples) => ({ x, y }), or an object { x, y }) and, unless',
    'it compiles the model itself, `training` (the arguments of model.compile). The examples in kerats export all',
    'three. A share of the samples (--validation-split) is held out to validate on after every epoch; --plot',
    'draws loss and metrics per epoch, training beside validation.',
  ].join('\n'),
  options: {
    epochs: { type: 'string', value: '<n>', help: 'epochs to train (default 1)' },
    'batch-size': { type: 'string', value: '<n>', help: 'samples per step (default 32)' },
    samples: { type: 'string', value: '<n>', help: 'samples to ask `data` for, when it is a function (default 1024)' },
    'validation-split': { type: 'string', value: '<f>', help: 'fraction held out to validate on (default 0.2)' },
    backend: {
      type: 'string',
      value: '<name>',
      help: 'auto, gpu, native, wasm or cpu (default $KERATS_BACKEND or auto)',
    },
    plot: { type: 'string', value: '<file.svg|file.png>', help: 'draw the loss and metric curves to this file' },
    save: { type: 'string', value: '<dir>', help: 'save the trained model to this directory (loadModel reads it)' },
    workers: { type: 'string', value: '<n>', help: 'train data-parallel on this many threads (default 1)' },
    verbose: { type: 'string', value: '<0|1|2>', help: 'silent, progress bar (default), or a line per epoch' },
    model: modelOption,
    'no-check': checkOption,
  },
  examples: [
    'kerats train examples/cnn.ts --epochs 5 --plot history.svg',
    'kerats train examples/mlp.ts --epochs 20 --backend cpu --plot history.png --save trained/mlp',
  ],
};

/** Shallow: compile checks every field and says what is wrong. */
function isCompileArgs(value: unknown): value is CompileArgs {
  return isRecord(value) && 'optimizer' in value && 'loss' in value;
}

function dataOf(module: ModelModule, samples: number): { x: unknown; y: unknown } {
  const exported = module.exports.data;
  const expected = 'a function (samples) => ({ x, y }), or an object { x, y }';
  const missing = (received: string): never =>
    fail({ code: 'missing-export', layer: 'kerats train', path: module.path, name: 'data', expected, received });
  if (exported === undefined) return missing('nothing');
  const data: unknown = typeof exported === 'function' ? exported(samples) : exported;
  if (!isRecord(data) || !('x' in data) || !('y' in data))
    return missing(typeof exported === 'function' ? `a function that returned ${describe(data)}` : describe(data));
  return { x: data.x, y: data.y };
}

export async function train(parsed: Parsed, print: (line: string) => void): Promise<void> {
  const layer = 'kerats train';
  const epochs = integer(parsed, 'train', 'epochs', 1, 1);
  const batchSize = integer(parsed, 'train', 'batch-size', 32, 1);
  const samples = integer(parsed, 'train', 'samples', 1024, 1);
  const workers = integer(parsed, 'train', 'workers', 1, 1);
  const verbose = integer(parsed, 'train', 'verbose', 1, 0);
  if (verbose !== 0 && verbose !== 1 && verbose !== 2)
    fail({ code: 'usage', layer, problem: `--verbose must be 0, 1 or 2, got '${verbose}'` });
  const validationSplit = fraction(parsed, 'train', 'validation-split', 0.2);
  const plotFile = text(parsed, 'plot');
  if (plotFile !== undefined) {
    imageFormat(plotFile, layer);
    await writableFolder(dirname(resolve(plotFile)), '--plot', plotFile);
  }
  const save = text(parsed, 'save');
  if (save !== undefined) await writableFolder(nearestExisting(resolve(save)), '--save', save);
  const backendText = text(parsed, 'backend');
  let choice: ReturnType<typeof parseBackend>;
  try {
    choice = backendText === undefined ? backendFromEnvironment() : parseBackend(backendText);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail({ code: 'usage', layer, problem: backendText === undefined ? message : `--${message}` });
  }

  const module = await loadModule(parsed.operand ?? '', { layer, check: parsed.values['no-check'] !== true });
  const [exported, model] = pickModel(module, layer, text(parsed, 'model'));
  // The backend is chosen before the data is made, so the data is made where it will be used.
  const backend = await useBackend(choice);
  const training = module.exports.training;
  if (training !== undefined) {
    if (!isCompileArgs(training))
      fail({
        code: 'missing-export',
        layer,
        path: module.path,
        name: 'training',
        expected: 'the arguments of model.compile, { optimizer, loss, metrics? }',
        received: describe(training),
      });
    model.compile(training);
  } else if (model.runtime.compiled === undefined)
    fail({
      code: 'missing-export',
      layer,
      path: module.path,
      name: 'training',
      expected: 'the arguments of model.compile, { optimizer, loss, metrics? } (or compile the model in the file)',
      received: 'nothing',
    });
  const { x, y } = dataOf(module, samples);
  print(
    `training '${exported}' (model '${model.name}') on the '${backend}' backend (TensorFlow.js '${tf.getBackend()}')`,
  );
  const history = await model.runtime.fit(x, y, { epochs, batchSize, validationSplit, workers, verbose });
  const last = Object.entries(history.history).map(([name, values]) => `${name} ${values.at(-1)?.toFixed(4) ?? '-'}`);
  if (verbose === 0) print(`after ${history.epoch.length} epochs: ${last.join(', ')}`);
  // The trained model first: a drawing that fails must not lose the training.
  if (save !== undefined) {
    await model.save(save);
    print(`saved to ${save}`);
  }
  if (plotFile !== undefined) {
    await plotHistory(history, { toFile: plotFile, title: `${module.path}: ${exported}` });
    print(`wrote ${plotFile}`);
  }
}

/** The deepest folder of `path` that exists (save creates the rest). */
function nearestExisting(path: string): string {
  let folder = path;
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  return existsSync(folder) && !statSync(folder).isDirectory() ? path : folder;
}

/** Fails before training, not after it, when a file cannot be written where the options say. */
async function writableFolder(folder: string, option: string, given: string): Promise<void> {
  const problem = (why: string): never =>
    fail({ code: 'usage', layer: 'kerats train', problem: `${option} ${given}: ${why}` });
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined) return problem(`the folder ${folder} does not exist`);
  if (!info.isDirectory()) return problem(`${folder} is not a folder`);
  await access(folder, constants.W_OK).catch(() => problem(`the folder ${folder} is not writable`));
}
