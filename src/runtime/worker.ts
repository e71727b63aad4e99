// A worker thread of data-parallel training (parallel.ts): a replica of the model and the data; for each step,
// the gradients of its share of the batch at the weights it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { Functional } from '../dsl/model.ts';
import '../index.ts'; // registers every layer class, for rebuilding the graph
import { rebuildGraph } from '../dsl/saved-graph.ts';
import { isRecord } from '../json.ts';
import { parseBackend, useBackend } from './backend.ts';
import type { StepResult } from './parallel.ts';
import { readScores, trainerOf } from './training.ts';

/** A tensor sent by parallel.ts (a TensorMessage), checked. */
function tensorOf(message: unknown): tf.Tensor {
  if (
    !isRecord(message) ||
    !Array.isArray(message.shape) ||
    !message.shape.every((dim: unknown) => typeof dim === 'number')
  )
    throw new Error('worker: bad tensor');
  const { values, dtype } = message;
  if (values instanceof Float32Array && dtype === 'float32') return tf.tensor(values, message.shape, dtype);
  if (values instanceof Int32Array && dtype === 'int32') return tf.tensor(values, message.shape, dtype);
  throw new Error('worker: bad tensor');
}

/** Sets up the replica from the InitMessage parallel.ts sends, then answers loads and steps. */
async function main(port: NonNullable<typeof parentPort>, init: { readonly [key: string]: unknown }): Promise<void> {
  if (typeof init.backend !== 'string' || !isRecord(init.graph)) throw new Error('worker: bad init message');
  await useBackend(parseBackend(init.backend));
  const trainer = trainerOf(rebuildGraph('worker', init.graph, (args) => new Functional(args)));
  let inputs: tf.Tensor[] = [];
  let targets: tf.Tensor[] = [];
  let sampleWeights: tf.Tensor[] = [];
  const weights = trainer.graph.layersModel.weights;
  port.on('message', async (message: unknown) => {
    try {
      if (!isRecord(message)) throw new Error('worker: bad message');
      if (message.ready === true) return port.postMessage({ grads: [], scores: [] });
      if ('load' in message) {
        tf.dispose([...inputs, ...targets, ...sampleWeights]);
        inputs = [];
        targets = [];
        sampleWeights = [];
        const load = message.load;
        if (isRecord(load) && Array.isArray(load.inputs) && Array.isArray(load.targets)) {
          trainer.compile(load.compile);
          inputs = load.inputs.map(tensorOf);
          targets = load.targets.map(tensorOf);
          sampleWeights = Array.isArray(load.sampleWeights) ? load.sampleWeights.map(tensorOf) : [];
        }
        return port.postMessage({ grads: [], scores: [] });
      }
      if (!(message.rows instanceof Int32Array)) throw new Error('worker: no rows');
      if (Array.isArray(message.weights))
        message.weights.forEach((values: unknown, index) => {
          const weight = weights[index];
          if (weight && values instanceof Float32Array) {
            const value = tf.tensor(values, weight.read().shape);
            weight.write(value);
            value.dispose();
          }
        });
      const { grads, scores } = trainer.gradients(inputs, targets, Array.from(message.rows), sampleWeights);
      const arrays = grads.map((grad) => Float32Array.from(grad.dataSync()));
      tf.dispose(grads);
      const result: StepResult = { grads: arrays, scores: Object.entries(await readScores(scores)) };
      port.postMessage(
        result,
        arrays.map((array) => array.buffer),
      );
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}

if (parentPort !== null && isRecord(workerData)) {
  const port = parentPort;
  main(port, workerData).catch((error: unknown) =>
    port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}
