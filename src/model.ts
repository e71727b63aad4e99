// The public model: a Functional graph (src/dsl) joined with what src/runtime does to it (compile, fit,
// evaluate, predict, save). This is the one place where the description and the runtime meet.
import * as tf from '@tensorflow/tfjs';
import type { LayerCore } from './dsl/layer.ts';
import { uniqueName } from './dsl/layer.ts';
import {
  type CallSources,
  callModel,
  type ModelArg,
  type ModelCall,
  type ModelOut,
  makeNestedModelsWith,
  modelCore,
  modelTrainable,
} from './dsl/layers/functional.ts';
import { Input } from './dsl/layers/input.ts';
import { Functional, type FunctionalArgs, type ModelArgs, type Tensors } from './dsl/model.ts';
import { optionsObject } from './dsl/options.ts';
import {
  foldLayers,
  type SequentialBlock,
  type SequentialCheck,
  type SequentialOutput,
  sequentialBlock,
  sequentialList,
} from './dsl/sequential.ts';
import { type AnyTensor, isTensor } from './dsl/tensor.ts';
import { describe, fail } from './errors.ts';
import type { DataFor, TargetsFor } from './runtime/data.ts';
import type { Batch, Dataset, InputBatch } from './runtime/datasets.ts';
import type { MetricName } from './runtime/metrics.ts';
import { type LoadOptions, loadSaved, saveModel } from './runtime/save.ts';
import {
  type CompileArgs,
  type CompileArgsFor,
  type DatasetEvaluateArgs,
  type DatasetFitArgs,
  type EvaluateArgs,
  type FitArgs,
  type History,
  type Logs,
  type TestOnBatchArgs,
  type Trainer,
  type TrainOnBatchArgs,
  trainerOf,
} from './runtime/training.ts';

/**
 * A functional model. `Inputs` and `Outputs` keep the exact tensors it was built from; `Name` is its name when
 * the compiler knows it (for the messages of calls that do not fit).
 */
export class KerasModel<
  Inputs extends Tensors = Tensors,
  Outputs extends Tensors = Tensors,
  Metric extends string = string,
  Name extends string = string,
