// The public API for writing a layer, Keras's `class MyLayer(keras.layers.Layer)`: its options, its value-level
// shape rule, its weights and its computation in tfjs ops, in one object. The type-level rule is the layer's own
// interface extending Rule (or MergeRule), named in the return type of the layer's factory, as the built-in
// layers do. The lowering is one generic tfjs layer (DefinedLayer below) that adds the weights in build() and
// runs the definition's call, so training, saving, summary() and plotModel treat it like every other layer.
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../errors.ts';
import { isPositiveInteger } from '../shapes/dim.ts';
import { type Initializer, initializerOption, type TfInitializer, tfjsInitializer } from './initializers.ts';
import {
  type JsonValue,
  type Layer,
  type LayerSpec,
  LossCollector,
  type MergeLayer,
  type MergeRule,
  mergeLayer,
  type Rule,
  type TensorInfo,
  type UnarySpec,
  unaryLayer,
  type WeightSpec,
} from './layer.ts';
import { optionsObject } from './options.ts';
import { type AnyLayerClass, type LayerConfig, named } from './registry.ts';
import { type Regularizer, type ResolvedRegularizer, regularizerOption, tfjsRegularizer } from './regularizers.ts';

export type { InitializerName, TfInitializer } from './initializers.ts';

/** One weight a layer creates, as Keras's `add_weight(name, shape, initializer, trainable)`. */
export interface WeightDef<Name extends string = string> {
  readonly name: Name;
  readonly shape: readonly number[];
  /**
   * Default `'glorotUniform'`, as Keras's add_weight: any name or `{ className, config }` a layer's
   * `kernelInitializer` takes, or a tfjs initializer object.
   */
  readonly initializer?: Initializer | TfInitializer;
  /** Default `true`; a non-trainable weight is counted apart in summary() and left alone by the optimizer. */
  readonly trainable?: boolean;
  /**
   * Keras's add_weight `regularizer`: its penalty on the weight is added to the loss while the weight trains. Any
   * value a layer's `kernelRegularizer` takes (`'l2'`, `l2(1e-4)`, `{ className, config }`). Default none.
   */
  readonly regularizer?: Regularizer | ResolvedRegularizer | undefined;
}

/** The weights a call reads, by the names its definition gave them. */
export type LayerWeights<Names extends string = string> = { readonly [Name in Names]: tf.Tensor };

/** What a layer's `call` is told besides its inputs and weights. */
export interface CallContext<Config extends LayerConfig> {
  /** `true` in fit's forward pass, `false` in predict and evaluate: Dropout's switch. */
  readonly training: boolean;
  readonly config: Config;
  /**
   * Adds a scalar to the loss that fit and evaluate report and minimize, Keras's `self.add_loss` (an activity
   * penalty). It counts in that batch only.
   */
  addLoss(loss: tf.Tensor): void;
}

/** What the definitions of one-input and several-input layers share. */
interface DefinitionBase<Config extends LayerConfig> {
  /** The Keras class name, saved with the layer; loadModel finds the definition by it (`customLayers`). */
  readonly className: string;
  /**
   * Checks the options (the caller's, or a saved config's: unknown values either way) and returns the resolved
   * config, defaults filled in. It is what a save holds and what every other function here is given.
   */
  readonly config: (options: { readonly [key: string]: unknown }) => Config;
  /** Why a save cannot hold this layer (it closes over code a config cannot name); save() fails with it. */
  readonly unsavable?: string;
}

/** A layer on one tensor: Keras's Layer with `build(input_shape)`, `call(inputs)` and `compute_output_shape`. */
export interface LayerDefinition<Config extends LayerConfig, Names extends string = never>
  extends DefinitionBase<Config> {
  /** The value-level shape rule (the type-level one is the factory's Rule): the output, or a thrown KeratsError. */
  readonly outputShape: (input: TensorInfo, config: Config) => TensorInfo;
  /** The weights built for this input (default none). */
  readonly weights?: (input: TensorInfo, config: Config) => readonly WeightDef<Names>[];
  /** The computation, in tfjs ops, on a batch. Runs inside tf.tidy. */
  readonly call: (input: tf.Tensor, weights: LayerWeights<Names>, context: CallContext<Config>) => tf.Tensor;
  /** Floating-point operations of one forward pass per sample, for summary's estimates (default 0). */
  readonly flops?: (input: TensorInfo, config: Config) => number;
}

