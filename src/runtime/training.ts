// compile, fit, evaluate and predict, as Keras has them, on the lowered graph (graph.ts). kerats runs its own
// training loop: each output's loss is reduced to a scalar before the weighted sum (Keras's rule), the loss is
// checked for NaN after every batch, and no tensor outlives its batch.
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../dsl/layer.ts';
import type { Functional } from '../dsl/model.ts';
import { positiveInteger } from '../dsl/options.ts';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import { currentBackend } from './backend.ts';
import { prepare } from './data.ts';
import { type LoweredGraph, loweredGraphOf } from './graph.ts';
import { type CustomLoss, isLossArg, type Loss, type LossArg, loss, resolveLoss, type TargetRule } from './losses.ts';
import { type MetricName, metric, metricNames } from './metrics.ts';
import { makeOptimizer, type OptimizerName, optimizerNames } from './optimizers.ts';
import { ParallelGroup } from './parallel.ts';
import { Progress, type ProgressOutput, type Verbosity } from './progress.ts';
import { restoreCheckpoint } from './save.ts';

export interface CompileArgs<Metric extends MetricName = MetricName> {
  /** `'adam'`, `'sgd'`, `'rmsprop'`, `'adagrad'` with Keras's default learning rate, or with your own. */
  readonly optimizer: OptimizerName | { readonly name: OptimizerName; readonly learningRate?: number };
  /**
   * One loss for every output, one per output in order, or a record by output name. A loss is a Keras name
   * (`'sparseCategoricalCrossentropy'`), an object with its options (`{ name: 'categoricalCrossentropy',
   * fromLogits: true }`), or a function `(yTrue, yPred) => tf.Tensor`.
   */
  readonly loss: LossArg | readonly LossArg[] | Readonly<Record<string, LossArg>>;
  readonly metrics?: readonly Metric[];
  /** Weights of the outputs' losses in the total: a list in order or a record by output name. Default 1 each. */
  readonly lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

/** Epoch logs: `loss`, the metrics asked for, and `val_` versions of both when there is validation data. */
export type Logs<Metric extends string = string> = Partial<Record<'loss' | Metric | `val_${'loss' | Metric}`, number>> &
  Record<string, number>;

export interface Callback {
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** Return `'stop'` to end training after this epoch. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing must fit.
  onEpochEnd?(epoch: number, logs: Logs, control: TrainingControl): void | 'stop' | Promise<void | 'stop'>;
  onTrainEnd?(): void | Promise<void>;
}

/** What a callback may do to the training under way. */
export interface TrainingControl {
  /** The current weights, to restore later. */
  snapshot(): tf.Tensor[];
  restore(weights: readonly tf.Tensor[]): void;
  /** The model being trained. */
  readonly model: Functional;
}

export interface FitArgs {
  /** Default 1. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Hold out this fraction of the samples (the last ones, before shuffling) to validate on. */
  readonly validationSplit?: number;
  readonly validationData?: readonly [unknown, unknown];
  /** Shuffle the training samples every epoch. Default true. */
  readonly shuffle?: boolean;
  readonly callbacks?: readonly Callback[];
  /** 0: silent; 1: a progress bar on a terminal, a line per epoch elsewhere (default); 2: a line per epoch. */
  readonly verbose?: Verbosity;
  /** The epoch to start from (when resuming). Default 0. */
  readonly initialEpoch?: number;
  /** Stop with an error when the loss becomes NaN or infinite. Default true. */
  readonly stopOnNonFinite?: boolean;
  /** Where the progress goes. Default process.stdout. */
  readonly output?: ProgressOutput;
  /**
   * A directory written by ModelCheckpoint (or model.save) from this model: its weights, optimizer state and
   * epoch count are restored first, and training continues from that epoch.
   */
  readonly resumeFrom?: string;
  /**
   * Train data-parallel on this many threads (this one and workers - 1 worker threads), each computing the
   * gradients of its share of every batch; for the wasm and cpu backends, which use one core each. Default 1.
   */
  readonly workers?: number;
}

export interface History<Metric extends string = string> {
  readonly epoch: number[];
  readonly history: Record<'loss' | Metric | `val_${'loss' | Metric}`, number[]> & Record<string, number[]>;
}

export interface Compiled {
  readonly optimizer: tf.Optimizer;
  readonly losses: Loss[];
  readonly weights: number[];
  readonly metrics: MetricName[];
  /** What each output's target must be, for its loss. */
  readonly targets: TargetRule[];
  /** The settings as JSON: what save() writes and worker threads receive; compile takes them again. */
  readonly settings: JsonValue;
  /** Whether a setting is a function of the user's, which cannot be sent to a worker thread. */
  readonly custom: boolean;
}

/**
 * One setting per output, from one for all, a list in output order, or a record by output name (a missing name
 * takes `fallback`). `resolve` checks each and names it in messages (`loss`, `loss[1]`, `loss.dense`).
 */
function perOutput<T>(
  operation: string,
  what: string,
  names: readonly string[],
  value: unknown,
  single: (item: unknown) => boolean,
  resolve: (item: unknown, where: string, index: number) => T,
  fallback?: unknown,
): T[] {
  if (single(value)) return names.map((_, index) => resolve(value, what, index));
  if (Array.isArray(value)) {
    if (value.length !== names.length)
      fail({
        code: 'option',
        layer: operation,
        option: what,
        expected: `${names.length} entries, one per output (${names.join(', ')})`,
        received: `${value.length}`,
      });
    return value.map((item: unknown, index) => resolve(item, `${what}[${index}]`, index));
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value))
      if (!names.includes(key))
        fail({ code: 'data-name', layer: operation, role: 'target', name: key, expected: names });
    return names.map((name, index) => {
      const item = Object.hasOwn(value, name) ? value[name] : fallback;
      if (item === undefined)
        return fail({
          code: 'option',
          layer: operation,
          option: `${what}.${name}`,
          expected: `a setting for every output (${names.join(', ')})`,
          received: 'nothing',
        });
      return resolve(item, `${what}.${name}`, index);
    });
  }
  return fail({
    code: 'option',
    layer: operation,
    option: what,
    expected: 'one entry, a list, or a record by output name',
    received: describe(value),
  });
}

