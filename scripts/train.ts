// npm run train -- --model cnn --epochs 5 --backend gpu [--samples 2048] [--batch-size 32] [--save dir]
// Trains one reference model on its synthetic data on the chosen backend (the GPU one where CUDA is set up; see
// docs/gpu.md), printing the chosen backend, the progress and the speed.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, type Tensors, useBackend } from 'kerats';
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
import { parseBackend } from '../src/runtime/backend.ts';

interface Options {
  readonly epochs: number;
  readonly samples: number;
  readonly batchSize: number;
  readonly save: string | undefined;
}

function trainer<Inputs extends Tensors, Outputs extends Tensors>(example: Example<Inputs, Outputs>) {
  return async ({ epochs, samples, batchSize, save }: Options) => {
    example.model.summary();
    const { x, y } = example.data(samples);
    const model = example.model.compile(example.training);
    const start = performance.now();
    await model.fit(x, y, { epochs, batchSize, validationSplit: 0.1 });
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `${((samples * 0.9 * epochs) / seconds).toFixed(1)} samples/s (${epochs} epochs in ${seconds.toFixed(1)} s)`,
    );
    if (save !== undefined) {
      await model.save(save);
      console.log(`saved to ${save}`);
    }
  };
}

const models = {
  mlp: trainer(mlp),
  cnn: trainer(cnn),
  rnn: trainer(rnn),
  bilstm: trainer(bilstm),
  'shared-input': trainer(sharedInput),
  'shared-feature-extraction': trainer(sharedFeatureExtraction),
  'multiple-inputs': trainer(multipleInputs),
  'multiple-outputs': trainer(multipleOutputs),
};

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'cnn' },
    epochs: { type: 'string', default: '5' },
    backend: { type: 'string', default: process.env.KERATS_BACKEND ?? 'auto' },
    samples: { type: 'string', default: '1024' },
    'batch-size': { type: 'string', default: '32' },
    save: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
const names = Object.keys(models);
const usage = `usage: npm run train -- --model <${names.join('|')}> [--epochs 5] [--backend auto|gpu|native|wasm|cpu] [--samples 1024] [--batch-size 32] [--save dir]`;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const run = Object.entries(models).find(([name]) => name === values.model)?.[1];
const positive = (text: string | undefined, what: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`train: --${what} must be a positive integer, got '${text}'\n${usage}`);
    process.exit(2);
  }
  return value;
};
if (run === undefined) {
  console.error(`train: unknown model '${values.model}'\n${usage}`);
  process.exit(2);
}
const options = {
  epochs: positive(values.epochs, 'epochs'),
  samples: positive(values.samples, 'samples'),
  batchSize: positive(values['batch-size'], 'batch-size'),
  save: values.save,
};
try {
  const backend = await useBackend(parseBackend(values.backend ?? 'auto'), (skipped) =>
    console.log(`(skipped ${skipped.backend}: ${skipped.reason})`),
  );
  console.log(`training ${values.model} on the '${backend}' backend (TensorFlow.js '${tf.getBackend()}')`);
  await run(options);
} catch (error) {
  if (error instanceof BackendUnavailableError || error instanceof Error) {
    console.error(`train: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
