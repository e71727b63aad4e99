// Two layers written by a user with kerats' public layer API, as docs/custom-layers.md shows them beside Keras:
// the functional API guide's CustomDense and the VAE's Sampling layer (keras.io/examples/generative/vae).
import * as tf from '@tensorflow/tfjs';
import {
  type BaseOptions,
  defineLayer,
  defineMergeLayer,
  type InputOf,
  type InputsOf,
  KeratsError,
  type Layer,
  type MergeLayer,
  type MergeRule,
  type Ok,
  positiveInteger,
  type RankMessage,
  type Rule,
  type Shape,
  type SymbolicTensor,
  type UnknownDimMessage,
} from 'kerats';

/** [features] => [units]; the features size the kernel, so they must be known. */
export type CustomDenseShape<S extends Shape, Units extends number> = S extends readonly [infer Features]
  ? Features extends number
    ? Ok<[Units], 'float32'>
    : UnknownDimMessage<'CustomDense', -1, S, 'it sizes the kernel'>
  : RankMessage<'CustomDense', '1', '[features]', S, ''>;

export interface CustomDenseRule<Units extends number> extends Rule {
  readonly output: CustomDenseShape<InputOf<this>, Units>;
}

export const CustomDense = defineLayer(
  {
    className: 'CustomDense',
    config: ({ units = 32 }) => ({ units: positiveInteger('CustomDense', 'units', units) }),
    outputShape({ shape }, { units }) {
      const [features] = shape;
      if (shape.length !== 1)
        throw new KeratsError({
          code: 'rank',
          layer: 'CustomDense',
          expected: '1',
          form: '[features]',
          received: shape,
          hint: '',
        });
      if (features === null || features === undefined)
        throw new KeratsError({
          code: 'unknown-dim',
          layer: 'CustomDense',
          axis: -1,
          received: shape,
          why: 'it sizes the kernel',
        });
      return { shape: [units], dtype: 'float32' };
    },
    weights: ({ shape }, { units }) => [
      { name: 'w', shape: [shape[0] ?? 0, units], initializer: 'randomNormal' },
      { name: 'b', shape: [units], initializer: 'randomNormal' },
    ],
    call: (inputs, { w, b }) => tf.add(tf.matMul(inputs, w), b),
  },
  // The factory users call: `CustomDense(units = 32, { name })`. Its return type is the type-level rule.
  (create) =>
    function CustomDense<const Units extends number = 32>(
      units?: Units,
      options?: BaseOptions,
    ): Layer<CustomDenseRule<Units>> {
      return create({ ...options, units });
    },
);

/** [zMean, zLogVar], both [latent] => [latent]. */
export type SamplingShape<Inputs> = Inputs extends readonly [
  SymbolicTensor<infer Mean extends Shape, 'float32', string>,
  SymbolicTensor<infer LogVar extends Shape, 'float32', string>,
]
  ? [Mean] extends [LogVar]
    ? Ok<[...Mean], 'float32'>
    : 'Sampling: zMean and zLogVar must have the same shape'
  : 'Sampling: expects [zMean, zLogVar], two float32 tensors';

export interface SamplingRule extends MergeRule {
  readonly layer: 'Sampling';
  readonly output: SamplingShape<InputsOf<this>>;
}

/** Uses (zMean, zLogVar) to sample z, the vector encoding a digit: z = zMean + exp(zLogVar / 2) * epsilon. */
export const Sampling = defineMergeLayer(
  {
    className: 'Sampling',
    config: () => ({}),
    outputShape(inputs) {
      const [mean, logVar] = inputs;
      if (mean === undefined || logVar === undefined || inputs.length !== 2)
        throw new KeratsError({
          code: 'input-count',
          layer: 'Sampling',
          expected: 'exactly 2',
          received: inputs.length,
        });
      if (mean.shape.join() !== logVar.shape.join())
        throw new KeratsError({
          code: 'axis-mismatch',
          layer: 'Sampling',
          axis: 1,
          shapes: [mean.shape, logVar.shape],
          note: 'zMean and zLogVar must have the same shape',
        });
      return mean;
    },
    call([zMean, zLogVar]) {
      if (zMean === undefined || zLogVar === undefined) throw new Error('Sampling: expects [zMean, zLogVar]');
      const epsilon = tf.randomNormal(zMean.shape);
      return tf.add(zMean, tf.mul(tf.exp(tf.mul(0.5, zLogVar)), epsilon));
    },
  },
  // `Sampling({ name })([zMean, zLogVar])`.
  (create) =>
    function Sampling(options?: BaseOptions): MergeLayer<SamplingRule> {
      return create(options);
    },
);