/** A layer on a list of tensors (Keras's merge layers, attention). */
export interface MergeLayerDefinition<Config extends LayerConfig, Names extends string = never>
  extends DefinitionBase<Config> {
  readonly outputShape: (inputs: readonly TensorInfo[], config: Config) => TensorInfo;
  readonly weights?: (inputs: readonly TensorInfo[], config: Config) => readonly WeightDef<Names>[];
  readonly call: (
    inputs: readonly tf.Tensor[],
    weights: LayerWeights<Names>,
    context: CallContext<Config>,
  ) => tf.Tensor;
  readonly flops?: (inputs: readonly TensorInfo[], config: Config) => number;
}

/** What defineLayer returns: the class; call `create` in the layer's typed factory. */
export interface LayerClass extends AnyLayerClass {
  /**
   * A layer for these options. `R` is the factory's Rule, read from the factory's return type: the definition's
   * outputShape is its value-level twin.
   */
  create<R extends Rule>(options?: object): Layer<R>;
}

/** What defineMergeLayer returns. */
export interface MergeLayerClass extends AnyLayerClass {
  create<R extends MergeRule>(options?: object): MergeLayer<R>;
}

/** The factory users call, made by `make` from the class's `create`, and the class itself (for customLayers). */
export type FactoryWithClass<Factory> = Factory & AnyLayerClass;

/**
 * Defines a layer on one tensor. With `make`, the result is the factory users call, which states the type-level
 * rule in its return type, and is also the class `loadModel`'s `customLayers` takes (`{ Linear }`):
 * @example
 * export const Linear = defineLayer({ className: 'Linear', config, outputShape, weights, call }, (create) =>
 *   function Linear<const Units extends number>(units: Units, options?: BaseOptions): Layer<LinearRule<Units>> {
 *     return create({ ...options, units });
 *   });
 */
export function defineLayer<Config extends LayerConfig, Names extends string = never>(
  definition: LayerDefinition<Config, Names>,
): LayerClass;
export function defineLayer<Config extends LayerConfig, Names extends string, Factory extends object>(
  definition: LayerDefinition<Config, Names>,
  make: (create: LayerClass['create']) => Factory,
): FactoryWithClass<Factory>;
export function defineLayer<Config extends LayerConfig, Names extends string, Factory extends object>(
  definition: LayerDefinition<Config, Names>,
  make?: (create: LayerClass['create']) => Factory,
): LayerClass | FactoryWithClass<Factory> {
  const layerClass = unaryClass(definition);
  return make === undefined ? layerClass : withClass(make(layerClass.create), layerClass);
}

/** Defines a layer on a list of tensors; its factory states a MergeRule (see defineLayer). */
export function defineMergeLayer<Config extends LayerConfig, Names extends string = never>(
  definition: MergeLayerDefinition<Config, Names>,
): MergeLayerClass;
export function defineMergeLayer<Config extends LayerConfig, Names extends string, Factory extends object>(
  definition: MergeLayerDefinition<Config, Names>,
  make: (create: MergeLayerClass['create']) => Factory,
): FactoryWithClass<Factory>;
export function defineMergeLayer<Config extends LayerConfig, Names extends string, Factory extends object>(
  definition: MergeLayerDefinition<Config, Names>,
  make?: (create: MergeLayerClass['create']) => Factory,
): MergeLayerClass | FactoryWithClass<Factory> {
  const layerClass = mergeClass(definition);
  return make === undefined ? layerClass : withClass(make(layerClass.create), layerClass);
}

function withClass<Factory extends object>(factory: Factory, layerClass: AnyLayerClass): FactoryWithClass<Factory> {
  return Object.assign(factory, { className: layerClass.className, fromConfig: layerClass.fromConfig });
}

