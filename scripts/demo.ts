// npm run demo: the README's main job. For each of the eight reference models: the summary, then a few epochs
// of training on synthetic data with a learnable signal, on the default backend, with the loss before and after
// and the speed.
import * as tf from '@tensorflow/tfjs';
import { type Tensors, useBackend } from 'kerats';
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

/** One model's part of the demo: summary, loss before, training, loss after, speed. */
function demo<Inputs extends Tensors, Outputs extends Tensors>(
  name: string,
  example: Example<Inputs, Outputs>,
  samples: number,
  epochs: number,
): { name: string; run: () => Promise<void> } {
  const run = async () => {
    console.log(`# ${name}`);
    example.model.summary();
    const { x, y } = example.data(samples);
    const model = example.model.compile(example.training);
    const before = await model.evaluate(x, y);
    const start = performance.now();
    await model.fit(x, y, { epochs, batchSize: 32, verbose: 1 });
    const seconds = (performance.now() - start) / 1000;
    const after = await model.evaluate(x, y);
    tf.dispose(
      [x, y].flatMap((data) =>
        data instanceof tf.Tensor ? [data] : Object.values(data).filter((each) => each instanceof tf.Tensor),
      ),
    );
    console.log(
      `loss ${before.loss?.toFixed(4)} -> ${after.loss?.toFixed(4)}; ${((samples * epochs) / seconds).toFixed(1)} samples/s (${samples} samples x ${epochs} epochs in ${seconds.toFixed(1)} s)\n`,
    );
  };
  return { name, run };
}

const runs = [
  demo('Multilayer Perceptron', mlp, 1024, 10),
  demo('Convolutional Neural Network', cnn, 192, 4),
  demo('Recurrent Neural Network', rnn, 256, 4),
  demo('Bidirectional LSTM', bilstm, 128, 4),
  demo('Shared Input Layer', sharedInput, 192, 4),
  demo('Shared Feature Extraction', sharedFeatureExtraction, 256, 4),
  demo('Multiple Inputs', multipleInputs, 128, 3),
  demo('Multiple Outputs', multipleOutputs, 256, 4),
];

const only = process.argv.slice(2);
const backend = await useBackend(undefined, (skipped) =>
  console.log(`(skipped ${skipped.backend}: ${skipped.reason})`),
);
console.log(`kerats demo on the '${backend}' backend\n`);
const started = performance.now();
for (const { name, run } of runs) {
  if (only.length > 0 && !only.some((wanted) => name.toLowerCase().includes(wanted.toLowerCase()))) continue;
  await run();
}
console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
