// Data-parallel training over worker threads, so that the wasm and cpu backends (one core each) use every core.
// Each worker holds a replica of the model, rebuilt from the saved-graph description, and the training data.
// Every step the batch is split: this thread and each worker compute the gradients of their share at the same
// weights; the shares' gradients are averaged (weighted by their sizes) and applied once, by this thread's
// optimizer; the new weights go out with the next step. The result equals a single-thread step up to
// floating-point summation order.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { Functional } from '../dsl/model.ts';
import { graphOf, rebuildGraph, type SavedGraph } from '../dsl/saved-graph.ts';
import { describe, fail, KeratsError } from '../errors.ts';
import { currentBackend } from './backend.ts';
import type { Optimizer } from './optimizers.ts';
import { addCounts, readScores, type Trainer } from './training.ts';

/** A tensor as it crosses threads. */
export interface TensorMessage {
  readonly values: Float32Array | Int32Array;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32';
}

export interface InitMessage {
  readonly graph: unknown;
  readonly backend: string;
}

/** The data of one fit, and the losses and metrics to score it with. */
export interface LoadMessage {
  readonly load: {
    readonly compile: unknown;
    readonly inputs: TensorMessage[];
    readonly targets: TensorMessage[];
    /** Per output, when fit has sample weights. */
    readonly sampleWeights: TensorMessage[];
  } | null;
}

export interface StepMessage {
  readonly rows: Int32Array;
  /** All weights, in the LayersModel's order, when they changed since the last step. */
  readonly weights: Float32Array[] | null;
}

export interface StepResult {
  readonly grads: Float32Array[];
  /** The counts of the losses and metrics (training.ts, scores): they add over the shares. */
  readonly scores: [string, number[]][];
}

export function toMessage(tensor: tf.Tensor): TensorMessage {
  const values = tensor.dtype === 'int32' ? Int32Array.from(tensor.dataSync()) : Float32Array.from(tensor.dataSync());
  return { values, shape: tensor.shape, dtype: tensor.dtype === 'int32' ? 'int32' : 'float32' };
}

