// One measurement for npm run bench:train, in a process of its own (so that stock tfjs stays stock): trains one
// model, kerats or hand-written tfjs-layers, on one backend, and prints { samplesPerSecond } or { error } as JSON.
// Usage: node dist/scripts/bench-train-one.js <kerats|kerats2|kerats-iterable|plain> <model> <backend> <batches>
// (kerats2: two threads; kerats-iterable: fit on an async generator of batches, for the models in iterableRuns)
import * as tf from '@tensorflow/tfjs';
import { type BackendName, backendNames, type Tensors, useBackend } from 'kerats';
import * as plainBilstm from '../bench/plain-tfjs/bilstm.ts';
import * as plainCnn from '../bench/plain-tfjs/cnn.ts';
import * as plainMlp from '../bench/plain-tfjs/mlp.ts';
import * as plainMultipleInputs from '../bench/plain-tfjs/multiple-inputs.ts';
import * as plainMultipleOutputs from '../bench/plain-tfjs/multiple-outputs.ts';
import * as plainRnn from '../bench/plain-tfjs/rnn.ts';
import * as plainSharedFeature from '../bench/plain-tfjs/shared-feature-extraction.ts';
import * as plainSharedInput from '../bench/plain-tfjs/shared-input.ts';
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

const batchSize = 32;

/**
 * Trains on `batches` batches after one warm-up batch, again and again until two seconds have passed (a tiny
 * model's epoch takes milliseconds); returns samples per second. `prepare` makes the data outside the timing
 * and returns the training call to time.
 */
async function timed(prepare: (samples: number) => () => Promise<unknown>, batches: number): Promise<number> {
  await prepare(batchSize)();
  const train = prepare(batches * batchSize);
  const start = performance.now();
  let rounds = 0;
  do {
    await train();
    rounds++;
  } while (performance.now() - start < 2000);
  return (rounds * batches * batchSize) / ((performance.now() - start) / 1000);
}

function kerats<Inputs extends Tensors, Outputs extends Tensors>(example: Example<Inputs, Outputs>, workers = 1) {
  return async (backend: BackendName, batches: number) => {
    await useBackend(backend);
    const model = example.model.compile(example.training);
    return timed((samples) => {
      const { x, y } = example.data(samples);
      return () => model.fit(x, y, { epochs: 1, batchSize, verbose: 0, workers });
    }, batches);
  };
}

/**
 * The CNN trained from an async iterable: a generator yielding each batch as fresh tensors (slices of the same
 * data as the in-memory measurement), which fit checks and disposes after its step.
 */
async function cnnFromIterable(backend: BackendName, batches: number): Promise<number> {
  await useBackend(backend);
  const model = cnn.model.compile(cnn.training);
  return timed((samples) => {
    const { x, y } = cnn.data(samples);
    async function* dataset() {
      for (let start = 0; start < samples; start += batchSize) {
        const size = Math.min(batchSize, samples - start);
        yield { xs: tf.slice(x, start, size), ys: tf.slice(y, start, size) };
      }
    }
    return () => model.fit(dataset, { epochs: 1, verbose: 0 });
  }, batches);
}

/** The same model in plain tfjs-layers, trained by tfjs's own fit, on a stock backend (no kerats kernels). */
function plain<Inputs extends Tensors, Outputs extends Tensors>(
  example: Example<Inputs, Outputs>,
  model: tf.LayersModel,
) {
  return async (backend: BackendName, batches: number) => {
    if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend(backend === 'native' || backend === 'gpu' ? 'tensorflow' : backend)))
      throw new Error(`no ${backend}`);
    // The same optimizer, losses and metrics as kerats is given.
    const { optimizer, loss, metrics = [] } = example.training;
    const rate =
      typeof optimizer === 'string' || typeof optimizer.learningRate !== 'number' ? undefined : optimizer.learningRate;
    model.compile({
      optimizer: tf.train.adam(rate ?? 0.001),
      loss: typeof loss === 'string' ? loss : Object.values(loss),
      metrics: (Array.isArray(metrics) ? metrics : []).filter((each) => typeof each === 'string'),
    });
    return timed((samples) => {
      const { x, y } = example.data(samples);
      const inputs = x instanceof tf.Tensor ? x : Array.isArray(x) ? x : Object.values(x);
      const targets = y instanceof tf.Tensor ? y : Array.isArray(y) ? y : Object.values(y);
      return () => model.fit(inputs, targets, { epochs: 1, batchSize, verbose: 0 });
    }, batches);
  };
}

const runs: Record<
  string,
  { kerats: ReturnType<typeof kerats>; kerats2: ReturnType<typeof kerats>; plain: ReturnType<typeof plain> }
> = {
  mlp: { kerats: kerats(mlp), kerats2: kerats(mlp, 2), plain: plain(mlp, plainMlp.model) },
  cnn: { kerats: kerats(cnn), kerats2: kerats(cnn, 2), plain: plain(cnn, plainCnn.model) },
  rnn: { kerats: kerats(rnn), kerats2: kerats(rnn, 2), plain: plain(rnn, plainRnn.model) },
  bilstm: { kerats: kerats(bilstm), kerats2: kerats(bilstm, 2), plain: plain(bilstm, plainBilstm.model) },
  'shared-input': {
    kerats: kerats(sharedInput),
    kerats2: kerats(sharedInput, 2),
    plain: plain(sharedInput, plainSharedInput.model),
  },
  'shared-feature-extraction': {
    kerats: kerats(sharedFeatureExtraction),
    kerats2: kerats(sharedFeatureExtraction, 2),
    plain: plain(sharedFeatureExtraction, plainSharedFeature.model),
  },
  'multiple-inputs': {
    kerats: kerats(multipleInputs),
    kerats2: kerats(multipleInputs, 2),
    plain: plain(multipleInputs, plainMultipleInputs.model),
  },
  'multiple-outputs': {
    kerats: kerats(multipleOutputs),
    kerats2: kerats(multipleOutputs, 2),
    plain: plain(multipleOutputs, plainMultipleOutputs.model),
  },
};

/** Models measured from an async iterable (`kerats-iterable`), beside their in-memory `kerats` figure. */
const iterableRuns: Record<string, (backend: BackendName, batches: number) => Promise<number>> = {
  cnn: cnnFromIterable,
};

const [implementation = '', name = '', backend = '', batches = '3'] = process.argv.slice(2);
const run = runs[name];
const chosen =
  implementation === 'kerats-iterable'
    ? iterableRuns[name]
    : implementation === 'kerats'
      ? run?.kerats
      : implementation === 'kerats2'
        ? run?.kerats2
        : implementation === 'plain'
          ? run?.plain
          : undefined;
const backendName = backendNames.find((candidate) => candidate === backend);
if (chosen === undefined || backendName === undefined) {
  console.log(
    JSON.stringify({
      error: `usage: bench-train-one <kerats|kerats2|kerats-iterable|plain> <${Object.keys(runs).join('|')}> <backend> <batches>`,
    }),
  );
  process.exit(2);
}
try {
  console.log(JSON.stringify({ samplesPerSecond: await chosen(backendName, Number(batches)) }));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.log(JSON.stringify({ error: message.split('\n')[0] }));
}