function weightOf(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return fail({
    code: 'option',
    layer: 'compile',
    option: where,
    expected: 'a number >= 0',
    received: describe(value),
  });
}

const trainers = new WeakMap<Functional, Trainer>();

/** The runtime of a model, made on first use: training is something done to a model, kept beside it. */
export function trainerOf(model: Functional): Trainer {
  let trainer = trainers.get(model);
  if (trainer === undefined) {
    trainer = new Trainer(model);
    trainers.set(model, trainer);
  }
  return trainer;
}

/** The runtime state of one model: its lowered graph and, once compiled, its optimizer and losses. */
export class Trainer {
  readonly graph: LoweredGraph;
  compiled: Compiled | undefined;
  /** Epochs completed, for resuming. */
  epochsDone = 0;

  constructor(readonly model: Functional) {
    this.graph = loweredGraphOf(model);
  }

  get outputNames(): string[] {
    return this.model.outputs.map((output) => output.node.layer.name);
  }

  /**
   * Checks the settings (from a caller, or from a saved file) and makes the optimizer. `customs` are the custom
   * losses a saved setting may name; `warn` (default true) reports outputs whose activation does not fit the loss.
   */
  compile(
    args: unknown,
    { customs = new Map(), warn = true }: { customs?: ReadonlyMap<string, CustomLoss>; warn?: boolean } = {},
  ): void {
    if (!isRecord(args))
      fail({
        code: 'option',
        layer: 'compile',
        option: 'its argument',
        expected: '{ optimizer, loss, metrics? }',
        received: describe(args),
      });
    const spec = isRecord(args.optimizer) ? args.optimizer : { name: args.optimizer };
    const optimizerName = optimizerNames.find((name) => name === spec.name);
    if (optimizerName === undefined)
      fail({
        code: 'option',
        layer: 'compile',
        option: 'optimizer',
        expected: `one of ${optimizerNames.join(', ')}`,
        received: describe(spec.name),
      });
    const learningRate = spec.learningRate;
    if (
      learningRate !== undefined &&
      !(typeof learningRate === 'number' && learningRate > 0 && Number.isFinite(learningRate))
    )
      fail({
        code: 'option',
        layer: 'compile',
        option: 'optimizer.learningRate',
        expected: 'a positive number',
        received: describe(learningRate),
      });
    const names = this.outputNames;
    if (args.loss === undefined)
      fail({
        code: 'option',
        layer: 'compile',
        option: 'loss',
        expected: 'a loss for the outputs (a Keras name, an object { name, ...options }, or a function)',
        received: 'nothing',
      });
    const outputs = this.model.outputs;
    const losses = perOutput('compile', 'loss', names, args.loss, isLossArg, (item, where, index) =>
      resolveLoss(item, where, outputs[index] ?? { shape: [] }, customs),
    );
    const weights = perOutput(
      'compile',
      'lossWeights',
      names,
      args.lossWeights ?? 1,
      (item) => !isRecord(item) && !Array.isArray(item),
      (item, where) => weightOf(item, where),
      1,
    );
    const metrics: MetricName[] = [];
    for (const name of Array.isArray(args.metrics) ? args.metrics : args.metrics === undefined ? [] : [args.metrics]) {
      const found = metricNames.find((metricName) => metricName === name);
      if (found === undefined)
        fail({
          code: 'option',
          layer: 'compile',
          option: 'metrics',
          expected: `some of ${metricNames.join(', ')}`,
          received: describe(name),
        });
      metrics.push(found);
    }
    const optimizer = makeOptimizer(optimizerName, learningRate);
    this.compiled?.optimizer.dispose();
    this.compiled = {
      optimizer,
      losses,
      weights,
      metrics,
      targets: losses.map((each, index) => each.target(outputs[index] ?? { shape: [] })),
      settings: {
        optimizer: learningRate === undefined ? optimizerName : { name: optimizerName, learningRate },
        loss: losses.map((each) => each.settings),
        lossWeights: weights,
        metrics,
      },
      custom: losses.some((each) => each.custom !== undefined),
    };
    if (warn) for (const warning of activationWarnings(this.model, losses)) this.model.onWarning(warning);
  }