function unaryClass<Config extends LayerConfig, Names extends string>(
  definition: LayerDefinition<Config, Names>,
): LayerClass {
  const { className } = definition;
  const specFor = (options: object | undefined): { spec: UnarySpec; name: unknown; trainable: unknown } => {
    const { name, trainable, activityRegularizer, ...rest } = optionsObject(className, options);
    const config = definition.config(rest);
    const { flops } = definition;
    const spec: UnarySpec = {
      className,
      ...activityOf(className, config, activityRegularizer),
      outputShape: (input) => definition.outputShape(input, config),
      weights: (input) => weightSpecs(className, definition.weights?.(input, config) ?? []),
      ...(flops === undefined ? {} : { flops: (input: TensorInfo) => flops(input, config) }),
      ...(definition.unsavable === undefined ? {} : { unsavable: definition.unsavable }),
      lower: (layerName, calls) =>
        new DefinedLayer({
          name: layerName,
          className,
          config,
          calls: calls.map((input) => [input]),
          outputShape: (inputs) => definition.outputShape(only(className, inputs), config),
          weights: (inputs) => definition.weights?.(only(className, inputs), config) ?? [],
          call: (inputs, weights, training, addLoss) =>
            definition.call(only(className, inputs), weights, { training, config, addLoss }),
        }),
    };
    return { spec, name, trainable };
  };
  function create<R extends Rule>(options?: object): Layer<R> {
    const { spec, name, trainable } = specFor(options);
    return unaryLayer(spec, name, trainable);
  }
  return { className, fromConfig: (config, name) => create({ ...config, ...named(name) }), create };
}

function mergeClass<Config extends LayerConfig, Names extends string>(
  definition: MergeLayerDefinition<Config, Names>,
): MergeLayerClass {
  const { className } = definition;
  const specFor = (options: object | undefined): { spec: LayerSpec; name: unknown; trainable: unknown } => {
    const { name, trainable, activityRegularizer, ...rest } = optionsObject(className, options);
    const config = definition.config(rest);
    const { flops } = definition;
    const spec: LayerSpec = {
      className,
      ...activityOf(className, config, activityRegularizer),
      outputShape: (inputs) => definition.outputShape(inputs, config),
      weights: (inputs) => weightSpecs(className, definition.weights?.(inputs, config) ?? []),
      ...(flops === undefined ? {} : { flops: (inputs: readonly TensorInfo[]) => flops(inputs, config) }),
      ...(definition.unsavable === undefined ? {} : { unsavable: definition.unsavable }),
      lower: (layerName, calls) =>
        new DefinedLayer({
          name: layerName,
          className,
          config,
          calls,
          outputShape: (inputs) => definition.outputShape(inputs, config),
          weights: (inputs) => definition.weights?.(inputs, config) ?? [],
          call: (inputs, weights, training, addLoss) => definition.call(inputs, weights, { training, config, addLoss }),
        }),
    };
    return { spec, name, trainable };
  };
  function create<R extends MergeRule>(options?: object): MergeLayer<R> {
    const { spec, name, trainable } = specFor(options);
    return mergeLayer(spec, name, trainable);
  }
  return { className, fromConfig: (config, name) => create({ ...config, ...named(name) }), create };
}

/**
 * The saved config and the spec's activity regularizer: every defined layer takes `activityRegularizer`, as every
 * Keras layer does (Layer.__init__), whatever its definition's options.
 */
function activityOf(
  className: string,
  config: LayerConfig,
  option: unknown,
): { readonly config: LayerConfig; readonly activityRegularizer?: ResolvedRegularizer } {
  const activity = regularizerOption(className, 'activityRegularizer', option);
  if (activity === undefined) return { config };
  const saved = { className: activity.className, config: { ...activity.config } };
  return { config: { ...config, activityRegularizer: saved }, activityRegularizer: activity };
}

/** The one input of a one-input layer's call. */
function only<Item>(className: string, inputs: readonly Item[]): Item {
  const [input] = inputs;
  if (input === undefined || inputs.length !== 1)
    return fail({ code: 'input-count', layer: className, expected: 'exactly 1', received: inputs.length });
  return input;
}

/** A definition's weights as kerats counts them; every size must be a positive integer. */
function weightSpecs(className: string, weights: readonly WeightDef[]): readonly WeightSpec[] {
  return weights.map(({ name, shape, trainable = true, initializer = 'glorotUniform', regularizer }) => {
    if (!isTfInitializer(initializer)) initializerOption(className, `the initializer of weight '${name}'`, initializer);
    regularizerOption(className, `the regularizer of weight '${name}'`, regularizer);
    if (!shape.every(isPositiveInteger))
      fail({
        code: 'option',
        layer: className,
        option: `the shape of weight '${name}'`,
        expected: 'positive integers (an input size it depends on must be known)',
        received: describe(shape),
      });
    return { name, shape, trainable };
  });
}

