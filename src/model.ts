// The public model: a Functional graph (src/dsl) joined with what src/runtime does to it (compile, fit,
// evaluate, predict, save). This is the one place where the description and the runtime meet.
import type * as tf from '@tensorflow/tfjs';
import { Functional, type FunctionalArgs, type ModelArgs, type Tensors } from './dsl/model.ts';
import type { DataFor } from './runtime/data.ts';
import type { MetricName } from './runtime/metrics.ts';
import { type LoadOptions, loadSaved, saveModel } from './runtime/save.ts';
import {
  type CompileArgs,
  type CompileArgsFor,
  type FitArgs,
  type History,
  type Logs,
  type Trainer,
  trainerOf,
} from './runtime/training.ts';

/** A functional model. `Inputs` and `Outputs` keep the exact tensors it was built from. */
export class KerasModel<
  Inputs extends Tensors = Tensors,
  Outputs extends Tensors = Tensors,
  Metric extends string = string,
> extends Functional<Inputs, Outputs> {
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
  ): KerasModel<Inputs, Outputs, Builtin | Custom>;
  compile(args: CompileArgs): unknown {
    this.runtime.compile(args);
    return this;
  }

  /** Trains the model, as Keras's `fit`; the data is checked against the model before anything runs. */
  fit(x: DataFor<Inputs>, y: DataFor<Outputs>, args?: FitArgs): Promise<History<Metric, Outputs>>;
  fit(x: unknown, y: unknown, args?: FitArgs): Promise<unknown> {
    return this.runtime.fit(x, y, args);
  }

  /** Mean loss and metrics over the data, as Keras's `evaluate`. */
  evaluate(
    x: DataFor<Inputs>,
    y: DataFor<Outputs>,
    args?: { readonly batchSize?: number },
  ): Promise<Logs<Metric, Outputs>>;
  evaluate(x: unknown, y: unknown, args?: { readonly batchSize?: number }): Promise<unknown> {
    return this.runtime.evaluate(x, y, args);
  }

  /** The outputs for the inputs, one tensor per model output, as Keras's `predict`. */
  predict(x: DataFor<Inputs>, args?: { readonly batchSize?: number }): Promise<tf.Tensor[]> {
    return this.runtime.predict(x, args);
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
}

/**
 * `Model({ inputs, outputs, name })`, Keras's functional `Model(inputs=..., outputs=...)`.
 * @example Model({ inputs: [image, aux], outputs: [label, tags] })
 */
export function Model<const Inputs extends Tensors, const Outputs extends Tensors>(
  args: ModelArgs<Inputs, Outputs>,
): KerasModel<Inputs, Outputs> {
  return new KerasModel<Inputs, Outputs>(args);
}

/**
 * Loads a model saved by `model.save(directory)`: graph, weights, compile settings and optimizer state.
 * `path` is the directory or its model.json. Only regular files inside it are read, and no more than
 * `maxBytes` of weights (default 2 GiB).
 */
export function loadModel(path: string, options: LoadOptions = {}): Promise<KerasModel> {
  return loadSaved(path, options, (args: FunctionalArgs<Tensors, Tensors>) => new KerasModel(args));
}