  /**
   * Compiles with settings a save recorded. A custom loss is saved by its function's name: resuming into the
   * model compiled with it finds it again; elsewhere (loadModel) the model is left uncompiled, and false returned.
   */
  compileSaved(settings: unknown): boolean {
    const customs = new Map<string, CustomLoss>();
    for (const each of this.compiled?.losses ?? []) if (each.custom) customs.set(each.name, each.custom);
    const wanted = isRecord(settings) && Array.isArray(settings.loss) ? settings.loss : [];
    const unknown = wanted.some(
      (item: unknown) => isRecord(item) && typeof item.custom === 'string' && !customs.has(item.custom),
    );
    if (unknown) return false;
    this.compile(settings, { customs, warn: false });
    return true;
  }

  private requireCompiled(operation: string): Compiled {
    return this.compiled ?? fail({ code: 'not-compiled', layer: operation });
  }

  /** Loss and metric scalars for one batch's predictions, keyed as Keras names them. */
  private scores(
    compiled: Compiled,
    predictions: readonly tf.Tensor[],
    targets: readonly tf.Tensor[],
  ): { total: tf.Scalar; named: Map<string, tf.Scalar> } {
    const named = new Map<string, tf.Scalar>();
    const names = this.outputNames;
    const multiple = names.length > 1;
    let total: tf.Scalar | undefined;
    for (const [index, prediction] of predictions.entries()) {
      const target = targets[index];
      const lossOf = compiled.losses[index];
      if (target === undefined || lossOf === undefined) continue;
      const value = loss(lossOf, target, prediction);
      const weight = compiled.weights[index] ?? 1;
      const weighted = weight === 1 ? value : tf.mul<tf.Scalar>(value, weight);
      total = total === undefined ? weighted : tf.add<tf.Scalar>(total, weighted);
      const prefix = multiple ? `${names[index]}_` : '';
      if (multiple) named.set(`${prefix}loss`, value);
      for (const metricName of compiled.metrics)
        named.set(`${prefix}${metricName}`, metric(metricName, lossOf, target, prediction));
    }
    const sum = total ?? tf.scalar(0);
    // Keras's order: the total loss first.
    return { total: sum, named: new Map([['loss', sum], ...named]) };
  }

  private group: ParallelGroup | undefined;

  /** The worker threads for data-parallel training: started once, kept (unreferenced) for later fits. */
  private async parallelGroup(workers: number): Promise<ParallelGroup> {
    if (this.group?.size !== workers) {
      await this.group?.close();
      this.group = undefined;
      this.group = await ParallelGroup.start(this, workers);
    }
    return this.group;
  }

