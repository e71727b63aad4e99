// compile, fit, evaluate and predict, as Keras has them, on the lowered graph (graph.ts). kerats runs its own
// training loop: each output's loss is reduced to a scalar before the weighted sum (Keras's rule), the loss is
// checked for NaN after every batch, and no tensor outlives its batch.
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../dsl/layer.ts';
import type { Functional } from '../dsl/model.ts';
import { positiveInteger } from '../dsl/options.ts';
import type { AnyTensor } from '../dsl/tensor.ts';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import { currentBackend } from './backend.ts';
import { type Prepared, prepare } from './data.ts';
import { type Batch, BatchStream, type Dataset, isDataset, Source, tensorsIn, unpackBatch } from './datasets.ts';
import { type LoweredGraph, loweredGraphOf } from './graph.ts';
import { type CustomLoss, isLossArg, type Loss, type LossArg, loss, resolveLoss, type TargetRule } from './losses.ts';
import {
  type CustomMetric,
  isMetricArg,
  type Metric,
  type MetricName,
  type MetricObject,
  type NamedCustomMetric,
  resolveMetric,
} from './metrics.ts';
import { makeOptimizer, type Optimizer, type OptimizerArg } from './optimizers.ts';
import { ParallelGroup } from './parallel.ts';
import { Progress, type ProgressOutput, type Verbosity, verbosities } from './progress.ts';
import {
  type ClassWeightArg,
  checkClassWeight,
  classSampleWeights,
  type SampleWeightArg,
  sampleWeights,
} from './sample-weights.ts';
import { restoreCheckpoint } from './save.ts';

/**
 * One metric: a Keras name, an object with options (`{ name: 'topKCategoricalAccuracy', k: 3 }`), a custom function
 * with the name it is logged under (`{ name: 'f1', fn }`), or a bare function (logged under its function name,
 * which the types cannot see: the logs are then keyed by any string; `{ name, fn }` keeps them exact).
 */
