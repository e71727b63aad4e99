// Dense: a fully connected layer on the last axis. Like Keras, it accepts any rank >= 1 and maps
// [..., features] to [..., units].
import * as tf from '@tensorflow/tfjs';
import { fail, type RankMessage, type UnknownDimMessage } from '../../errors.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { tfjsActivation } from '../activation-functions.ts';
import type { Constraint } from '../constraints.ts';
import type { Initializer } from '../initializers.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import {
  type Activation,
  activations,
  type BaseOptions,
  boolean,
  oneOf,
  optionsObject,
  type PositiveArg,
  positiveInteger,
} from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';

export interface DenseOptions extends BaseOptions {
  /** Default `'linear'`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Default `'glorotUniform'`. */
  readonly kernelInitializer?: Initializer;
  /** Default `'zeros'`. */
  readonly biasInitializer?: Initializer;
  /** Applied after each optimizer update. Default none. */
  readonly kernelConstraint?: Constraint;
  readonly biasConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  /** A penalty on the output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

/**
 * [..., features] => [..., units]; the last axis must be known, since it sizes the kernel.
 * @example DenseShape<[100, 128], 10> //=> Ok<[100, 10], 'float32'>
 */
export type DenseShape<S extends Shape, Units extends number> = S extends readonly [
  ...infer Rest extends Dim[],
  infer Features extends Dim,
]
  ? Features extends number
    ? Ok<[...Rest, Units], 'float32'>
    : UnknownDimMessage<'Dense', -1, S, 'it sizes the kernel'>
  : RankMessage<'Dense', '1 or more', '[..., features]', S, ''>;

export interface DenseRule<in out Units extends number> extends Rule {
  readonly output: DenseShape<InputOf<this>, Units>;
}

/**
 * `Dense(units, { activation, useBias, name })`, Keras's `Dense`.
 * @example Dense(10, { activation: 'relu' })(Input([32])) //=> SymbolicTensor<[10], 'float32', never>
 */
export function Dense<const Units extends number, const Options extends DenseOptions = Record<never, never>>(
  units: PositiveArg<'Dense', 'units', Units>,
  options?: Options & NoInfer<WeightOptionsCheck<'Dense', Options>>,
): Layer<DenseRule<Units>>;
export function Dense(units: unknown, options?: unknown): Layer<Rule> {
  return denseLayer(units, options);
}

/** Dense from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function denseLayer(units: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Dense', options);
  const size = positiveInteger('Dense', 'units', units);
  const activation = oneOf('Dense', 'activation', opts.activation ?? 'linear', activations);
  const useBias = boolean('Dense', 'useBias', opts.useBias ?? true);
  const weighted = weightOptions(
    'Dense',
    opts,
    ['kernelInitializer', 'biasInitializer'],
    ['kernelConstraint', 'biasConstraint'],
    ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'],
  );
  return unaryLayer(
    {
      className: 'Dense',
      config: { units: size, activation, useBias, ...weighted.config },
      ...weighted.spec,
      outputShape({ shape }) {
        const features = shape.at(-1);
        if (shape.length === 0)
          fail({
            code: 'rank',
            layer: 'Dense',
            expected: '1 or more',
            form: '[..., features]',
            received: shape,
            hint: '',
          });
        if (features === null || features === undefined)
          fail({ code: 'unknown-dim', layer: 'Dense', axis: -1, received: shape, why: 'it sizes the kernel' });
        return { shape: [...shape.slice(0, -1), size], dtype: 'float32' };
      },
      weights({ shape }) {
        const features = shape.at(-1) ?? 0;
        return [
          { name: 'kernel', shape: [features, size], trainable: true },
          ...(useBias ? [{ name: 'bias', shape: [size], trainable: true }] : []),
        ];
      },
      flops: ({ shape }) =>
        2 * (shape.at(-1) ?? 0) * size * shape.slice(0, -1).reduce((product: number, dim) => product * (dim ?? 1), 1),
      lower: (name) =>
        tf.layers.dense({ units: size, activation: tfjsActivation(activation), useBias, ...weighted.tfjs, name }),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Dense', (config, name) => denseLayer(config.units, { ...config, ...named(name) }));