  /** One training step on this thread: gradients of the batch, applied; returns the batch's scores. */
  private async localStep(
    compiled: Compiled,
    data: { inputs: readonly tf.Tensor[]; targets: readonly tf.Tensor[] | undefined },
    rows: readonly number[],
    variables: tf.Variable[],
  ): Promise<Record<string, number>> {
    const { grads, scores } = this.gradients(data.inputs, data.targets ?? [], rows);
    compiled.optimizer.applyGradients(
      Object.fromEntries(variables.map((variable, index) => [variable.name, grads[index] ?? tf.zerosLike(variable)])),
    );
    tf.dispose(grads);
    return readScores(scores);
  }

  /**
   * Gradients of the loss on some rows of the data, and the scores, without applying them: one share of a
   * data-parallel step (parallel.ts). Gradients are in trainable-variable order.
   */
  gradients(
    inputs: readonly tf.Tensor[],
    targets: readonly tf.Tensor[],
    rows: readonly number[],
  ): { grads: tf.Tensor[]; scores: Map<string, tf.Scalar> } {
    const compiled = this.requireCompiled('fit');
    const variables = this.graph.trainableVariables();
    let scores = new Map<string, tf.Scalar>();
    const grads = tf.tidy(() => {
      const indices = tf.tensor1d([...rows], 'int32');
      const xs = inputs.map((tensor) => tf.gather(tensor, indices));
      const ys = targets.map((tensor) => tf.gather(tensor, indices));
      if (variables.length === 0) {
        // Nothing to train (every layer weightless or frozen): Keras still runs the step, forward only.
        const scored = this.scores(compiled, this.graph.run(xs, true), ys);
        scores = new Map([...scored.named].map(([name, value]) => [name, tf.keep(value)]));
        return [];
      }
      const result = tf.variableGrads(() => {
        const scored = this.scores(compiled, this.graph.run(xs, true), ys);
        scores = new Map([...scored.named].map(([name, value]) => [name, tf.keep(value)]));
        return scored.total;
      }, variables);
      return variables.map((variable) => result.grads[variable.name] ?? tf.zerosLike(variable));
    });
    return { grads, scores };
  }