> extends Functional<Inputs, Outputs> {
  /** Phantom: the model's name as the compiler knows it. */
  declare readonly nameType?: Name;

  /** The runtime (lowered to tfjs on first use). */
  get runtime(): Trainer {
    return trainerOf(this);
  }

  /**
   * Chooses the optimizer, the loss of each output and the metrics, as Keras's `compile`. Returns the model,
   * typed with its metrics, so that `fit`'s history is typed by them.
   * @example model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] })
   */
  compile<const Builtin extends MetricName = never, const Custom extends string = never>(
    args: CompileArgsFor<Builtin, Custom>,
  ): CallableModel<Inputs, Outputs, Builtin | Custom, Name>;
  // The object is the callable model (see `callable`); the implementation's return type stays unstated, as
  // the class cannot say that its instances are functions.
  compile(args: CompileArgs): unknown {
    this.runtime.compile(args);
    return this;
  }

  /** Trains the model, as Keras's `fit`; the data is checked against the model before anything runs. */
  fit(
    x: DataFor<Inputs>,
    y: TargetsFor<Outputs>,
    args?: FitArgs<Logs<Metric, Outputs>, CallableModel<Inputs, Outputs, Metric, Name>>,
  ): Promise<History<Metric, Outputs>>;
  /**
   * Trains on a dataset of batches (`{ xs, ys }`, `[x, y]` or `[x, y, sampleWeight]`): an async iterable or an
   * iterable, a function returning a fresh iterator per epoch (a generator function), or a tf.data.Dataset. Each
   * batch is checked as in-memory data is, and disposed after its step.
   */
  fit(
    dataset: Dataset<Batch<DataFor<Inputs>, TargetsFor<Outputs>>>,
    args?: DatasetFitArgs<Logs<Metric, Outputs>, CallableModel<Inputs, Outputs, Metric, Name>>,
  ): Promise<History<Metric, Outputs>>;
  fit(x: unknown, y?: unknown, args?: unknown): Promise<unknown> {
    return this.runtime.fit(x, y, args);
  }

  /** Mean loss and metrics over the data, as Keras's `evaluate` (the loss weighted by `sampleWeight`, if given). */
  evaluate(x: DataFor<Inputs>, y: TargetsFor<Outputs>, args?: EvaluateArgs): Promise<Logs<Metric, Outputs>>;
  /** The loss and metrics over a dataset's batches (all of a pass, or `steps` of them). */
  evaluate(
    dataset: Dataset<Batch<DataFor<Inputs>, TargetsFor<Outputs>>>,
    args?: DatasetEvaluateArgs,
  ): Promise<Logs<Metric, Outputs>>;
  evaluate(x: unknown, y?: unknown, args?: EvaluateArgs): Promise<unknown> {
    return this.runtime.evaluate(x, y, args);
  }

  /** The outputs for the inputs, one tensor per model output, as Keras's `predict`. */
  predict(x: DataFor<Inputs>, args?: { readonly batchSize?: number }): Promise<tf.Tensor[]>;
  /** The outputs for every batch of a dataset (its inputs; targets are ignored), concatenated, as Keras's. */
  predict(dataset: Dataset<InputBatch<DataFor<Inputs>>>, args?: DatasetEvaluateArgs): Promise<tf.Tensor[]>;
  predict(x: unknown, args?: unknown): Promise<tf.Tensor[]> {
    return this.runtime.predict(x, args);
  }

  /**
   * One training step on one batch (all of `x`), as Keras's `train_on_batch(..., return_dict=True)`: the loss and
   * metrics of that batch. The data is checked as fit checks it.
   */
  trainOnBatch(x: DataFor<Inputs>, y: TargetsFor<Outputs>, args?: TrainOnBatchArgs): Promise<Logs<Metric, Outputs>>;
  trainOnBatch(x: unknown, y: unknown, args?: TrainOnBatchArgs): Promise<unknown> {
    return this.runtime.trainOnBatch(x, y, args);
  }

  /** The loss and metrics of one batch (all of `x`), without training, as Keras's `test_on_batch`. */
  testOnBatch(x: DataFor<Inputs>, y: TargetsFor<Outputs>, args?: TestOnBatchArgs): Promise<Logs<Metric, Outputs>>;
  testOnBatch(x: unknown, y: unknown, args?: TestOnBatchArgs): Promise<unknown> {
    return this.runtime.testOnBatch(x, y, args);
  }

  /** The outputs for one batch (all of `x`) in one run, as Keras's `predict_on_batch`. */
  predictOnBatch(x: DataFor<Inputs>): Promise<tf.Tensor[]> {
    return this.runtime.predictOnBatch(x);
  }

  /**
   * Saves the model to a directory, atomically: the tfjs-layers format (model.json and weights, loadable by
   * tf.loadLayersModel) plus kerats' graph, compile settings and optimizer state. Load it with loadModel.
   */
  save(directory: string): Promise<void> {
    return saveModel(this, directory);
  }

  /** The same model as a plain tfjs LayersModel, sharing its weights, for the rest of the tfjs ecosystem. */
  toLayersModel(): tf.LayersModel {
    return this.runtime.graph.layersModel;
  }

  /**
   * Whether training updates the model's weights, as Keras's `model.trainable`: false freezes them, in this
   * model and in every model it is nested in (transfer learning: `base.trainable = false`). As in Keras, call
   * `compile` after changing it (a compiled optimizer keeps the weights it was built for).
   */
  get trainable(): boolean {
    return modelTrainable(this);
  }

  set trainable(value: boolean) {
    modelCore(this).trainable = value;
  }

  /**
   * The layer named `name`, as Keras's `get_layer`: its tensors in this model, its weights and `trainable`.
   * Its tensors are typed loosely (AnyTensor); a model built from them is checked when it is built.
   * @example Model({ inputs: base.inputs, outputs: [base.getLayer('conv2d_1').output] })
   */
  getLayer(name: string): ModelLayer {
    const core = this.layers.find((layer) => layer.name === name);
    if (core === undefined)
      return fail({
        code: 'option',
        layer: 'getLayer',
        option: 'name',
        expected: `the name of a layer of model '${this.name}' (${this.layers.map((layer) => `'${layer.name}'`).join(', ')})`,
        received: describe(name),
      });
    return new ModelLayer(this, core);
  }
}

/** A layer of a model, as `model.getLayer(name)` gives it. */
export class ModelLayer {
  constructor(
    private readonly owner: KerasModel,
    /** The layer itself (its spec, its calls). */
    readonly core: LayerCore,
  ) {}