/** What the generic tfjs layer needs from a definition, its inputs always a list. */
interface Lowered {
  readonly name: string;
  readonly className: string;
  readonly config: LayerConfig;
  /**
   * kerats' view of each call's inputs: it knows sizes tfjs may not, and dtypes, which tfjs's shapes lack. The
   * weights are built for the first.
   */
  readonly calls: readonly (readonly TensorInfo[])[];
  outputShape(inputs: readonly TensorInfo[]): TensorInfo;
  weights(inputs: readonly TensorInfo[]): readonly WeightDef[];
  call(
    inputs: readonly tf.Tensor[],
    weights: LayerWeights,
    training: boolean,
    addLoss: (loss: tf.Tensor) => void,
  ): tf.Tensor;
}

/** The tfjs twin of every defined layer: build() adds the definition's weights, call() runs its computation. */
class DefinedLayer extends tf.layers.Layer {
  private readonly variables = new Map<string, tf.LayerVariable>();

  constructor(private readonly lowered: Lowered) {
    super({ name: lowered.name });
  }

  override getClassName(): string {
    return this.lowered.className;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const inputs = this.lowered.calls[0] ?? this.infos(inputShape);
    for (const weight of this.lowered.weights(inputs)) {
      const { initializer = 'glorotUniform' } = weight;
      const init = isTfInitializer(initializer)
        ? initializer
        : tfjsInitializer(
            initializerOption(this.lowered.className, `the initializer of weight '${weight.name}'`, initializer) ?? {
              className: 'glorotUniform',
              config: {},
            },
          );
      const variable = this.addWeight(
        weight.name,
        [...weight.shape],
        'float32',
        init,
        regularizerOf(this.lowered.className, weight),
        weight.trainable ?? true,
      );
      this.variables.set(weight.name, variable);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const { shape } = this.lowered.outputShape(this.infos(inputShape));
    return [null, ...shape];
  }

  /** The call of these tfjs shapes as kerats sees it (its dtypes too), or the shapes with the first call's dtypes. */
  private infos(inputShape: tf.Shape | tf.Shape[]): readonly TensorInfo[] {
    const shapes = (isShapeList(inputShape) ? inputShape : [inputShape]).map((shape) => shape.slice(1));
    const same = (call: readonly TensorInfo[]) =>
      call.length === shapes.length && call.every(({ shape }, index) => shape.join() === (shapes[index] ?? []).join());
    const first = this.lowered.calls[0];
    return (
      this.lowered.calls.find(same) ??
      shapes.map((shape, index) => ({ shape, dtype: first?.[index]?.dtype ?? 'float32' }))
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { readonly [key: string]: unknown }): tf.Tensor {
    // The losses leave the tidy as results, so that the enclosing scope (the training step) owns them.
    const [output, ...losses] = tf.tidy(() => {
      const weights: { [name: string]: tf.Tensor } = {};
      for (const [name, variable] of this.variables) weights[name] = variable.read();
      const added: tf.Tensor[] = [];
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const result = this.lowered.call(list, weights, kwargs.training === true, (loss) => {
        added.push(tf.sum(loss));
      });
      return [result, ...added];
    });
    if (output === undefined) throw new Error(`kerats: ${this.name} computed nothing`);
    const collector = kwargs.losses;
    if (collector instanceof LossCollector) for (const loss of losses) collector.add(loss);
    else tf.dispose(losses);
    return output;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig() };
    for (const [key, value] of Object.entries(this.lowered.config)) config[key] = configValue(value);
    return config;
  }
}

function isShapeList(shape: tf.Shape | tf.Shape[]): shape is tf.Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** A JSON value as tfjs's (mutable) config type. */
function configValue(value: JsonValue): tf.serialization.ConfigDictValue {
  if (value === null || typeof value !== 'object') return value;
  if (isList(value)) return value.map(configValue);
  const dict: tf.serialization.ConfigDict = {};
  for (const [key, item] of Object.entries(value)) dict[key] = configValue(item);
  return dict;
}

function isList(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}

/** The tfjs regularizer of a weight, if it has one (tfjs keeps its penalty among the layer's losses). */
function regularizerOf(className: string, { name, regularizer }: WeightDef) {
  const resolved = regularizerOption(className, `the regularizer of weight '${name}'`, regularizer);
  return resolved === undefined ? undefined : tfjsRegularizer(resolved);
}

/** A tfjs initializer object, rather than a name or `{ className, config }`. */
function isTfInitializer(value: Initializer | TfInitializer): value is TfInitializer {
  return typeof value === 'object' && 'apply' in value && typeof value.apply === 'function';
}