  async fit(x: unknown, y: unknown, args: FitArgs = {}): Promise<History> {
    this.requireCompiled('fit');
    await currentBackend();
    // Restoring recompiles (the saved settings and optimizer state), so the optimizer is read after it.
    if (args.resumeFrom !== undefined) await restoreCheckpoint(this.model, args.resumeFrom);
    const compiled = this.requireCompiled('fit');
    const epochs = positiveInteger('fit', 'epochs', args.epochs ?? 1);
    const batchSize = positiveInteger('fit', 'batchSize', args.batchSize ?? 32);
    const initialEpoch = args.initialEpoch ?? (args.resumeFrom !== undefined ? this.epochsDone : 0);
    if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch > epochs)
      fail({
        code: 'option',
        layer: 'fit',
        option: 'initialEpoch',
        expected: `an integer in [0, ${epochs}]`,
        received: describe(initialEpoch),
      });
    const split = args.validationSplit ?? 0;
    if (!(typeof split === 'number' && split >= 0 && split < 1))
      fail({
        code: 'option',
        layer: 'fit',
        option: 'validationSplit',
        expected: 'a number in [0, 1)',
        received: describe(split),
      });
    const data = prepare('fit', this.model, x, y, compiled.targets);
    const validation = args.validationData
      ? prepare('fit (validationData)', this.model, args.validationData[0], args.validationData[1], compiled.targets)
      : undefined;
    const trainCount = split > 0 ? Math.floor(data.samples * (1 - split)) : data.samples;
    if (trainCount < 1)
      fail({
        code: 'data-values',
        layer: 'fit',
        role: 'input',
        name: this.model.inputs[0]?.node.layer.name ?? '',
        problem: `has ${data.samples} samples, too few to train on`,
      });
    const progress = new Progress(args.verbose ?? 1, epochs, args.output);
    const callbacks = args.callbacks ?? [];
    const history: History = { epoch: [], history: { loss: [] } };
    const variables = this.graph.trainableVariables();
    const control: TrainingControl = {
      model: this.model,
      snapshot: () => this.graph.layersModel.weights.map((weight) => tf.clone(weight.read())),
      restore: (weights) =>
        this.graph.layersModel.weights.forEach((weight, index) => {
          const value = weights[index];
          if (value) weight.write(value);
        }),
    };
    const slice = (tensors: readonly tf.Tensor[], start: number, end: number) =>
      tensors.map((tensor) => tf.slice(tensor, start, end - start));
    const heldOut =
      split > 0 && data.targets
        ? {
            inputs: slice(data.inputs, trainCount, data.samples),
            targets: slice(data.targets, trainCount, data.samples),
          }
        : undefined;
    const workers = positiveInteger('fit', 'workers', args.workers ?? 1);
    if (workers > 1 && compiled.custom)
      fail({
        code: 'option',
        layer: 'fit',
        option: 'workers',
        expected: '1 with a custom loss (a function cannot be sent to a worker thread)',
        received: describe(workers),
      });
    const group = workers > 1 ? await this.parallelGroup(workers - 1) : undefined;
    await group?.load(data, compiled);
    try {
      for (const callback of callbacks) await callback.onTrainBegin?.();
      for (let epoch = initialEpoch; epoch < epochs; epoch++) {
        for (const callback of callbacks) await callback.onEpochBegin?.(epoch);
        progress.epochBegin(epoch);
        const order =
          args.shuffle === false
            ? Array.from({ length: trainCount }, (_, index) => index)
            : Array.from(tf.util.createShuffledIndices(trainCount));
        const steps = Math.ceil(trainCount / batchSize);
        const sums = new Map<string, number>();
        let seen = 0;
        for (let step = 0; step < steps; step++) {
          const rows = order.slice(step * batchSize, (step + 1) * batchSize);
          const logs = group
            ? await group.step(rows, compiled.optimizer)
            : await this.localStep(compiled, data, rows, variables);
          const batchLoss = logs.loss ?? Number.NaN;
          if (args.stopOnNonFinite !== false && !Number.isFinite(batchLoss))
            fail({
              code: 'not-finite',
              layer: 'fit',
              what: 'loss',
              epoch: epoch + 1,
              batch: step + 1,
              value: batchLoss,
            });
          for (const [name, value] of Object.entries(logs)) sums.set(name, (sums.get(name) ?? 0) + value * rows.length);
          seen += rows.length;
          const running = Object.fromEntries([...sums].map(([name, sum]) => [name, sum / seen]));
          progress.batchEnd(step + 1, steps, running);
          for (const callback of callbacks) await callback.onBatchEnd?.(step, running);
        }
        const logs: Record<string, number> = Object.fromEntries([...sums].map(([name, sum]) => [name, sum / seen]));
        const check =
          heldOut ?? (validation?.targets ? { inputs: validation.inputs, targets: validation.targets } : undefined);
        if (check)
          for (const [name, value] of Object.entries(this.score(compiled, check.inputs, check.targets, batchSize)))
            logs[`val_${name}`] = value;
        progress.epochEnd(epoch, steps, logs);
        history.epoch.push(epoch);
        for (const [name, value] of Object.entries(logs)) {
          const series = history.history[name] ?? [];
          series.push(value);
          history.history[name] = series;
        }
        this.epochsDone = epoch + 1;
        let stop = false;
        for (const callback of callbacks)
          if ((await callback.onEpochEnd?.(epoch, logs, control)) === 'stop') stop = true;
        if (stop) break;
      }
      for (const callback of callbacks) await callback.onTrainEnd?.();
      return history;
    } finally {
      await group?.unload();
      for (const tensor of [...(heldOut?.inputs ?? []), ...(heldOut?.targets ?? [])]) tensor.dispose();
      data.owned.dispose();
      validation?.owned.dispose();
    }
  }

  /** Mean loss and metrics over data, batch by batch, without training. */
  private score(
    compiled: Compiled,
    inputs: readonly tf.Tensor[],
    targets: readonly tf.Tensor[],
    batchSize: number,
  ): Record<string, number> {
    const samples = inputs[0]?.shape[0] ?? 0;
    const sums = new Map<string, number>();
    for (let start = 0; start < samples; start += batchSize) {
      const size = Math.min(batchSize, samples - start);
      const values = tf.tidy(() => {
        const cut = (tensor: tf.Tensor) => tf.slice(tensor, start, size);
        const result = this.scores(compiled, this.graph.run(inputs.map(cut), false), targets.map(cut));
        return [...result.named].map(([name, value]) => [name, value.dataSync()[0] ?? Number.NaN] as const);
      });
      for (const [name, value] of values) sums.set(name, (sums.get(name) ?? 0) + value * size);
    }
    return Object.fromEntries([...sums].map(([name, sum]) => [name, sum / Math.max(1, samples)]));
  }

  async evaluate(x: unknown, y: unknown, args: { readonly batchSize?: number } = {}): Promise<Record<string, number>> {
    const compiled = this.requireCompiled('evaluate');
    await currentBackend();
    const batchSize = positiveInteger('evaluate', 'batchSize', args.batchSize ?? 32);
    const data = prepare('evaluate', this.model, x, y, compiled.targets);
    try {
      return this.score(compiled, data.inputs, data.targets ?? [], batchSize);
    } finally {
      data.owned.dispose();
    }
  }

  async predict(x: unknown, args: { readonly batchSize?: number } = {}): Promise<tf.Tensor[]> {
    await currentBackend();
    const batchSize = positiveInteger('predict', 'batchSize', args.batchSize ?? 32);
    const data = prepare('predict', this.model, x);
    try {
      return tf.tidy(() => {
        const parts: tf.Tensor[][] = this.model.outputs.map(() => []);
        for (let start = 0; start < data.samples; start += batchSize) {
          const size = Math.min(batchSize, data.samples - start);
          const outputs = this.graph.run(
            data.inputs.map((tensor) => tf.slice(tensor, start, size)),
            false,
          );
          for (const [index, output] of outputs.entries()) parts[index]?.push(output);
        }
        return parts.map((list) => (list.length === 1 ? (list[0] ?? tf.tensor([])) : tf.concat(list, 0)));
      });
    } finally {
      data.owned.dispose();
    }
  }
}

