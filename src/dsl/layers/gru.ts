// GRU: gated recurrent unit over [steps, features]; three gates. Keras 3 (keras/src/layers/rnn/gru.py) defaults to
// reset_after=True: the recurrent matmul has a bias of its own (bias [2, 3 * units]) and the reset gate multiplies
// its candidate part after the matmul. resetAfter: false is Keras 2's GRU (bias [3 * units]), which tfjs-layers'
// GRU computes; tfjs's GRUCell refuses reset_after, so that one lowers to a tfjs RNN of the cell below.
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../../errors.ts';
import { isRegistered, type TfjsActivation, tfjsActivation } from '../activation-functions.ts';
import type { TfConstraint } from '../constraints.ts';
import type { TfInitializer } from '../initializers.ts';
import { activations, boolean, oneOf, optionsObject, type PositiveArg } from '../options.ts';
import {
  type RecurrentLayer,
  type RecurrentOptions,
  type RecurrentRule,
  type ReturnedStates,
  recurrentLayer,
  refuseOptions,
  type Sequences,
} from '../recurrent.ts';
import { named, registerLayer } from '../registry.ts';
import type { TfRegularizer } from '../regularizers.ts';
import { deserialized, isConstraint, isInitializer, isRegularizer, serialized } from '../tfjs-serialized.ts';
import type { WeightOptionsCheck } from '../weight-options.ts';

/**
 * `GRU(units, { returnSequences, activation, recurrentActivation, useBias, goBackwards, dropout, recurrentDropout,
 * unroll, resetAfter, kernelInitializer, ..., name })`.
 * @example GRU(64)(Input([100, 128])) //=> SymbolicTensor<[64], 'float32', never>
 * @example GRU(64, { returnSequences: true })(Input([100, 128])) //=> SymbolicTensor<[100, 64], 'float32', never>
 */
export function GRU<const Units extends number, const Options extends RecurrentOptions = Record<never, never>>(
  units: PositiveArg<'GRU', 'units', Units>,
  options?: Options & NoInfer<WeightOptionsCheck<'GRU', Options>>,
): RecurrentLayer<RecurrentRule<'GRU', Units, Sequences<Options>, ReturnedStates<Options, 1>, 1>> {
  return gruLayer(units, options);
}

const initializerKeys = ['kernelInitializer', 'recurrentInitializer', 'biasInitializer'] as const;
const constraintKeys = ['kernelConstraint', 'recurrentConstraint', 'biasConstraint'] as const;
const regularizerKeys = ['kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer'] as const;
/** What the reset-after cell reads from its config (the rest is the RNN layer's). */
const cellKeys = [
  'units',
  'activation',
  'recurrentActivation',
  'useBias',
  'dropout',
  'recurrentDropout',
  ...initializerKeys,
  ...constraintKeys,
  ...regularizerKeys,
];

function gruLayer<R extends RecurrentRule<'GRU', number, boolean, number, 1>>(
  units: unknown,
  options: unknown,
): RecurrentLayer<R> {
  const opts = optionsObject('GRU', options);
  refuseOptions('GRU', opts, ['unitForgetBias']);
  const recurrentActivation = oneOf('GRU', 'recurrentActivation', opts.recurrentActivation ?? 'sigmoid', activations);
  const resetAfter = boolean('GRU', 'resetAfter', opts.resetAfter ?? true);
  return recurrentLayer(
    'GRU',
    3,
    1,
    units,
    options,
    (config) =>
      resetAfter
        ? new ResetAfterGRU({
            units: config.units,
            returnSequences: config.returnSequences,
            returnState: config.returnState,
            goBackwards: config.goBackwards,
            activation: config.activation,
            recurrentActivation: tfjsActivation(recurrentActivation),
            useBias: config.useBias,
            dropout: config.dropout,
            recurrentDropout: config.recurrentDropout,
            name: config.name,
            // As tfjs's own layers hold them: Bidirectional's copy and tf.loadLayersModel rebuild them so.
            ...Object.fromEntries(
              [...initializerKeys, ...constraintKeys, ...regularizerKeys].flatMap((key) => {
                const value = config[key];
                return value === undefined ? [] : [[key, serialized(value)]];
              }),
            ),
          })
        : tf.layers.gru({ ...config, recurrentActivation: tfjsActivation(recurrentActivation) }),
    {
      config: { recurrentActivation, resetAfter },
      ...(resetAfter ? { biasShape: (size: number) => [2, 3 * size] } : {}),
    },
  );
}