  get name(): string {
    return this.core.name;
  }

  get className(): string {
    return this.core.className;
  }

  /** The tensor its call in this model reads (a layer with one input, called once in the model). */
  get input(): AnyTensor {
    return this.only('input', this.call().inputs);
  }

  /** The tensors its call in this model reads. */
  get inputs(): AnyTensor[] {
    return [...this.call().inputs];
  }

  /** The tensor its call in this model makes (a layer with one output, called once in the model). */
  get output(): AnyTensor {
    return this.only('output', this.call().outputs);
  }

  /** The tensors its call in this model makes. */
  get outputs(): AnyTensor[] {
    return [...this.call().outputs];
  }

  /** The model, when the layer is a model called as a layer (a nested model): `getLayer('encoder').model`. */
  get model(): CallableModel | undefined {
    const inner = this.core.spec.model;
    return isCallableModel(inner) ? inner : undefined;
  }

  /** Whether training updates its weights; false freezes them (in every model that holds the layer). */
  get trainable(): boolean {
    return this.core.trainable;
  }

  set trainable(value: boolean) {
    this.core.trainable = value;
  }

  /** Its parameters, trainable or not. */
  countParams(): number {
    const { trainable, nonTrainable } = this.core.countParams();
    return trainable + nonTrainable;
  }

  /** Copies of its weights' current values, in tfjs's order (a kernel, then its bias, ...). */
  getWeights(): tf.Tensor[] {
    if (this.core.weights.length === 0) return [];
    return this.owner.runtime.graph
      .layer(this.core)
      .getWeights()
      .map((weight) => tf.clone(weight));
  }

  /** Sets its weights' values, in getWeights's order; each must have its weight's shape. */
  setWeights(weights: readonly tf.Tensor[]): void {
    const twin = this.core.weights.length === 0 ? undefined : this.owner.runtime.graph.layer(this.core);
    const expected = twin?.weights.map((weight) => weight.shape) ?? [];
    const received = weights.map((weight) => weight.shape);
    const shapes = (list: readonly (readonly (number | null)[])[]): string =>
      list.length === 0 ? 'none' : list.map((shape) => `[${shape.join(', ')}]`).join(', ');
    if (JSON.stringify(expected) !== JSON.stringify(received))
      fail({
        code: 'option',
        layer: this.name,
        option: 'setWeights',
        expected: `${expected.length} tensor${expected.length === 1 ? '' : 's'} of shapes ${shapes(expected)}`,
        received: shapes(received),
      });
    twin?.setWeights([...weights]);
  }

  /** Its one call in this model. */
  private call(): { readonly inputs: readonly AnyTensor[]; readonly outputs: readonly AnyTensor[] } {
    const calls = this.owner.nodes.filter((node) => node.layer === this.core);
    const [only] = calls;
    if (only === undefined || calls.length > 1)
      return fail({
        code: 'usage',
        layer: `getLayer('${this.name}')`,
        problem: `the layer is called ${calls.length} times in model '${this.owner.name}', so it has no one input or output; keep the tensors its calls return`,
      });
    return only;
  }

  private only(what: 'input' | 'output', tensors: readonly AnyTensor[]): AnyTensor {
    const [tensor] = tensors;
    if (tensor === undefined || tensors.length > 1)
      return fail({
        code: 'usage',
        layer: `getLayer('${this.name}')`,
        problem: `the layer has ${tensors.length} ${what}s; use .${what}s`,
      });
    return tensor;
  }
}

/** A model that is also called like a layer: `encoder(image)` for one input, `model([a, b])` for several. */
export type CallableModel<
  Inputs extends Tensors = Tensors,
  Outputs extends Tensors = Tensors,
  Metric extends string = string,
  Name extends string = string,
> = KerasModel<Inputs, Outputs, Metric, Name> & ModelCall<Inputs, Outputs, Name>;

/**
 * The model as a function object that calls it as a layer, with the model's fields and prototype (so it is a
 * KerasModel, and its methods work on it). The object built by the constructor is not used after this.
 */