export type MetricArgFor<Builtin extends MetricName = MetricName, Custom extends string = string> =
  | Builtin
  | (MetricObject & { readonly name: Builtin })
  | NamedCustomMetric<Custom>
  // A function's `name` is typed string: a bare function widens the keys to any string.
  | (((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor) & { readonly name: Custom });

/**
 * Metrics for every output (a list), one list per output in order, or a record by output name (Keras's
 * `metrics={'out1': ['accuracy']}`).
 */
export type MetricsArg<Builtin extends MetricName = MetricName, Custom extends string = string> =
  | MetricArgFor<Builtin, Custom>
  | readonly MetricArgFor<Builtin, Custom>[]
  | readonly (MetricArgFor<Builtin, Custom> | readonly MetricArgFor<Builtin, Custom>[])[]
  | Readonly<Record<string, MetricArgFor<Builtin, Custom> | readonly MetricArgFor<Builtin, Custom>[]>>;

/** The built-in metric names among the keys `Metric` (every name when the keys are any string). */
type BuiltinOf<Metric extends string> = string extends Metric ? MetricName : Extract<Metric, MetricName>;

/** compile's arguments with the metrics' names as type parameters, so that History is typed by them. */
export type CompileArgsFor<Builtin extends MetricName, Custom extends string> = Omit<CompileArgs, 'metrics'> & {
  readonly metrics?: MetricsArg<Builtin, Custom>;
};

export interface CompileArgs<Metric extends string = string> {
  /**
   * A Keras name (`'adam'`, `'sgd'`, `'adamw'`, ...) with Keras's defaults, or an object with options:
   * `{ name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 1 }`; `learningRate` may be a
   * schedule (`{ name: 'cosineDecay', initialLearningRate: 0.1, decaySteps: 1000 }`).
   */
  readonly optimizer: OptimizerArg;
  /**
   * One loss for every output, one per output in order, or a record by output name. A loss is a Keras name
   * (`'sparseCategoricalCrossentropy'`), an object with its options (`{ name: 'categoricalCrossentropy',
   * fromLogits: true }`), or a function `(yTrue, yPred) => tf.Tensor`.
   */
  readonly loss: LossArg | readonly LossArg[] | Readonly<Record<string, LossArg>>;
  /** Logged as Keras logs them: `accuracy`, `val_accuracy`; with several outputs, `out1_accuracy`. */
  readonly metrics?: MetricsArg<BuiltinOf<Metric>, Metric>;
  /** Weights of the outputs' losses in the total: a list in order or a record by output name. Default 1 each. */
  readonly lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

/**
 * The keys Keras logs for a model's training (keras/src/trainers/compile_utils.py): `loss` and the metrics; with
 * several outputs, `loss` and each output's `<output>_loss` and `<output>_<metric>`, the metrics only by output.
 */
export type TrainKey<Metric extends string = string, Outputs = unknown> =
  | 'loss'
  | (Outputs extends AnyTensor | readonly [AnyTensor] ? Metric : `${string}_loss` | `${string}_${Metric}`)
  // A metric given twice is logged again with a count, as Keras does (`precision_1`).
  | `${Metric}_${number}`;

/**
 * Epoch logs: `loss` and the metrics, and their `val_` versions when there is validation data; `learning_rate`
 * when a callback logs it (ReduceLROnPlateau, LearningRateScheduler), as Keras's do.
 */
export type Logs<Metric extends string = string, Outputs = unknown> = string extends Metric
  ? Readonly<Record<string, number>>
  : { readonly loss?: number; readonly val_loss?: number; readonly learning_rate?: number } & {
      readonly [Key in TrainKey<Metric, Outputs> | `val_${TrainKey<Metric, Outputs>}`]?: number;
    };

/**
 * What fit calls as training goes, as Keras's `keras.callbacks.Callback` (a plain object, or a class that
 * implements it). Every hook is given the training under way (`training.model`, `training.stopTraining`, ...).
 * `Log` is the type of the logs: fit types it by the model's metrics.
 */
export interface Callback<Log = Logs, Model extends Functional = Functional> {
  /** Before the first epoch; setting `training.initialEpoch` here resumes (as BackupAndRestore does). */
  onTrainBegin?(training: TrainingControl<Model>): void | Promise<void>;
  onEpochBegin?(epoch: number, training: TrainingControl<Model>): void | Promise<void>;
  /** `batch` counts from 0 in each epoch. */
  onBatchBegin?(batch: number, training: TrainingControl<Model>): void | Promise<void>;
  /** `logs`: the epoch's values so far (a metric over the batches of the epoch up to this one), as Keras's. */
  onBatchEnd?(batch: number, logs: Log, training: TrainingControl<Model>): void | Promise<void>;
  /** Return `'stop'` (or set `training.stopTraining`) to end training after this epoch. */
  onEpochEnd?(
    epoch: number,
    logs: Log,
    training: TrainingControl<Model>,
    // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing must fit.
  ): void | 'stop' | Promise<void | 'stop'>;
  /** After the last epoch, with its logs (undefined when no epoch ran). Not called when training threw. */
  onTrainEnd?(logs: Log | undefined, training: TrainingControl<Model>): void | Promise<void>;
}

/** What a callback may do to the training under way. */
export interface TrainingControl<Model extends Functional = Functional> {
  /** The model being trained. */
  readonly model: Model;
  /**
   * Set to true to end training (Keras's `model.stop_training = True`): after this batch the epoch ends, its
   * logs are made, onEpochEnd runs, and no other epoch starts.
   */
  stopTraining: boolean;
  /**
   * The optimizer's learning rate (of the next update). Setting it changes the rate the updates use, and a save
   * records it; an optimizer compiled with a schedule refuses, as in Keras.
   */
  learningRate: number;
  /** The epoch the training starts from; set it in onTrainBegin to resume (Keras's `model._initial_epoch`). */
  initialEpoch: number;
  /** Adds a value to this epoch's logs, seen by later callbacks, the progress line and History (Keras's `logs[key] = value`). */
  log(key: string, value: number): void;
  /** Writes a line where fit's progress goes (Keras's `io_utils.print_msg`). */
  print(line: string): void;
  /** The current weights, to restore later. */
  snapshot(): tf.Tensor[];
  restore(weights: readonly tf.Tensor[]): void;
}

export interface FitArgs<Log = Logs, Model extends Functional = Functional> {
  /** Default 1. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Hold out this fraction of the samples (the last ones, before shuffling) to validate on. */
  readonly validationSplit?: number;
  /** `[x, y]`, or a dataset of batches (read once per validation, or `validationSteps` batches of it). */
  readonly validationData?: readonly [unknown, unknown] | Dataset<Batch>;
  /** Batches of a validationData dataset per validation (Keras's `validation_steps`). Default: a whole pass. */
  readonly validationSteps?: number;
  /** Shuffle the training samples every epoch. Default true. */
  readonly shuffle?: boolean;
  readonly callbacks?: readonly Callback<Log, Model>[];
  /**
   * As Keras's ProgbarLogger: 0 silent; 1 (and 'auto', the default) a progress bar on a terminal, a line per
   * epoch elsewhere; 2 a line per epoch. `Epoch n/N` heads each epoch when there are several.
   */
  readonly verbose?: Verbosity;
  /**
   * The epoch to start from, counting from 0 (Keras's `initial_epoch`): training runs epochs initialEpoch..epochs-1.
   * Default 0, or the epochs a `resumeFrom` save had done.
   */
  readonly initialEpoch?: number;
  /**
   * Weights of the samples in the loss: `[samples]` (or `[samples, steps]` for an output with steps), one for
   * every output, a list per output or a record by output name. Metrics are not weighted (as Keras's `metrics`).
   */
  readonly sampleWeight?: SampleWeightArg;
  /** Weights of the classes in the loss, by class id (`{ 0: 1, 1: 5 }`); single-output models. */
  readonly classWeight?: ClassWeightArg;
  /** Validate every n epochs (n a positive integer), or after the epochs listed (1-based, as Keras). Default 1. */
  readonly validationFreq?: number | readonly number[];
  /** Batches per epoch; the data is drawn on across epochs (reshuffled as each pass ends). Default: one pass. */
  readonly stepsPerEpoch?: number;
  /** The batch size of validation. Default: batchSize. */
  readonly validationBatchSize?: number;
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

/**
 * fit's options with a dataset: those of in-memory data but the ones the dataset decides (its batch size, its
 * order, its sample weights), and `workers`: data-parallel training needs the data in memory.
 */
export type DatasetFitArgs<Log = Logs, Model extends Functional = Functional> = Omit<
  FitArgs<Log, Model>,
  'batchSize' | 'validationSplit' | 'sampleWeight' | 'shuffle' | 'workers'
>;

/** evaluate's and predict's options with a dataset. */
export interface DatasetEvaluateArgs {
  /** Batches to read (Keras's `steps`). Default: a whole pass. */
  readonly steps?: number;
}

/**
 * What fit returns, as Keras's History: the epochs trained and one list of values per key Keras logs, so that a
 * key Keras would not log (`val_acc` when the metric is `accuracy`) does not compile.
 */
export interface History<Metric extends string = string, Outputs = unknown> {
  readonly epoch: number[];
  readonly history: string extends Metric
    ? { loss: number[] } & Record<string, number[]>
    : { loss: number[]; val_loss: number[]; learning_rate?: number[] } & {
        [Key in TrainKey<Metric, Outputs> | `val_${TrainKey<Metric, Outputs>}`]: number[];
      };
}

export interface Compiled {
  readonly optimizer: Optimizer;
  readonly losses: Loss[];
  readonly weights: number[];
  /** Each output's metrics, with the keys they are logged under (prefixed by the output with several). */
  readonly metrics: { readonly key: string; readonly metric: Metric }[][];
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
    {
      customs = new Map(),
      metricCustoms = new Map(),
      warn = true,
    }: {
      customs?: ReadonlyMap<string, CustomLoss>;
      metricCustoms?: ReadonlyMap<string, CustomMetric>;
      warn?: boolean;
    } = {},
  ): void {
    if (!isRecord(args))
      fail({
        code: 'option',
        layer: 'compile',
        option: 'its argument',
        expected: '{ optimizer, loss, metrics? }',
        received: describe(args),
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
    const targets = losses.map((each, index) => each.target(outputs[index] ?? { shape: [] }));
    const resolved = perOutput(
      'compile',
      'metrics',
      names,
      args.metrics ?? [],
      (item) => isMetricArg(item) || (Array.isArray(item) && item.every(isMetricArg)),
      (item, where, index) =>
        (Array.isArray(item) ? item : [item]).map((each: unknown, at: number) =>
          resolveMetric(
            each,
            Array.isArray(item) ? `${where}[${at}]` : where,
            {
              shape: outputs[index]?.shape ?? [],
              loss: losses[index] ?? losses[0] ?? resolveLoss('mse', 'loss', { shape: [] }),
              target: targets[index] ?? { shapes: undefined, dtype: 'float32', hint: '' },
            },
            metricCustoms,
          ),
        ),
      [],
    );
    // Keras's keys: the name as written, prefixed by the output's name when there are several; repeats get _1, _2.
    const seen = new Map<string, number>();
    const metrics = resolved.map((list, index) =>
      list.map((metric) => {
        const base = `${names.length > 1 ? `${names[index]}_` : ''}${metric.name}`;
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        return { key: count === 0 ? base : `${base}_${count}`, metric };
      }),
    );
    const optimizer = makeOptimizer(args.optimizer);
    this.compiled?.optimizer.dispose();
    this.compiled = {
      optimizer,
      losses,
      weights,
      metrics,
      targets,
      // Read when asked: a callback may have set the optimizer's learning rate since.
      get settings(): JsonValue {
        return {
          optimizer: optimizer.settings,
          loss: losses.map((each) => each.settings),
          lossWeights: weights,
          metrics: resolved.map((list) => list.map((metric) => metric.settings)),
        };
      },
      custom: losses.some((each) => each.custom !== undefined) || resolved.flat().some((metric) => metric.custom),
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
    const metricCustoms = new Map<string, CustomMetric>();
    for (const each of this.compiled?.metrics.flat() ?? [])
      if (each.metric.custom) metricCustoms.set(each.metric.name, each.metric.custom);
    const wanted = isRecord(settings) && Array.isArray(settings.loss) ? settings.loss : [];
    const wantedMetrics: unknown[] =
      isRecord(settings) && Array.isArray(settings.metrics) ? settings.metrics.flat() : [];
    const unknown =
      wanted.some((item: unknown) => isRecord(item) && typeof item.custom === 'string' && !customs.has(item.custom)) ||
      wantedMetrics.some(
        (item: unknown) => isRecord(item) && typeof item.custom === 'string' && !metricCustoms.has(item.custom),
      );
    if (unknown) return false;
    this.compile(settings, { customs, metricCustoms, warn: false });
    return true;
  }

  private requireCompiled(operation: string): Compiled {
    return this.compiled ?? fail({ code: 'not-compiled', layer: operation });
  }

  /**
   * The batch's loss (to differentiate) and its counts, keyed as Keras logs them: each loss as [sum, samples],
   * each metric as its state (metrics.ts). Counts add over batches and over the shares of a parallel step.
   */
  private scores(
    compiled: Compiled,
    { outputs: predictions, losses }: { outputs: readonly tf.Tensor[]; losses: readonly tf.Tensor[] },
    targets: readonly tf.Tensor[],
    sampleWeights: readonly tf.Tensor[] = [],
  ): { total: tf.Scalar; states: Map<string, tf.Tensor> } {
    const named = new Map<string, tf.Tensor>();
    const names = this.outputNames;
    const multiple = names.length > 1;
    const samples = predictions[0]?.shape[0] ?? 0;
    const counted = (value: tf.Scalar) => tf.stack([tf.mul(value, samples), tf.scalar(samples)]);
    let total: tf.Scalar | undefined;
    for (const [index, prediction] of predictions.entries()) {
      const target = targets[index];
      const lossOf = compiled.losses[index];
      if (target === undefined || lossOf === undefined) continue;
      const value = loss(lossOf, target, prediction, sampleWeights[index]);
      const weight = compiled.weights[index] ?? 1;
      const weighted = weight === 1 ? value : tf.mul<tf.Scalar>(value, weight);
      total = total === undefined ? weighted : tf.add<tf.Scalar>(total, weighted);
      if (multiple) named.set(`${names[index]}_loss`, counted(value));
      for (const { key, metric } of compiled.metrics[index] ?? []) named.set(key, metric.state(target, prediction));
    }
    // The losses layers added (Keras 3's compute_loss adds sum(model.losses), in training and evaluation alike).
    const added = losses.length === 0 ? undefined : tf.addN(losses.map((each) => tf.sum(each)));
    const outputsLoss = total ?? tf.scalar(0);
    const sum = added === undefined ? outputsLoss : tf.add<tf.Scalar>(outputsLoss, added);
    // Keras's order: the total loss first.
    return { total: sum, states: new Map([['loss', counted(sum)], ...named]) };
  }

  /** The logs from summed counts: a loss is its mean, a metric its result. */
  logsOf(compiled: Compiled, sums: ReadonlyMap<string, readonly number[]>): Record<string, number> {
    const metrics = new Map(compiled.metrics.flat().map(({ key, metric }) => [key, metric]));
    const logs: Record<string, number> = {};
    for (const [key, state] of sums) {
      const metric = metrics.get(key);
      logs[key] = metric ? metric.result(state) : (state[0] ?? 0) / Math.max(1, state[1] ?? 0);
    }
    return logs;
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
    sampleWeights: readonly tf.Tensor[],
    rows: readonly number[],
    variables: tf.Variable[],
  ): Promise<Record<string, number[]>> {
    const { grads, scores } = this.gradients(data.inputs, data.targets ?? [], rows, sampleWeights);
    compiled.optimizer.apply(variables, grads);
    this.graph.applyConstraints();
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
    sampleWeights: readonly tf.Tensor[] = [],
  ): { grads: tf.Tensor[]; scores: Map<string, tf.Tensor> } {
    const compiled = this.requireCompiled('fit');
    const variables = this.graph.trainableVariables();
    let scores = new Map<string, tf.Tensor>();
    // A whole batch in order (a dataset's, trainOnBatch's) is used as it is, without a copy.
    const whole = rows.length === inputs[0]?.shape[0] && rows.every((row, index) => row === index);
    const grads = tf.tidy(() => {
      const indices = whole ? undefined : tf.tensor1d([...rows], 'int32');
      const pick = (tensor: tf.Tensor) => (indices === undefined ? tensor : tf.gather(tensor, indices));
      const xs = inputs.map(pick);
      const ys = targets.map(pick);
      const ws = sampleWeights.map(pick);
      if (variables.length === 0) {
        // Nothing to train (every layer weightless or frozen): Keras still runs the step, forward only.
        const scored = this.scores(compiled, this.graph.forward(xs, true), ys, ws);
        scores = new Map([...scored.states].map(([name, value]) => [name, tf.keep(value)]));
        return [];
      }
      const result = tf.variableGrads(() => {
        const scored = this.scores(compiled, this.graph.forward(xs, true), ys, ws);
        scores = new Map([...scored.states].map(([name, value]) => [name, tf.keep(value)]));
        return scored.total;
      }, variables);
      return variables.map((variable) => result.grads[variable.name] ?? tf.zerosLike(variable));
    });
    return { grads, scores };
  }

  /**
   * fit on in-memory data `fit(x, y, options)`, or on a dataset `fit(dataset, options)` (datasets.ts), whose
   * batches hold the targets.
   */
  async fit(x: unknown, y: unknown, args?: unknown): Promise<History> {
    if (isDataset(x)) {
      if (args !== undefined)
        fail({
          code: 'option',
          layer: 'fit',
          option: 'its arguments',
          expected: '(dataset, options) with a dataset, whose batches hold the targets',
          received: 'three arguments',
        });
      return this.fitDataset(x, y ?? {});
    }
    return this.fitArrays(x, y, args ?? {});
  }

  private async fitArrays(x: unknown, y: unknown, givenArgs: unknown): Promise<History> {
    this.requireCompiled('fit');
    const options = checkFitArgs(givenArgs, this.outputNames.length);
    const args = options.args;
    const validationSource = this.validationSourceOf(options);
    await currentBackend();
    // Restoring recompiles (the saved settings and optimizer state), so the optimizer is read after it.
    if (args.resumeFrom !== undefined) await restoreCheckpoint(this.model, args.resumeFrom);
    const compiled = this.requireCompiled('fit');
    const { batchSize, split } = options;
    const initialEpoch = this.initialEpochOf(options);
    const data = prepare('fit', this.model, x, y, compiled.targets);
    const validationData = args.validationData;
    const validation =
      validationData !== undefined && validationSource === undefined && Array.isArray(validationData)
        ? prepare('fit (validationData)', this.model, validationData[0], validationData[1], compiled.targets)
        : undefined;
    let sampleWeightsOf: tf.Tensor[];
    try {
      sampleWeightsOf = this.sampleWeightsFor('fit', data, args.sampleWeight, options.classWeight, compiled);
    } catch (error) {
      data.owned.dispose();
      validation?.owned.dispose();
      throw error;
    }
    const trainCount = split > 0 ? Math.floor(data.samples * (1 - split)) : data.samples;
    if (trainCount < 1)
      fail({
        code: 'data-values',
        layer: 'fit',
        role: 'input',
        name: this.model.inputs[0]?.node.layer.name ?? '',
        problem: `has ${data.samples} samples, too few to train on`,
      });
    const variables = this.graph.trainableVariables();
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
        expected: '1 with a custom loss or metric (a function cannot be sent to a worker thread)',
        received: describe(workers),
      });
    const group = workers > 1 ? await this.parallelGroup(workers - 1) : undefined;
    await group?.load(data, compiled, sampleWeightsOf);
    // The batches of successive passes over the training samples, each pass in a new order (when shuffling).
    const passBatches = () => {
      const order =
        args.shuffle === false
          ? Array.from({ length: trainCount }, (_, index) => index)
          : Array.from(tf.util.createShuffledIndices(trainCount));
      return Array.from({ length: Math.ceil(trainCount / batchSize) }, (_, step) =>
        order.slice(step * batchSize, (step + 1) * batchSize),
      );
    };
    let pending: number[][] = [];
    const check =
      heldOut ?? (validation?.targets ? { inputs: validation.inputs, targets: validation.targets } : undefined);
    const validationStream =
      validationSource === undefined ? undefined : new BatchStream(validationSource, options.validationSteps);
    try {
      return await this.train(options, initialEpoch, {
        begin: async () => {
          if (options.stepsPerEpoch === undefined) pending = passBatches();
          return options.stepsPerEpoch ?? pending.length;
        },
        next: async (current) => {
          if (pending.length === 0) pending = passBatches();
          const rows = pending.shift() ?? [];
          return () =>
            group
              ? group.step(rows, current.optimizer)
              : this.localStep(current, data, sampleWeightsOf, rows, variables);
        },
        validate: validationStream
          ? (current) => this.scoreStream(current, validationStream, options.validationSteps, 'fit (validationData')
          : check
            ? async (current) =>
                this.score(current, check.inputs, check.targets, options.validationBatchSize ?? batchSize)
            : undefined,
        dataset: false,
      });
    } finally {
      await group?.unload();
      await validationStream?.close();
      for (const tensor of [...(heldOut?.inputs ?? []), ...(heldOut?.targets ?? [])]) tensor.dispose();
      data.owned.dispose();
      validation?.owned.dispose();
    }
  }

  /** fit on a dataset: each batch is read, checked as in-memory data, trained on, and disposed. */
  private async fitDataset(dataset: unknown, givenArgs: unknown): Promise<History> {
    this.requireCompiled('fit');
    if (isRecord(givenArgs)) {
      const inMemoryOnly: Readonly<Record<string, string>> = {
        batchSize: "the dataset's batches have their own size; batch the dataset itself",
        validationSplit: 'it holds out in-memory samples; give validationData',
        sampleWeight: 'give the weights in each batch, [x, y, sampleWeight]',
        shuffle: 'shuffle the dataset itself',
      };
      for (const [option, why] of Object.entries(inMemoryOnly))
        if (givenArgs[option] !== undefined)
          fail({
            code: 'option',
            layer: 'fit',
            option,
            expected: `left out with a dataset (${why})`,
            received: describe(givenArgs[option]),
          });
      if (givenArgs.workers !== undefined && givenArgs.workers !== 1)
        fail({
          code: 'option',
          layer: 'fit',
          option: 'workers',
          expected:
            "1 with a dataset (data-parallel training shares in-memory data with its worker threads; a dataset's batches are read on this thread)",
          received: describe(givenArgs.workers),
        });
    }
    const options = checkFitArgs(givenArgs, this.outputNames.length);
    const source = Source.of('fit', 'its dataset', dataset);
    const validationSource = this.validationSourceOf(options);
    const args = options.args;
    const arrays = args.validationData !== undefined && validationSource === undefined;
    await currentBackend();
    if (args.resumeFrom !== undefined) await restoreCheckpoint(this.model, args.resumeFrom);
    const initialEpoch = this.initialEpochOf(options);
    const compiled = this.requireCompiled('fit');
    const validationData = args.validationData;
    const validation =
      arrays && Array.isArray(validationData)
        ? prepare('fit (validationData)', this.model, validationData[0], validationData[1], compiled.targets)
        : undefined;
    const stream = new BatchStream(source, options.stepsPerEpoch);
    const validationStream =
      validationSource === undefined ? undefined : new BatchStream(validationSource, options.validationSteps);
    const variables = this.graph.trainableVariables();
    try {
      return await this.train(options, initialEpoch, {
        begin: async () => {
          await stream.begin();
          return options.stepsPerEpoch ?? source.size;
        },
        next: async (current, epoch, step) => {
          const batch = await stream.next();
          if (batch === undefined) return undefined;
          const where = `fit (epoch ${epoch + 1}, batch ${step + 1})`;
          try {
            const parts = unpackBatch(where, batch, true);
            const data = prepare(where, this.model, parts.x, parts.y, current.targets);
            try {
              const weights = this.sampleWeightsFor(where, data, parts.sampleWeight, options.classWeight, current);
              const rows = Array.from({ length: data.samples }, (_, index) => index);
              return async () => {
                try {
                  return await this.localStep(current, data, weights, rows, variables);
                } finally {
                  data.owned.dispose();
                  tf.dispose(tensorsIn(batch));
                }
              };
            } catch (error) {
              data.owned.dispose();
              throw error;
            }
          } catch (error) {
            tf.dispose(tensorsIn(batch));
            throw error;
          }
        },
        validate: validationStream
          ? (current) => this.scoreStream(current, validationStream, options.validationSteps, 'fit (validationData')
          : validation?.targets
            ? async (current) =>
                this.score(
                  current,
                  validation.inputs,
                  validation.targets ?? [],
                  options.validationBatchSize ?? options.batchSize,
                )
            : undefined,
        dataset: true,
        reusable: source.reusable,
      });
    } finally {
      await stream.close();
      await validationStream?.close();
      validation?.owned.dispose();
    }
  }

  /** validationData as a dataset, checked before any work: one read once cannot serve several validations. */
  private validationSourceOf(options: FitOptions): Source | undefined {
    const given = options.args.validationData;
    if (given === undefined || !isDataset(given)) {
      if (options.validationSteps !== undefined)
        fail({
          code: 'option',
          layer: 'fit',
          option: 'validationSteps',
          expected: 'left out unless validationData is a dataset (it counts its batches)',
          received: describe(options.validationSteps),
        });
      if (given !== undefined && !(Array.isArray(given) && given.length === 2))
        fail({
          code: 'option',
          layer: 'fit',
          option: 'validationData',
          expected: '[x, y] or a dataset of batches',
          received: describe(given),
        });
      return undefined;
    }
    const source = Source.of('fit', 'validationData', given);
    let validations = 0;
    for (let epoch = options.initialEpoch ?? 0; epoch < options.epochs; epoch++)
      if (validates(options.validationFreq, epoch)) validations++;
    if (!source.reusable && options.validationSteps === undefined && validations > 1)
      fail({
        code: 'option',
        layer: 'fit',
        option: 'validationData',
        expected: `a dataset that can be read for each of the ${validations} validations (a function returning a fresh iterator, such as a generator function, or a tf.data.Dataset), or validationSteps`,
        received: 'an iterator, which is read once',
      });
    return source;
  }

  private initialEpochOf(options: FitOptions): number {
    const initialEpoch = options.initialEpoch ?? (options.args.resumeFrom !== undefined ? this.epochsDone : 0);
    if (initialEpoch > options.epochs)
      fail({
        code: 'option',
        layer: 'fit',
        option: 'initialEpoch',
        expected: `an integer in [0, ${options.epochs}] (epochs is ${options.epochs}; the save had done ${this.epochsDone})`,
        received: describe(initialEpoch),
      });
    return initialEpoch;
  }

  /**
   * Loss and metrics over a dataset's batches (all of a pass, or `steps` of them), each checked and disposed.
   * `label` begins the operation's name in messages, `fit (validationData` or `evaluate`.
   */
  private async scoreStream(
    compiled: Compiled,
    stream: BatchStream,
    steps: number | undefined,
    label: string,
  ): Promise<Record<string, number>> {
    await stream.begin();
    const sums = new Map<string, number[]>();
    const open = label.includes('(') ? `${label}, ` : `${label} (`;
    let step = 0;
    for (; steps === undefined || step < steps; step++) {
      const batch = await stream.next();
      if (batch === undefined) break;
      const where = `${open}batch ${step + 1})`;
      try {
        const parts = unpackBatch(where, batch, true);
        const data = prepare(where, this.model, parts.x, parts.y, compiled.targets);
        try {
          const weights = this.sampleWeightsFor(where, data, parts.sampleWeight, undefined, compiled);
          const scored = tf.tidy(() =>
            Object.fromEntries(
              this.scores(compiled, this.graph.forward(data.inputs, false), data.targets ?? [], weights).states,
            ),
          );
          addCounts(sums, await readScores(new Map(Object.entries(scored))));
        } finally {
          data.owned.dispose();
        }
      } finally {
        tf.dispose(tensorsIn(batch));
      }
    }
    if (step === 0)
      fail({
        code: 'dataset-empty',
        layer: label.includes('(') ? `${label})` : label,
        problem: stream.source.reusable
          ? 'the dataset gave no batches'
          : 'the dataset gave no batches: an iterator (a generator object) is read once, and this one had ended',
      });
    return this.logsOf(compiled, sums);
  }

  /**
   * The training loop, shared by in-memory data and datasets: `steps` begins an epoch (its step count, when
   * known) and gives each step's work (undefined when the data has ended).
   */
  private async train(options: FitOptions, initialEpoch: number, steps: StepSource): Promise<History> {
    const { epochs, args } = options;
    let compiled = this.requireCompiled('fit');
    const output = args.output ?? process.stdout;
    const progress = new Progress(options.verbose, epochs, output);
    const callbacks = args.callbacks ?? [];
    const series: { loss: number[] } & Record<string, number[]> = { loss: [] };
    const history: History = { epoch: [], history: series };
    let epochLogs: Record<string, number> = {};
    const optimizer = () => this.requireCompiled('fit').optimizer;
    const control: TrainingControl = {
      model: this.model,
      stopTraining: false,
      initialEpoch,
      get learningRate() {
        return optimizer().learningRate;
      },
      set learningRate(value: number) {
        optimizer().learningRate = value;
      },
      log: (key, value) => {
        epochLogs[key] = value;
      },
      print: (line) => output.write(`${line}\n`),
      snapshot: () => this.graph.layersModel.weights.map((weight) => tf.clone(weight.read())),
      restore: (weights) =>
        this.graph.layersModel.weights.forEach((weight, index) => {
          const value = weights[index];
          if (value) weight.write(value);
        }),
    };
    for (const callback of callbacks) await callback.onTrainBegin?.(control);
    // A callback may have restored a checkpoint (BackupAndRestore), which compiles again.
    compiled = this.requireCompiled('fit');
    const start = control.initialEpoch;
    if (!(Number.isInteger(start) && start >= 0 && start <= epochs))
      fail({
        code: 'option',
        layer: 'fit',
        option: 'initialEpoch (set by a callback)',
        expected: `an integer in [0, ${epochs}] (epochs is ${epochs})`,
        received: describe(start),
      });
    let lastLogs: Record<string, number> | undefined;
    for (let epoch = start; epoch < epochs; epoch++) {
      for (const callback of callbacks) await callback.onEpochBegin?.(epoch, control);
      progress.epochBegin(epoch);
      const planned = await steps.begin();
      const sums = new Map<string, number[]>();
      let step = 0;
      for (; planned === undefined || step < planned; step++) {
        const run = await steps.next(compiled, epoch, step);
        if (run === undefined) break;
        for (const callback of callbacks) await callback.onBatchBegin?.(step, control);
        const counts = await run();
        const batchLoss = counts.loss ? (counts.loss[0] ?? 0) / Math.max(1, counts.loss[1] ?? 0) : Number.NaN;
        addCounts(sums, counts);
        const running = this.logsOf(compiled, sums);
        progress.batchEnd(step + 1, planned, running);
        for (const callback of callbacks) await callback.onBatchEnd?.(step, running, control);
        // A callback that stopped training (TerminateOnNaN) has dealt with the loss.
        if (!control.stopTraining && args.stopOnNonFinite !== false && !Number.isFinite(batchLoss))
          fail({
            code: 'not-finite',
            layer: 'fit',
            what: 'loss',
            epoch: epoch + 1,
            batch: step + 1,
            value: batchLoss,
          });
        if (control.stopTraining) {
          step++;
          break;
        }
      }
      if (step === 0) {
        if (epoch === start)
          fail({
            code: 'dataset-empty',
            layer: 'fit',
            problem:
              steps.reusable === false
                ? 'the dataset gave no batches: an iterator (a generator object) is read once, and this one had ended'
                : 'the dataset gave no batches',
          });
        this.model.onWarning(
          `fit: the dataset ran out of data at epoch ${epoch + 1} of ${epochs}; training stopped after ${epoch - start} epoch${epoch - start === 1 ? '' : 's'}. An iterator (a generator object) is read once: give the generator function itself (a fresh iterator each epoch), a tf.data.Dataset, or stepsPerEpoch with at least stepsPerEpoch × epochs batches`,
        );
        break;
      }
      if (planned !== undefined && step < planned && options.stepsPerEpoch !== undefined && !control.stopTraining) {
        this.model.onWarning(
          `fit: the dataset ran out of data at epoch ${epoch + 1}, after ${step} of ${planned} steps (stepsPerEpoch); training stops after this epoch. Make sure the dataset yields at least stepsPerEpoch × epochs batches (${planned * (epochs - start)}), or give one that can be read again (a generator function, a tf.data.Dataset)`,
        );
        control.stopTraining = true;
      }
      const logs = this.logsOf(compiled, sums);
      epochLogs = logs;
      if (steps.validate && validates(options.validationFreq, epoch))
        for (const [name, value] of Object.entries(await steps.validate(compiled))) logs[`val_${name}`] = value;
      this.epochsDone = epoch + 1;
      // As in Keras, the progress line and History come after the user's callbacks, and show what they logged.
      for (const callback of callbacks)
        if ((await callback.onEpochEnd?.(epoch, logs, control)) === 'stop') control.stopTraining = true;
      progress.epochEnd(epoch, step, logs, planned !== undefined);
      history.epoch.push(epoch);
      for (const [name, value] of Object.entries(logs)) {
        const list = series[name] ?? [];
        list.push(value);
        series[name] = list;
      }
      lastLogs = logs;
      if (control.stopTraining) break;
    }
    for (const callback of callbacks) await callback.onTrainEnd?.(lastLogs, control);
    return history;
  }

  /**
   * Each output's sample weights (from sampleWeight or classWeight), or none when unweighted; an output left
   * unweighted beside weighted ones weighs 1 per sample, so that every output gathers the same rows. Tensors
   * made here are in `data.owned`.
   */
  private sampleWeightsFor(
    operation: string,
    data: Prepared,
    sampleWeight: unknown,
    classWeight: ReadonlyMap<number, number> | undefined,
    compiled: Compiled,
  ): tf.Tensor[] {
    const outputs = this.model.outputs.map((output) => ({ name: output.node.layer.name, shape: output.shape }));
    let weights: (tf.Tensor | undefined)[] = [];
    if (sampleWeight !== undefined) weights = sampleWeights(sampleWeight, outputs, data.samples, data.owned, operation);
    if (classWeight !== undefined && data.targets?.[0] !== undefined && compiled.targets[0] !== undefined) {
      const tensor = classSampleWeights(classWeight, data.targets[0], compiled.targets[0]);
      data.owned.tensors.push(tensor);
      weights = [tensor];
    }
    if (!weights.some((weight) => weight !== undefined)) return [];
    return outputs.map((_, index) => {
      const weight = weights[index];
      if (weight !== undefined) return weight;
      const ones = tf.ones([data.samples]);
      data.owned.tensors.push(ones);
      return ones;
    });
  }

  /** Loss and metrics over data, batch by batch, without training: counts summed, then read as Keras does. */
  private score(
    compiled: Compiled,
    inputs: readonly tf.Tensor[],
    targets: readonly tf.Tensor[],
    batchSize: number,
    sampleWeights: readonly tf.Tensor[] = [],
  ): Record<string, number> {
    const samples = inputs[0]?.shape[0] ?? 0;
    const sums = new Map<string, number[]>();
    for (let start = 0; start < samples; start += batchSize) {
      const size = Math.min(batchSize, samples - start);
      const counts = tf.tidy(() => {
        const cut = (tensor: tf.Tensor) => tf.slice(tensor, start, size);
        const result = this.scores(
          compiled,
          this.graph.forward(inputs.map(cut), false),
          targets.map(cut),
          sampleWeights.map(cut),
        );
        return Object.fromEntries([...result.states].map(([name, value]) => [name, Array.from(value.dataSync())]));
      });
      addCounts(sums, counts);
    }
    return this.logsOf(compiled, sums);
  }

  async evaluate(x: unknown, y: unknown, args: EvaluateArgs = {}): Promise<Record<string, number>> {
    if (isDataset(x)) return this.evaluateDataset(x, y, args);
    const compiled = this.requireCompiled('evaluate');
    const given = checkBatchArgs('evaluate', args, ['batchSize', 'sampleWeight']);
    await currentBackend();
    const batchSize = positiveInteger('evaluate', 'batchSize', given.batchSize ?? 32);
    const data = prepare('evaluate', this.model, x, y, compiled.targets);
    try {
      const weights = this.sampleWeightsFor('evaluate', data, args.sampleWeight, undefined, compiled);
      return this.score(compiled, data.inputs, data.targets ?? [], batchSize, weights);
    } finally {
      data.owned.dispose();
    }
  }

  /**
   * One training step on one batch (all of x), as Keras's `train_on_batch`: the batch's loss and metrics (the
   * metrics count this batch only). The data is checked as fit checks it.
   */
  async trainOnBatch(x: unknown, y: unknown, args: TrainOnBatchArgs = {}): Promise<Record<string, number>> {
    const compiled = this.requireCompiled('trainOnBatch');
    checkBatchArgs('trainOnBatch', args, ['sampleWeight', 'classWeight']);
    if (args.sampleWeight !== undefined && args.classWeight !== undefined)
      fail({
        code: 'option-conflict',
        layer: 'trainOnBatch',
        options: ['sampleWeight', 'classWeight'],
        received: ['given', 'given'],
        rule: 'cannot both be given (as in Keras): fold the class weights into sampleWeight',
      });
    const classWeight =
      args.classWeight === undefined
        ? undefined
        : checkClassWeight(args.classWeight, this.outputNames.length, 'trainOnBatch');
    await currentBackend();
    const data = prepare('trainOnBatch', this.model, x, y, compiled.targets);
    try {
      const weights = this.sampleWeightsFor('trainOnBatch', data, args.sampleWeight, classWeight, compiled);
      const rows = Array.from({ length: data.samples }, (_, index) => index);
      const counts = await this.localStep(compiled, data, weights, rows, this.graph.trainableVariables());
      const sums = new Map<string, number[]>();
      addCounts(sums, counts);
      return this.logsOf(compiled, sums);
    } finally {
      data.owned.dispose();
    }
  }

  /** Loss and metrics of one batch (all of x), without training, as Keras's `test_on_batch`. */
  async testOnBatch(x: unknown, y: unknown, args: TestOnBatchArgs = {}): Promise<Record<string, number>> {
    const compiled = this.requireCompiled('testOnBatch');
    checkBatchArgs('testOnBatch', args, ['sampleWeight']);
    await currentBackend();
    const data = prepare('testOnBatch', this.model, x, y, compiled.targets);
    try {
      const weights = this.sampleWeightsFor('testOnBatch', data, args.sampleWeight, undefined, compiled);
      return this.score(compiled, data.inputs, data.targets ?? [], Math.max(1, data.samples), weights);
    } finally {
      data.owned.dispose();
    }
  }

  /** The outputs for one batch (all of x), in one run, as Keras's `predict_on_batch`. */
  async predictOnBatch(x: unknown): Promise<tf.Tensor[]> {
    await currentBackend();
    const data = prepare('predictOnBatch', this.model, x);
    try {
      return tf.tidy(() => this.graph.run(data.inputs, false));
    } finally {
      data.owned.dispose();
    }
  }

  /** evaluate(dataset, { steps? }): the loss and metrics over a pass of the dataset, or `steps` batches of it. */
  private async evaluateDataset(dataset: unknown, args: unknown, extra: unknown): Promise<Record<string, number>> {
    const compiled = this.requireCompiled('evaluate');
    refuseThirdArgument('evaluate', extra);
    const given = checkBatchArgs('evaluate', args ?? {}, ['steps']);
    const steps = given.steps === undefined ? undefined : positiveInteger('evaluate', 'steps', given.steps);
    const stream = new BatchStream(Source.of('evaluate', 'its dataset', dataset), steps);
    await currentBackend();
    try {
      return await this.scoreStream(compiled, stream, steps, 'evaluate');
    } finally {
      await stream.close();
    }
  }

  async predict(x: unknown, args: unknown = {}): Promise<tf.Tensor[]> {
    if (isDataset(x)) return this.predictDataset(x, args);
    const given = checkBatchArgs('predict', args, ['batchSize']);
    await currentBackend();
    const batchSize = positiveInteger('predict', 'batchSize', given.batchSize ?? 32);
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

  /**
   * predict(dataset, { steps? }): the outputs for every batch (its inputs; targets, if there, are ignored),
   * concatenated along the batch as Keras's predict returns them.
   */
  private async predictDataset(dataset: unknown, args: unknown): Promise<tf.Tensor[]> {
    const given = checkBatchArgs('predict', args, ['steps']);
    const steps = given.steps === undefined ? undefined : positiveInteger('predict', 'steps', given.steps);
    const stream = new BatchStream(Source.of('predict', 'its dataset', dataset), steps);
    await currentBackend();
    const parts: tf.Tensor[][] = this.model.outputs.map(() => []);
    try {
      await stream.begin();
      let step = 0;
      for (; steps === undefined || step < steps; step++) {
        const batch = await stream.next();
        if (batch === undefined) break;
        const where = `predict (batch ${step + 1})`;
        try {
          const data = prepare(where, this.model, unpackBatch(where, batch, false).x);
          try {
            const outputs = tf.tidy(() => this.graph.run(data.inputs, false));
            for (const [index, output] of outputs.entries()) parts[index]?.push(output);
          } finally {
            data.owned.dispose();
          }
        } finally {
          tf.dispose(tensorsIn(batch));
        }
      }
      if (step === 0)
        fail({
          code: 'dataset-empty',
          layer: 'predict',
          problem: stream.source.reusable
            ? 'the dataset gave no batches'
            : 'the dataset gave no batches: an iterator (a generator object) is read once, and this one had ended',
        });
      const outputs = parts.map((list) => (list.length === 1 ? (list[0] ?? tf.tensor([])) : tf.concat(list, 0)));
      for (const list of parts) if (list.length > 1) tf.dispose(list);
      return outputs;
    } catch (error) {
      tf.dispose(parts.flat());
      throw error;
    } finally {
      await stream.close();
    }
  }
}

/** With a dataset, the targets are in its batches: a `y` argument is a mistake. */
function refuseThirdArgument(operation: string, extra: unknown): void {
  if (extra !== undefined && !(isRecord(extra) && Object.keys(extra).length === 0))
    fail({
      code: 'option',
      layer: operation,
      option: 'its arguments',
      expected: `(dataset, options) with a dataset, whose batches hold the targets`,
      received: 'three arguments',
    });
}

export interface EvaluateArgs {
  /** Default 32. */
  readonly batchSize?: number;
  /** Weights of the samples in the loss, as fit's `sampleWeight` (Keras's `sample_weight`). */
  readonly sampleWeight?: SampleWeightArg;
}

export interface TrainOnBatchArgs {
  /** As fit's `sampleWeight`, for this batch's samples. */
  readonly sampleWeight?: SampleWeightArg;
  /** As fit's `classWeight`. */
  readonly classWeight?: ClassWeightArg;
}

export interface TestOnBatchArgs {
  /** As evaluate's `sampleWeight`, for this batch's samples. */
  readonly sampleWeight?: SampleWeightArg;
}

/** The options of evaluate and the *OnBatch methods: an object of the options listed, or nothing. */
function checkBatchArgs(
  operation: string,
  args: unknown,
  known: readonly string[],
): { readonly batchSize?: unknown; readonly [key: string]: unknown } {
  if (!isRecord(args))
    return fail({
      code: 'option',
      layer: operation,
      option: 'its options',
      expected: `an object { ${known.map((key) => `${key}?`).join(', ')} }`,
      received: describe(args),
    });
  for (const key of Object.keys(args))
    if (!known.includes(key))
      fail({
        code: 'option',
        layer: operation,
        option: 'its options',
        expected: `among ${known.join(', ')}`,
        received: `'${key}'`,
      });
  return args;
}

/** Where an epoch's steps come from: in-memory rows, or a dataset's batches. */
interface StepSource {
  /** Begins an epoch; its number of steps when known. */
  begin(): Promise<number | undefined>;
  /** The next step's work, its data checked (undefined when the data has ended); the work returns its counts. */
  next(compiled: Compiled, epoch: number, step: number): Promise<(() => Promise<Record<string, number[]>>) | undefined>;
  /** The validation after an epoch, if any. */
  readonly validate: ((compiled: Compiled) => Promise<Record<string, number>>) | undefined;
  readonly dataset: boolean;
  /** For a dataset: whether each pass gets a new iterator. */
  readonly reusable?: boolean;
}

interface FitOptions {
  /** The options as given, checked to be an object. */
  readonly args: FitArgs;
  readonly epochs: number;
  readonly batchSize: number;
  readonly split: number;
  readonly initialEpoch: number | undefined;
  readonly validationFreq: number | readonly number[];
  readonly stepsPerEpoch: number | undefined;
  readonly validationBatchSize: number | undefined;
  readonly validationSteps: number | undefined;
  readonly classWeight: Map<number, number> | undefined;
  readonly verbose: Verbosity;
}

/** An object as fit's options; each option is checked on its own after. */
function isFitArgs(value: unknown): value is FitArgs {
  return isRecord(value);
}

/** fit's options, each checked before any work, with what was expected and what came. */
function checkFitArgs(given: unknown, outputs: number): FitOptions {
  if (!isFitArgs(given))
    return fail({
      code: 'option',
      layer: 'fit',
      option: 'its options',
      expected: 'an object { epochs?, batchSize?, ... }',
      received: describe(given),
    });
  const args = given;
  const epochs = positiveInteger('fit', 'epochs', args.epochs ?? 1);
  const batchSize = positiveInteger('fit', 'batchSize', args.batchSize ?? 32);
  const initialEpoch = args.initialEpoch;
  if (initialEpoch !== undefined && !(Number.isInteger(initialEpoch) && initialEpoch >= 0 && initialEpoch <= epochs))
    fail({
      code: 'option',
      layer: 'fit',
      option: 'initialEpoch',
      expected: `an integer in [0, ${epochs}] (epochs is ${epochs})`,
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
  const validationFreq = args.validationFreq ?? 1;
  const freqOk = Array.isArray(validationFreq)
    ? validationFreq.every((epoch: unknown) => Number.isInteger(epoch) && typeof epoch === 'number' && epoch >= 1)
    : Number.isInteger(validationFreq) && typeof validationFreq === 'number' && validationFreq >= 1;
  if (!freqOk)
    fail({
      code: 'option',
      layer: 'fit',
      option: 'validationFreq',
      expected: 'a positive integer (validate every n epochs) or a list of epochs counted from 1',
      received: describe(validationFreq),
    });
  const stepsPerEpoch =
    args.stepsPerEpoch === undefined ? undefined : positiveInteger('fit', 'stepsPerEpoch', args.stepsPerEpoch);
  const validationBatchSize =
    args.validationBatchSize === undefined
      ? undefined
      : positiveInteger('fit', 'validationBatchSize', args.validationBatchSize);
  const validationSteps =
    args.validationSteps === undefined ? undefined : positiveInteger('fit', 'validationSteps', args.validationSteps);
  if (args.sampleWeight !== undefined && args.classWeight !== undefined)
    fail({
      code: 'option-conflict',
      layer: 'fit',
      options: ['sampleWeight', 'classWeight'],
      received: ['given', 'given'],
      rule: 'cannot both be given (as in Keras): fold the class weights into sampleWeight',
    });
  const classWeight = args.classWeight === undefined ? undefined : checkClassWeight(args.classWeight, outputs);
  const verbose = verbosities.find((value) => value === (args.verbose ?? 'auto'));
  if (verbose === undefined)
    fail({
      code: 'option',
      layer: 'fit',
      option: 'verbose',
      expected: `one of ${verbosities.map(describe).join(', ')}`,
      received: describe(args.verbose),
    });
  const callbacks: unknown = args.callbacks ?? [];
  if (!(Array.isArray(callbacks) && callbacks.every((callback: unknown) => isRecord(callback))))
    fail({
      code: 'option',
      layer: 'fit',
      option: 'callbacks',
      expected: 'a list of callbacks (objects with onEpochEnd, onBatchEnd, ... methods)',
      received: describe(callbacks),
    });
  return {
    args,
    epochs,
    batchSize,
    split,
    initialEpoch,
    validationFreq,
    stepsPerEpoch,
    validationBatchSize,
    validationSteps,
    classWeight,
    verbose,
  };
}

/** Whether to validate after an epoch (0-based), by Keras's validation_freq. */
function validates(frequency: number | readonly number[], epoch: number): boolean {
  return typeof frequency === 'number' ? (epoch + 1) % frequency === 0 : frequency.includes(epoch + 1);
}

/** Reads a batch's counts from the backend in one read, and disposes them. */
export async function readScores(values: ReadonlyMap<string, tf.Tensor>): Promise<Record<string, number[]>> {
  const names = [...values.keys()];
  const parts = [...values.values()];
  const joined = tf.tidy(() => tf.concat(parts.map((part) => tf.reshape(tf.cast(part, 'float32'), [-1]))));
  const numbers = await joined.data();
  tf.dispose([joined, ...parts]);
  const result: Record<string, number[]> = {};
  let offset = 0;
  for (const [index, name] of names.entries()) {
    const size = parts[index]?.size ?? 0;
    result[name] = Array.from(numbers.subarray(offset, offset + size));
    offset += size;
  }
  return result;
}

/** Adds a batch's counts into the running sums. */
export function addCounts(sums: Map<string, number[]>, counts: Readonly<Record<string, readonly number[]>>): void {
  for (const [name, values] of Object.entries(counts)) {
    const sum = sums.get(name) ?? values.map(() => 0);
    for (const [index, value] of values.entries()) sum[index] = (sum[index] ?? 0) + value;
    sums.set(name, sum);
  }
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