/** Reads a batch's scores from the backend in one read, and disposes them. */
export async function readScores(values: ReadonlyMap<string, tf.Scalar>): Promise<Record<string, number>> {
  const names = [...values.keys()];
  const stacked = tf.stack([...values.values()]);
  const numbers = await stacked.data();
  tf.dispose([stacked, ...values.values()]);
  return Object.fromEntries(names.map((name, index) => [name, numbers[index] ?? Number.NaN]));
}

/** The activation an output's layer applies last, where its config says (Dense, Conv2D, Activation, ...). */
function activationOf(output: Functional['outputs'][number]): string | undefined {
  const activation = output.node.layer.spec.config.activation;
  return typeof activation === 'string' ? activation : undefined;
}

/**
 * Keras users' most common mistake with cross-entropies, said at compile: probabilities fed to a loss that takes
 * logits (the loss applies softmax/sigmoid a second time), or logits fed to one that takes probabilities (it
 * clips them to [1e-7, 1 - 1e-7] and trains on nonsense).
 */
export function activationWarnings(model: Functional, losses: readonly Loss[]): string[] {
  const warnings: string[] = [];
  for (const [index, output] of model.outputs.entries()) {
    const lossOf = losses[index];
    const activation = activationOf(output);
    if (lossOf === undefined || activation === undefined || lossOf.expects === undefined) continue;
    const name = `output '${output.node.layer.name}'`;
    if (lossOf.expects === 'logits' && (activation === 'softmax' || activation === 'sigmoid'))
      warnings.push(
        `compile: ${name} ends in a ${activation} activation, but its loss ${lossOf.name} has fromLogits: true, so softmax/sigmoid is applied twice; give the layer activation: 'linear', or drop fromLogits`,
      );
    else if (lossOf.expects === 'probabilities' && activation === 'linear')
      warnings.push(
        lossOf.lossName === 'kullbackLeiblerDivergence'
          ? `compile: ${name} has a linear activation, but its loss ${lossOf.name} expects probabilities; give the layer activation: '${lossOf.activation ?? 'softmax'}'`
          : `compile: ${name} has a linear activation (logits), but its loss ${lossOf.name} expects probabilities; use { name: '${lossOf.name}', fromLogits: true }, or give the layer activation: '${lossOf.activation ?? 'softmax'}'`,
      );
  }
  return warnings;
}