function callable<Inputs extends Tensors, Outputs extends Tensors, Metric extends string, Name extends string>(
  model: KerasModel<Inputs, Outputs, Metric, Name>,
): CallableModel<Inputs, Outputs, Metric, Name> {
  let self: Functional = model;
  function call<const Arg>(input: ModelArg<Inputs, Arg, Name>): ModelOut<Outputs, CallSources<Arg>>;
  function call(input: unknown): AnyTensor | AnyTensor[] {
    return callModel(self, input);
  }
  // A function's own `name` is read-only; make it writable so that the model's name is copied over it.
  Object.defineProperty(call, 'name', { writable: true });
  const joined = Object.assign(call, model);
  Object.setPrototypeOf(joined, Object.getPrototypeOf(model));
  self = joined;
  return joined;
}

/**
 * `Model({ inputs, outputs, name })`, Keras's functional `Model(inputs=..., outputs=...)`. The model can be
 * called on tensors like a layer, sharing its weights: `encoder(image)`.
 * @example Model({ inputs: [image, aux], outputs: [label, tags] })
 */
export function Model<const Inputs extends Tensors, const Outputs extends Tensors, const Name extends string = 'Model'>(
  args: ModelArgs<Inputs, Outputs> & { readonly name?: Name },
): CallableModel<Inputs, Outputs, string, Name> {
  return callable(new KerasModel<Inputs, Outputs, string, Name>(args));
}

/**
 * `Sequential([Input(shape), ...layers])`, Keras's `Sequential`: each layer is called on the output of the one
 * before; the result is a model like any other. The compiler computes each element's output shape, and a layer
 * that cannot take the shape before it is an error at that element. Without an Input first, it is a block called
 * like a layer (its model is built on its first call, on an Input like that call's tensor).
 * @example Sequential([Input([28, 28, 1]), Conv2D(32, 3, { activation: 'relu' }), Flatten(), Dense(10)])
 */
export function Sequential<const Layers extends readonly unknown[], const Name extends string = 'sequential'>(
  layers: Layers & NoInfer<SequentialCheck<Layers>>,
  options?: SequentialOptions<Name>,
): SequentialResult<Layers, Name>;
export function Sequential(layers: unknown, options?: unknown): CallableModel | SequentialBlock<readonly unknown[]> {
  const list = sequentialList(layers);
  const opts = optionsObject('Sequential', options);
  const name = typeof opts.name === 'string' ? opts.name : uniqueName('sequential', false);
  const build = (input: AnyTensor, start: number) =>
    callable(new KerasModel({ inputs: input, outputs: foldLayers(list, start, input), name, className: 'Sequential' }));
  const [first] = list;
  if (isTensor(first)) return build(first, 1);
  return sequentialBlock(name, (input) => build(Input([...input.shape], { dtype: input.dtype }), 0));
}

/**
 * What Sequential makes: a model when the list starts with an Input, else a block called like a layer. A list the
 * compiler cannot see element by element (`unknown[]`, built in a loop) that may hold an Input is typed as a model
 * of unknown shapes, which can also be called as a block is.
 */
export type SequentialResult<Layers extends readonly unknown[], Name extends string> = Layers extends readonly [
  infer First extends AnyTensor,
  ...unknown[],
]
  ? CallableModel<First, SequentialOutput<Layers>, string, Name>
  : Layers extends readonly [unknown, ...unknown[]]
    ? SequentialBlock<Layers>
    : AnyTensor extends Layers[number]
      ? CallableModel<AnyTensor, AnyTensor, string, Name>
      : SequentialBlock<Layers>;

/** Sequential's options. */
export interface SequentialOptions<Name extends string> {
  /** Default `sequential`, `sequential_1`, ... */
  readonly name?: Name;
}

makeNestedModelsWith((args) => callable(new KerasModel(args)));

/** Whether a value is a model made by Model() or loadModel (a KerasModel that is also a function). */
function isCallableModel(value: unknown): value is CallableModel {
  return value instanceof KerasModel && typeof value === 'function';
}

/**
 * Loads a model saved by `model.save(directory)`: graph, weights, compile settings and optimizer state.
 * `path` is the directory or its model.json. Only regular files inside it are read, and no more than
 * `maxBytes` of weights (default 2 GiB).
 */
export function loadModel(path: string, options: LoadOptions = {}): Promise<CallableModel> {
  return loadSaved(path, options, (args: FunctionalArgs<Tensors, Tensors>) => callable(new KerasModel(args)));
}