// A save made before resetAfter existed has no such key, and was Keras 2's GRU: it loads as it was saved.
registerLayer('GRU', (config, name) => gruLayer(config.units, { resetAfter: false, ...config, ...named(name) }));

/** A tfjs activation named in a cell's config (a caller's, or a loaded model.json's). */
function activationOf(config: tf.serialization.ConfigDict, key: string): tf.layers.Layer {
  const name = config[key];
  if (typeof name !== 'string' || !isRegistered(name))
    return fail({
      code: 'option',
      layer: 'GRU',
      option: key,
      expected: 'the name of a tfjs activation',
      received: describe(name),
    });
  const activation: TfjsActivation = name;
  return tf.layers.activation({ activation });
}

function apply(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const out = layer.apply(x);
  if (!(out instanceof tf.Tensor)) throw new Error('kerats: an activation did not compute one tensor');
  return out;
}

function numberOf(config: tf.serialization.ConfigDict, key: string): number {
  const value = config[key];
  return typeof value === 'number' ? value : 0;
}

/** A Keras-style dropout mask ([batch, size], kept 1/(1 - rate)), in training only. */
function dropoutMask(like: tf.Tensor, rate: number): tf.Tensor {
  return tf.keep(tf.dropout(tf.onesLike(like), rate));
}

/**
 * Keras 3's GRUCell.call with reset_after=True (keras/src/layers/rnn/gru.py, the implementation that projects all
 * gates at once): x·W + b_input and h·U + b_recurrent, split into z, r and h parts; z and r from their sums; the
 * candidate tanh(x_h + r * (h·U)_h); h' = z * h + (1 - z) * candidate. With dropout, one mask on the input and one
 * on the state, as tfjs's GRUCell (kept for the whole sequence).
 */
class ResetAfterGRUCell extends tf.layers.RNNCell {
  static readonly className = 'KeratsResetAfterGRUCell';
  override stateSize: number;
  private readonly units: number;
  private readonly useBias: boolean;
  private readonly rate: number;
  private readonly recurrentRate: number;
  private readonly activation: tf.layers.Layer;
  private readonly recurrentActivation: tf.layers.Layer;
  private readonly settings: tf.serialization.ConfigDict;
  private readonly initializers: { readonly [Key in (typeof initializerKeys)[number]]?: TfInitializer };
  private readonly constraints: { readonly [Key in (typeof constraintKeys)[number]]?: TfConstraint };
  private readonly regularizers: { readonly [Key in (typeof regularizerKeys)[number]]?: TfRegularizer };
  private kernel: tf.LayerVariable | undefined;
  private recurrentKernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;
  private inputMask: tf.Tensor | undefined;
  private stateMask: tf.Tensor | undefined;

  constructor(config: tf.serialization.ConfigDict) {
    super(typeof config.name === 'string' ? { name: config.name } : {});
    const units = config.units;
    if (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 1)
      fail({
        code: 'option',
        layer: 'GRU',
        option: 'units',
        expected: 'a positive integer',
        received: describe(units),
      });
    this.units = units;
    this.stateSize = units;
    this.useBias = config.useBias !== false;
    this.rate = numberOf(config, 'dropout');
    this.recurrentRate = numberOf(config, 'recurrentDropout');
    this.activation = activationOf(config, 'activation');
    this.recurrentActivation = activationOf(config, 'recurrentActivation');
    // What getConfig gives back: the cell's own options (initializers and constraints as kerats resolves them).
    this.settings = Object.fromEntries(
      cellKeys.flatMap((key) => {
        const value = config[key];
        return value === undefined ? [] : [[key, value]];
      }),
    );
    this.initializers = Object.fromEntries(
      initializerKeys.flatMap((key) => {
        const value = deserialized('GRU', config, key, 'a tfjs initializer', isInitializer);
        return value === undefined ? [] : [[key, value]];
      }),
    );
    this.constraints = Object.fromEntries(
      constraintKeys.flatMap((key) => {
        const value = deserialized('GRU', config, key, 'a tfjs constraint', isConstraint);
        return value === undefined ? [] : [[key, value]];
      }),
    );
    this.regularizers = Object.fromEntries(
      regularizerKeys.flatMap((key) => {
        const value = deserialized('GRU', config, key, 'a tfjs regularizer', isRegularizer);
        return value === undefined ? [] : [[key, value]];
      }),
    );
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape.flat();
    const features = shape.at(-1);
    if (typeof features !== 'number')
      throw new Error(`kerats: GRU needs a known feature size, got ${String(features)}`);
    const { units } = this;
    const { initializers: init, constraints: limit, regularizers: penalty } = this;
    this.kernel = this.addWeight(
      'kernel',
      [features, 3 * units],
      'float32',
      init.kernelInitializer ?? tf.initializers.glorotUniform({}),
      penalty.kernelRegularizer,
      true,
      limit.kernelConstraint,
    );
    this.recurrentKernel = this.addWeight(
      'recurrent_kernel',
      [units, 3 * units],
      'float32',
      init.recurrentInitializer ?? tf.initializers.orthogonal({}),
      penalty.recurrentRegularizer,
      true,
      limit.recurrentConstraint,
    );
    this.bias = this.useBias
      ? this.addWeight(
          'bias',
          [2, 3 * units],
          'float32',
          init.biasInitializer ?? tf.initializers.zeros(),
          penalty.biasRegularizer,
          true,
          limit.biasConstraint,
        )
      : undefined;
    this.built = true;
  }

