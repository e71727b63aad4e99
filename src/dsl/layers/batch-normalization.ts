// BatchNormalization: normalises each feature along `axis` (default the last); the shape is unchanged.
import * as tf from '@tensorflow/tfjs';
import { type BadAxisMessage, describe, fail, type UnknownDimMessage } from '../../errors.ts';
import { type AxisIndex, axisIndex } from '../../shapes/axis.ts';
import type { Shape } from '../../shapes/dim.ts';
import type { Constraint } from '../constraints.ts';
import { floatInputs } from '../float-inputs.ts';
import type { Initializer } from '../initializers.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, boolean, type Opt, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';

export interface BatchNormalizationOptions extends BaseOptions {
  /** The feature axis, Keras numbering. Default -1. */
  readonly axis?: number;
  /** Default 0.99. */
  readonly momentum?: number;
  /** Default 0.001. */
  readonly epsilon?: number;
  /** Learn an offset (beta). Default `true`. */
  readonly center?: boolean;
  /** Learn a scale (gamma). Default `true`. */
  readonly scale?: boolean;
  /** Default `'zeros'`. */
  readonly betaInitializer?: Initializer;
  /** Default `'ones'`. */
  readonly gammaInitializer?: Initializer;
  /** Default `'zeros'`. */
  readonly movingMeanInitializer?: Initializer;
  /** Default `'ones'`. */
  readonly movingVarianceInitializer?: Initializer;
  /** Applied after each optimizer update, as in Keras. Default none. */
  readonly betaConstraint?: Constraint;
  readonly gammaConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly betaRegularizer?: Regularizer;
  readonly gammaRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

/** @example BatchNormalizationShape<[30, 30, 16], -1> //=> Ok<[30, 30, 16], 'float32'> */
export type BatchNormalizationShape<S extends Shape, Axis extends number> = [AxisIndex<Axis, S['length']>] extends [
  never,
]
  ? BadAxisMessage<'BatchNormalization', Axis, S>
  : S[AxisIndex<Axis, S['length']> & keyof S] extends null
    ? UnknownDimMessage<'BatchNormalization', Axis, S, 'it sizes the statistics'>
    : Ok<[...S], 'float32'>;

export interface BatchNormalizationRule<in out Axis extends number> extends Rule {
  readonly output: BatchNormalizationShape<InputOf<this>, Axis>;
}

function finite(option: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return fail({
    code: 'option',
    layer: 'BatchNormalization',
    option,
    expected: 'a finite number >= 0',
    received: describe(value),
  });
}

/**
 * `BatchNormalization({ axis, momentum, epsilon, center, scale, name })`.
 * @example BatchNormalization()(Input([30, 30, 16])) //=> SymbolicTensor<[30, 30, 16], 'float32', never>
 */
export function BatchNormalization<const Options extends BatchNormalizationOptions = Record<never, never>>(
  options?: Options & NoInfer<WeightOptionsCheck<'BatchNormalization', Options>>,
): Layer<BatchNormalizationRule<Opt<Options, 'axis', -1>>>;
export function BatchNormalization(options?: unknown): Layer<Rule> {
  return batchNormalizationLayer(options);
}

/** BatchNormalization from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function batchNormalizationLayer(options: unknown): Layer<Rule> {
  const opts = optionsObject('BatchNormalization', options);
  const axis = opts.axis ?? -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    fail({
      code: 'option',
      layer: 'BatchNormalization',
      option: 'axis',
      expected: 'an integer',
      received: describe(axis),
    });
  const momentum = finite('momentum', opts.momentum ?? 0.99);
  const epsilon = finite('epsilon', opts.epsilon ?? 0.001);
  const center = boolean('BatchNormalization', 'center', opts.center ?? true);
  const scale = boolean('BatchNormalization', 'scale', opts.scale ?? true);
  const weighted = weightOptions(
    'BatchNormalization',
    opts,
    ['betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'],
    ['betaConstraint', 'gammaConstraint'],
    ['betaRegularizer', 'gammaRegularizer', 'activityRegularizer'],
  );
  const features = (shape: readonly (number | null)[]): number => {
    const index = axisIndex(axis, shape.length);
    if (index === undefined) return fail({ code: 'bad-axis', layer: 'BatchNormalization', axis, received: shape });
    const size = shape[index] ?? null;
    if (size === null)
      return fail({
        code: 'unknown-dim',
        layer: 'BatchNormalization',
        axis,
        received: shape,
        why: 'it sizes the statistics',
      });
    return size;
  };
  return unaryLayer(
    {
      className: 'BatchNormalization',
      ...weighted.spec,
      config: { axis, momentum, epsilon, center, scale, ...weighted.config },
      outputShape({ shape }) {
        features(shape);
        return { shape, dtype: 'float32' };
      },
      weights({ shape }) {
        const size = features(shape);
        return [
          ...(scale ? [{ name: 'gamma', shape: [size], trainable: true }] : []),
          ...(center ? [{ name: 'beta', shape: [size], trainable: true }] : []),
          { name: 'moving_mean', shape: [size], trainable: false },
          { name: 'moving_variance', shape: [size], trainable: false },
        ];
      },
      // tfjs counts axes with the batch, as Keras does: -1 stays -1, axis k stays k.
      lower: (name) =>
        floatInputs(
          anyAxis(tf.layers.batchNormalization({ axis, momentum, epsilon, center, scale, ...weighted.tfjs, name }), {
            axis,
            momentum,
            epsilon,
            center,
            scale,
          }),
        ),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * tfjs's BatchNormalization trains only ranks 2 to 4 with the features last, with gamma and beta: its op stops at
 * rank 4, its gradient does not sum over the axes the statistics are broadcast along (another axis fails in
 * fit), and its training reads gamma and beta even when they are off. Elsewhere, the same computation in plain
 * ops (whose gradients tfjs has), with tfjs's moving-average update.
 */
function anyAxis(
  layer: tf.layers.Layer,
  options: { axis: number; momentum: number; epsilon: number; center: boolean; scale: boolean },
): tf.layers.Layer {
  const stock = layer.call.bind(layer);
  layer.call = (inputs, given) => {
    // Frozen (trainable false, or inside a frozen model), it normalizes with its moving statistics and leaves
    // them as they are, as Keras's does: fine-tuning must not shift a pretrained base's statistics.
    const kwargs = layer.trainable ? given : { ...given, training: false };
    const [x] = Array.isArray(inputs) ? inputs : [inputs];
    if (x === undefined) throw new Error(`kerats: ${layer.name} has no input`);
    const axis = options.axis < 0 ? options.axis + x.rank : options.axis;
    if (x.rank <= 4 && axis === x.rank - 1 && options.center && options.scale) return stock(inputs, kwargs);
    return tf.tidy(() => {
      const reduced = x.shape.map((_, index) => index).filter((index) => index !== axis);
      const broadcast = x.shape.map((size, index) => (index === axis ? size : 1));
      // In the order tfjs builds them: gamma, beta (each if enabled), moving mean, moving variance.
      const weights = [...layer.weights];
      const gamma = options.scale ? weights.shift() : undefined;
      const beta = options.center ? weights.shift() : undefined;
      const [movingMean, movingVariance] = weights;
      if (movingMean === undefined || movingVariance === undefined)
        throw new Error(`kerats: ${layer.name} has no moving statistics`);
      const normalize = (mean: tf.Tensor, variance: tf.Tensor): tf.Tensor => {
        const scaled = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, options.epsilon)));
        const gained = gamma === undefined ? scaled : tf.mul(scaled, tf.reshape(gamma.read(), broadcast));
        return beta === undefined ? gained : tf.add(gained, tf.reshape(beta.read(), broadcast));
      };
      if (kwargs.training !== true)
        return normalize(tf.reshape(movingMean.read(), broadcast), tf.reshape(movingVariance.read(), broadcast));
      const { mean, variance } = tf.moments(x, reduced, true);
      for (const [moving, batch] of new Map([
        [movingMean, mean],
        [movingVariance, variance],
      ])) {
        const old = moving.read();
        moving.write(tf.sub(old, tf.mul(tf.sub(old, tf.reshape(batch, old.shape)), 1 - options.momentum)));
      }
      return normalize(mean, variance);
    });
  };
  return layer;
}

registerLayer('BatchNormalization', (config, name) => batchNormalizationLayer({ ...config, ...named(name) }));
