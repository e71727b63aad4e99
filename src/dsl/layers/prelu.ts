// PReLU: x above 0, alpha * x below, with a learned alpha per element (or shared along `sharedAxes`); the shape is
// unchanged, the result float32. Keras 3: keras/src/layers/activations/prelu.py (build: alpha has the input's
// shape after the batch, with 1 on each shared axis; alpha starts at zeros).
import * as tf from '@tensorflow/tfjs';
import { type BadAxisMessage, describe, fail, type UnknownDimMessage } from '../../errors.ts';
import type { Compare } from '../../shapes/arithmetic.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import type { Constraint } from '../constraints.ts';
import { floatInputs } from '../float-inputs.ts';
import type { Initializer } from '../initializers.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, type Opt, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { Regularizer } from '../regularizers.ts';
import { type WeightOptionsCheck, weightOptions } from '../weight-options.ts';

export interface PReLUOptions extends BaseOptions {
  /** Axes (1-based, after the batch) that share one alpha, e.g. [1, 2] for one alpha per channel of an image. */
  readonly sharedAxes?: number | readonly number[];
  /** Default `'zeros'`. */
  readonly alphaInitializer?: Initializer;
  /** Applied after each optimizer update, as in Keras. Default none. */
  readonly alphaConstraint?: Constraint;
  /** Its penalty is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly alphaRegularizer?: Regularizer;
  /** A penalty on each output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

const why = 'it sizes alpha; or share the axis with sharedAxes';

type _SharedList<Axes> = Axes extends number ? [Axes] : Axes extends readonly number[] ? Axes : [];

/** The first shared axis past the input's rank, or `never`. */
type _BadShared<S extends Shape, Shared extends readonly number[]> = Shared extends readonly [
  infer Axis extends number,
  ...infer Rest extends readonly number[],
]
  ? number extends Axis
    ? _BadShared<S, Rest>
    : Compare<Axis, S['length']> extends 'gt'
      ? Axis
      : _BadShared<S, Rest>
  : never;

/**
 * The input's shape, where every axis alpha spans is known.
 * @example PReLUShape<[null, 8], 1> //=> Ok<[null, 8], 'float32'>
 */
export type PReLUShape<
  S extends Shape,
  Shared extends number,
  Rest extends Shape = S,
  Seen extends unknown[] = [unknown],
> = Rest extends readonly [infer Head extends Dim, ...infer Tail extends Shape]
  ? Head extends null
    ? number extends Shared
      ? PReLUShape<S, Shared, Tail, [...Seen, unknown]>
      : Seen['length'] extends Shared
        ? PReLUShape<S, Shared, Tail, [...Seen, unknown]>
        : UnknownDimMessage<'PReLU', Seen['length'], S, typeof why>
    : PReLUShape<S, Shared, Tail, [...Seen, unknown]>
  : Ok<[...S], 'float32'>;

export interface PReLURule<in out Shared extends readonly number[]> extends Rule {
  readonly output: [_BadShared<InputOf<this>, Shared>] extends [never]
    ? PReLUShape<InputOf<this>, Shared[number]>
    : BadAxisMessage<'PReLU', _BadShared<InputOf<this>, Shared>, InputOf<this>>;
}

/** The untyped implementation, which the typed signature and the loader call. */
function preluLayer(options: unknown): Layer<Rule> {
  const opts = optionsObject('PReLU', options);
  const written = opts.sharedAxes ?? [];
  const sharedAxes = typeof written === 'number' ? [written] : written;
  if (!Array.isArray(sharedAxes) || !sharedAxes.every((axis) => Number.isInteger(axis) && axis >= 1))
    fail({
      code: 'option',
      layer: 'PReLU',
      option: 'sharedAxes',
      expected: 'axes from 1 up',
      received: describe(written),
    });
  const shared: number[] = sharedAxes.map(Number);
  const weighted = weightOptions(
    'PReLU',
    opts,
    ['alphaInitializer'],
    ['alphaConstraint'],
    ['alphaRegularizer', 'activityRegularizer'],
  );
  const alphaShape = (shape: readonly Dim[]): Dim[] =>
    shape.map((dim, index) => (shared.includes(index + 1) ? 1 : dim));
  return unaryLayer(
    {
      className: 'PReLU',
      ...weighted.spec,
      config: { sharedAxes: shared, ...weighted.config },
      outputShape({ shape }) {
        for (const axis of shared)
          if (axis > shape.length) fail({ code: 'bad-axis', layer: 'PReLU', axis, received: shape });
        const unknown = alphaShape(shape).indexOf(null);
        if (unknown >= 0) fail({ code: 'unknown-dim', layer: 'PReLU', axis: unknown + 1, received: shape, why });
        return { shape, dtype: 'float32' };
      },
      weights: ({ shape }) => [{ name: 'alpha', shape: alphaShape(shape).map((dim) => dim ?? 1), trainable: true }],
      lower: (name) =>
        floatInputs(
          tf.layers.prelu({ ...(shared.length === 0 ? {} : { sharedAxes: [...shared] }), ...weighted.tfjs, name }),
        ),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `PReLU({ sharedAxes, name })`.
 * @example PReLU({ sharedAxes: [1, 2] })(Input([null, null, 16])) //=> SymbolicTensor<[null, null, 16], 'float32', never>
 */
export function PReLU<const Options extends PReLUOptions = Record<never, never>>(
  options?: Options & NoInfer<WeightOptionsCheck<'PReLU', Options>>,
): Layer<PReLURule<_SharedList<Opt<Options, 'sharedAxes', []>>>>;
export function PReLU(options?: unknown): Layer<Rule> {
  return preluLayer(options);
}

registerLayer('PReLU', (config, name) => preluLayer({ ...config, ...named(name) }));
