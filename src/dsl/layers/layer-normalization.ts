// LayerNormalization: each sample normalized over `axis` (the last by default), then scaled by gamma and shifted by
// beta, one of each per element of the normalized axes. Keras 3: keras/src/layers/normalization/
// layer_normalization.py (build: gamma and beta of shape [input_shape[a] for a in axis], when scale and center).
import * as tf from '@tensorflow/tfjs';
import { type BadAxisMessage, describe, fail, type UnknownDimMessage } from '../../errors.ts';
import { type AxisIndex, axisIndex } from '../../shapes/axis.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import type { Constraint } from '../constraints.ts';
import { floatInputs } from '../float-inputs.ts';
import type { Initializer } from '../initializers.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, boolean, type Opt, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';

export interface LayerNormalizationOptions extends BaseOptions {
  /** The axis or axes to normalize over (Keras numbering: 1 is the first after the batch). Default -1. */
  readonly axis?: number | readonly number[];
  /** Default 1e-3. */
  readonly epsilon?: number;
  /** Add beta. Default `true`. */
  readonly center?: boolean;
  /** Multiply by gamma. Default `true`. */
  readonly scale?: boolean;
  /** Default `'zeros'`. */
  readonly betaInitializer?: Initializer;
  /** Default `'ones'`. */
  readonly gammaInitializer?: Initializer;
  /** Applied after each optimizer update, as in Keras. Default none. */
  readonly betaConstraint?: Constraint;
  readonly gammaConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly betaRegularizer?: Regularizer;
  readonly gammaRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

const why = 'it sizes gamma and beta';

type _Axes<Axis> = Axis extends number ? [Axis] : Axis extends readonly number[] ? Axis : number[];

/**
 * The input's shape, where every normalized axis exists and is known.
 * @example LayerNormalizationShape<[10, 64], [-1]> //=> Ok<[10, 64], 'float32'>
 */
export type LayerNormalizationShape<
  S extends Shape,
  Axes extends readonly number[],
  Weighted extends boolean = true,
> = Axes extends readonly [infer Axis extends number, ...infer Rest extends readonly number[]]
  ? number extends Axis
    ? LayerNormalizationShape<S, Rest, Weighted>
    : [AxisIndex<Axis, S['length']>] extends [never]
      ? BadAxisMessage<'LayerNormalization', Axis, S>
      : [Weighted, S[AxisIndex<Axis, S['length']>]] extends [true, null]
        ? UnknownDimMessage<'LayerNormalization', Axis, S, typeof why>
        : LayerNormalizationShape<S, Rest, Weighted>
  : Ok<[...S], 'float32'>;

/** Whether gamma or beta is made (and so the normalized sizes must be known): `false` unless it can be seen. */
type _Weighted<Center, Scale> = Center extends true ? true : Scale extends true ? true : false;

export interface LayerNormalizationRule<in out Axes extends readonly number[], in out Weighted extends boolean>
  extends Rule {
  readonly output: LayerNormalizationShape<InputOf<this>, Axes, Weighted>;
}

/**
 * tfjs's LayerNormalization cannot train without gamma or without beta (its gradient reads the missing one); such
 * a layer computes with plain ops instead: (x - mean) / sqrt(variance + epsilon), times gamma, plus beta.
 */
function plainNormalization(
  layer: tf.layers.Layer,
  axes: readonly number[],
  epsilon: number,
  { center, scale }: { readonly center: boolean; readonly scale: boolean },
): tf.layers.Layer {
  layer.call = (inputs) =>
    tf.tidy(() => {
      const [x] = Array.isArray(inputs) ? inputs : [inputs];
      if (x === undefined) throw new Error(`kerats: ${layer.name} has no input`);
      const along = axes.map((axis) => (axis < 0 ? x.rank + axis : axis));
      const { mean, variance } = tf.moments(x, along, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
      const broadcast = x.shape.map((size, axis) => (along.includes(axis) ? size : 1));
      const [first, second] = layer.weights.map((weight) => weight.read());
      const gamma = scale ? first : undefined;
      const beta = center ? (scale ? second : first) : undefined;
      if (gamma !== undefined) y = tf.mul(y, tf.reshape(gamma, broadcast));
      if (beta !== undefined) y = tf.add(y, tf.reshape(beta, broadcast));
      return y;
    });
  return layer;
}

/** The untyped implementation, which the typed signature and the loader call. */
function layerNormalizationLayer(options: unknown): Layer<Rule> {
  const opts = optionsObject('LayerNormalization', options);
  const written = opts.axis ?? -1;
  const axes = typeof written === 'number' ? [written] : written;
  if (!Array.isArray(axes) || axes.length === 0 || !axes.every(Number.isInteger))
    fail({
      code: 'option',
      layer: 'LayerNormalization',
      option: 'axis',
      expected: 'an integer or a list of them',
      received: describe(written),
    });
  const axisList: number[] = axes.map(Number);
  const epsilon = opts.epsilon ?? 1e-3;
  if (typeof epsilon !== 'number' || !(epsilon > 0))
    fail({
      code: 'option',
      layer: 'LayerNormalization',
      option: 'epsilon',
      expected: 'a positive number',
      received: describe(epsilon),
    });
  const center = boolean('LayerNormalization', 'center', opts.center ?? true);
  const scale = boolean('LayerNormalization', 'scale', opts.scale ?? true);
  const weighted = weightOptions(
    'LayerNormalization',
    opts,
    ['betaInitializer', 'gammaInitializer'],
    ['betaConstraint', 'gammaConstraint'],
    ['betaRegularizer', 'gammaRegularizer', 'activityRegularizer'],
  );
  const normalized = (shape: readonly Dim[]): number[] =>
    axisList.map((axis) => {
      const index = axisIndex(axis, shape.length);
      if (index === undefined) return fail({ code: 'bad-axis', layer: 'LayerNormalization', axis, received: shape });
      const size = shape[index] ?? null;
      if (size === null && (center || scale))
        return fail({ code: 'unknown-dim', layer: 'LayerNormalization', axis, received: shape, why });
      return size ?? 1;
    });
  return unaryLayer(
    {
      className: 'LayerNormalization',
      ...weighted.spec,
      config: { axis: axisList, epsilon, center, scale, ...weighted.config },
      outputShape({ shape }) {
        normalized(shape);
        return { shape, dtype: 'float32' };
      },
      weights: ({ shape }) => [
        ...(scale ? [{ name: 'gamma', shape: normalized(shape), trainable: true }] : []),
        ...(center ? [{ name: 'beta', shape: normalized(shape), trainable: true }] : []),
      ],
      lower: (name) => {
        const layer = tf.layers.layerNormalization({
          axis: [...axisList],
          epsilon,
          center,
          scale,
          ...weighted.tfjs,
          name,
        });
        return floatInputs(center && scale ? layer : plainNormalization(layer, axisList, epsilon, { center, scale }));
      },
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `LayerNormalization({ axis = -1, epsilon = 1e-3, center = true, scale = true, name })`.
 * @example LayerNormalization()(Input([10, 64])) //=> SymbolicTensor<[10, 64], 'float32', never>
 */
export function LayerNormalization<const Options extends LayerNormalizationOptions = Record<never, never>>(
  options?: Options & NoInfer<WeightOptionsCheck<'LayerNormalization', Options>>,
): Layer<
  LayerNormalizationRule<
    _Axes<Opt<Options, 'axis', -1>>,
    _Weighted<Opt<Options, 'center', true>, Opt<Options, 'scale', true>>
  >
>;
export function LayerNormalization(options?: unknown): Layer<Rule> {
  return layerNormalizationLayer(options);
}

registerLayer('LayerNormalization', (config, name) => layerNormalizationLayer({ ...config, ...named(name) }));