/** The compiled worker script: beside this file in dist/, or dist/ itself when running from the sources. */
function workerScript(): string {
  const beside = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL('../../dist/src/runtime/worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error('fit: workers > 1 needs the compiled worker (npm run build)');
}

/**
 * Fails, before any worker starts, when a worker could not rebuild the model: a worker imports kerats alone, so a
 * user's layer class or Lambda function (which live in the user's code) is missing there.
 */
function sendable(graph: SavedGraph, workers: number): void {
  try {
    rebuildGraph('fit', graph, (args) => new Functional(args));
  } catch (error) {
    if (!(error instanceof KeratsError) || error.data.code !== 'custom-missing') throw error;
    const what =
      error.data.kind === 'class' ? `the layer class '${error.data.name}'` : `the function '${error.data.name}'`;
    fail({
      code: 'option',
      layer: 'fit',
      option: 'workers',
      expected: `1 for this model: it calls ${what}, which is your code, and a worker thread rebuilds the model from kerats alone`,
      received: describe(workers),
    });
  }
}

class Replica {
  private pending: { resolve: (result: StepResult) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (message: unknown) => {
      const waiting = this.pending;
      this.pending = undefined;
      this.idle();
      if (typeof message === 'object' && message !== null && 'error' in message)
        waiting?.reject(new Error(String(message.error)));
      else if (
        typeof message === 'object' &&
        message !== null &&
        'grads' in message &&
        'scores' in message &&
        Array.isArray(message.grads) &&
        Array.isArray(message.scores)
      )
        waiting?.resolve({
          grads: message.grads.filter((grad: unknown) => grad instanceof Float32Array),
          scores: message.scores,
        });
      else if (waiting) waiting.reject(new Error('fit: a worker sent an unexpected message'));
    });
    worker.on('error', (error) => this.fail(error));
    // A worker that ends (killed, out of memory) must not leave a step waiting for it.
    worker.on('exit', (code) => this.fail(new Error(`fit: a training worker stopped (exit code ${code})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.pending?.reject(error);
    this.pending = undefined;
  }

  /**
   * An idle worker must not keep the process alive (it stays for later fits), but one that is computing must:
   * the caller awaits it. (Adding a 'message' listener refs the worker, so this runs after each answer.)
   */
  private idle(): void {
    this.worker.unref();
  }

  request(message: StepMessage | LoadMessage | { ready: true }): Promise<StepResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(message);
    });
  }
}

/**
 * This thread's share of a batch is smaller than a worker's: besides its share it averages the gradients and
 * runs the optimizer while the workers wait. The weight was measured on the CNN with two threads.
 */
const mainWeight = 0.8;

/** Splits a batch's rows between this thread (first) and `workers` workers. */
function split(rows: readonly number[], workers: number): number[][] {
  const total = mainWeight + workers;
  const parts: number[][] = [];
  let start = 0;
  for (let index = 0; index <= workers; index++) {
    const end =
      index === workers ? rows.length : Math.round(start + (rows.length * (index === 0 ? mainWeight : 1)) / total);
    parts.push(rows.slice(start, end));
    start = end;
  }
  return parts;
}

export class ParallelGroup {
  private weightsChanged = true;
  private inputs: readonly tf.Tensor[] = [];
  private targets: readonly tf.Tensor[] = [];
  private sampleWeights: readonly tf.Tensor[] = [];

  private constructor(
    private readonly trainer: Trainer,
    private readonly replicas: Replica[],
  ) {}

  /** The number of worker threads. */
  get size(): number {
    return this.replicas.length;
  }

  /**
   * Starts `count` workers, each rebuilding a replica of the model. They stay for later fits, referenced only
   * while they compute, so that they never keep the process alive.
   */
  static async start(trainer: Trainer, count: number): Promise<ParallelGroup> {
    const graph = graphOf(trainer.model);
    sendable(graph, count + 1);
    const init: InitMessage = { graph, backend: await currentBackend() };
    const script = workerScript();
    const replicas = Array.from({ length: count }, () => new Replica(new Worker(script, { workerData: init })));
    const group = new ParallelGroup(trainer, replicas);
    try {
      await Promise.all(replicas.map((replica) => replica.request({ ready: true })));
    } catch (error) {
      await group.close();
      throw error;
    }
    return group;
  }

  /** Sends a fit's data, and the losses and metrics to score it with, to the workers. */
  async load(
    data: { readonly inputs: readonly tf.Tensor[]; readonly targets: readonly tf.Tensor[] | undefined },
    compiled: { readonly settings: unknown },
    sampleWeights: readonly tf.Tensor[],
  ): Promise<void> {
    this.inputs = data.inputs;
    this.targets = data.targets ?? [];
    this.sampleWeights = sampleWeights;
    this.weightsChanged = true;
    const load = {
      compile: compiled.settings,
      inputs: this.inputs.map(toMessage),
      targets: this.targets.map(toMessage),
      sampleWeights: sampleWeights.map(toMessage),
    };
    await Promise.all(this.replicas.map((replica) => replica.request({ load })));
  }

  /** Lets the workers drop the data of the fit that ended. */
  async unload(): Promise<void> {
    this.inputs = [];
    this.targets = [];
    this.sampleWeights = [];
    await Promise.all(this.replicas.map((replica) => replica.request({ load: null })));
  }

  /** One data-parallel step: shares of the batch everywhere, averaged gradients applied here. */
  async step(rows: readonly number[], optimizer: Optimizer): Promise<Record<string, number[]>> {
    const parts = split(rows, this.replicas.length);
    const weights = this.weightsChanged
      ? this.trainer.graph.layersModel.weights.map((weight) => Float32Array.from(weight.read().dataSync()))
      : null;
    this.weightsChanged = false;
    const remote = this.replicas.map((replica, index) => {
      const part = parts[index + 1] ?? [];
      return part.length === 0 ? undefined : replica.request({ rows: Int32Array.from(part), weights });
    });
    const local = this.trainer.gradients(this.inputs, this.targets, parts[0] ?? [], this.sampleWeights);
    const localScores = await readScores(local.scores);
    const results = await Promise.all(remote);
    const variables = this.trainer.graph.trainableVariables();
    const total = rows.length;
    const averaged = tf.tidy(() =>
      variables.map((variable, index) => {
        let sum = tf.mul(local.grads[index] ?? tf.zerosLike(variable), (parts[0]?.length ?? 0) / total);
        for (const [share, result] of results.entries()) {
          const grad = result?.grads[index];
          if (grad !== undefined)
            sum = tf.add(sum, tf.mul(tf.tensor(grad, variable.shape), (parts[share + 1]?.length ?? 0) / total));
        }
        return sum;
      }),
    );
    tf.dispose(local.grads);
    optimizer.apply(variables, averaged);
    this.trainer.graph.applyConstraints();
    tf.dispose(averaged);
    this.weightsChanged = true;
    // Counts add: a loss's [sum, samples] and a metric's state alike.
    const sums = new Map<string, number[]>();
    addCounts(sums, localScores);
    for (const result of results) addCounts(sums, Object.fromEntries(result?.scores ?? []));
    return Object.fromEntries(sums);
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.worker.terminate()));
  }
}