  /** Forgets the dropout masks: each call of the layer (each batch) draws its own. */
  resetMasks(): void {
    tf.dispose([this.inputMask, this.stateMask].filter((mask) => mask !== undefined));
    this.inputMask = undefined;
    this.stateMask = undefined;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { readonly [key: string]: unknown }): tf.Tensor[] {
    return tf.tidy(() => {
      const [input, state] = Array.isArray(inputs) ? inputs : [inputs];
      const { kernel, recurrentKernel, bias, units } = this;
      if (input === undefined || state === undefined || kernel === undefined || recurrentKernel === undefined)
        throw new Error('kerats: the GRU cell is called with an input and a state, once built');
      let x = input;
      let h = state;
      if (kwargs.training === true && this.rate > 0) {
        this.inputMask ??= dropoutMask(x, this.rate);
        x = tf.mul(x, this.inputMask);
      }
      if (kwargs.training === true && this.recurrentRate > 0) {
        this.stateMask ??= dropoutMask(h, this.recurrentRate);
        h = tf.mul(h, this.stateMask);
      }
      let projected = tf.matMul(x, kernel.read());
      let recurrent = tf.matMul(h, recurrentKernel.read());
      if (bias !== undefined) {
        const [inputBias, recurrentBias] = tf.unstack(bias.read());
        if (inputBias === undefined || recurrentBias === undefined)
          throw new Error('kerats: GRU bias is [2, 3 * units]');
        projected = tf.add(projected, inputBias);
        recurrent = tf.add(recurrent, recurrentBias);
      }
      // Gate `index` of a [batch, 3 * units] projection: z, r, then the candidate's part.
      const gate = (t: tf.Tensor, index: number) => tf.slice(t, [0, index * units], [-1, units]);
      const z = apply(this.recurrentActivation, tf.add(gate(projected, 0), gate(recurrent, 0)));
      const r = apply(this.recurrentActivation, tf.add(gate(projected, 1), gate(recurrent, 1)));
      const candidate = apply(this.activation, tf.add(gate(projected, 2), tf.mul(r, gate(recurrent, 2))));
      const next = tf.add(tf.mul(z, state), tf.mul(tf.sub(1, z), candidate));
      return [next, next];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.settings };
  }
}
tf.serialization.registerClass(ResetAfterGRUCell);

/** The layer: tfjs's RNN of the reset-after cell, its dropout masks drawn afresh at each call (as tfjs's GRU). */
class ResetAfterGRU extends tf.RNN {
  static override readonly className = 'KeratsResetAfterGRU';
  private readonly gruCell: ResetAfterGRUCell;

  constructor(config: tf.serialization.ConfigDict) {
    const cell = new ResetAfterGRUCell(config);
    super({
      cell,
      returnSequences: config.returnSequences === true,
      returnState: config.returnState === true,
      goBackwards: config.goBackwards === true,
      ...(typeof config.name === 'string' ? { name: config.name } : {}),
      ...(typeof config.trainable === 'boolean' ? { trainable: config.trainable } : {}),
    });
    this.gruCell = cell;
  }

  override getClassName(): string {
    return ResetAfterGRU.className;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { readonly [key: string]: unknown }): tf.Tensor | tf.Tensor[] {
    this.gruCell.resetMasks();
    const { mask, training, initialState } = kwargs;
    return super.call(inputs, { mask, training, initialState });
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
tf.serialization.registerClass(ResetAfterGRU);
