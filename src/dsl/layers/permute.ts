// Permute: the axes after the batch reordered, e.g. dims [2, 1] turns [steps, features] into [features, steps].
// Keras 3: keras/src/layers/reshaping/permute.py (dims must be a permutation of 1..n; no weights).
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage, type RankMessage } from '../../errors.ts';
import type { Compare, Sub } from '../../shapes/arithmetic.ts';
import type { Dim, IsPositiveInteger, Shape } from '../../shapes/dim.ts';
import { type DTypeOf, type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { DType } from '../tensor.ts';

type _Written<Dims extends readonly number[]> = Dims extends readonly [
  infer Head extends number,
  ...infer Rest extends readonly number[],
]
  ? Rest extends readonly []
    ? `${Head}`
    : `${Head}, ${_Written<Rest>}`
  : '';

/** `true` unless the literals can be seen not to be a permutation of 1..n (n = their count). */
type _MaybePermutation<
  Dims extends readonly number[],
  Count extends number,
  Rest extends readonly number[] = Dims,
  Seen extends number = never,
> = Rest extends readonly [infer Head extends number, ...infer Tail extends readonly number[]]
  ? number extends Head
    ? _MaybePermutation<Dims, Count, Tail, Seen>
    : IsPositiveInteger<Head> extends false
      ? false
      : [Head] extends [Seen]
        ? false
        : Compare<Head, Count> extends 'gt'
          ? false
          : _MaybePermutation<Dims, Count, Tail, Seen | Head>
  : true;

const expected = (count: number) => `a permutation of 1..${count} (axis 0 is the batch)`;

/** Intersected with `dims`: `unknown` when good, the message where it can be seen not to be a permutation. */
export type PermuteCheck<Dims extends readonly number[]> = number extends Dims['length']
  ? unknown
  : _MaybePermutation<Dims, Dims['length']> extends true
    ? unknown
    : {
        readonly error: OptionMessage<
          'Permute',
          'dims',
          `a permutation of 1..${Dims['length']} (axis 0 is the batch)`,
          `[${_Written<Dims>}]`
        >;
      };

type _Axis<S extends Shape, Axis> = Axis extends number
  ? number extends Axis
    ? S[number]
    : Sub<Axis, 1> extends infer Index extends number
      ? S[Index]
      : never
  : never;

/**
 * The input's axes in the order `Dims` names them (1-based, as Keras counts them after the batch).
 * @example PermuteShape<[10, 64], [2, 1], 'float32'> //=> Ok<[64, 10], 'float32'>
 */
export type PermuteShape<
  S extends Shape,
  Dims extends readonly number[],
  D extends DType,
> = number extends Dims['length']
  ? Ok<Dim[], D>
  : _MaybePermutation<Dims, Dims['length']> extends false
    ? Ok<Dim[], D> // the dims have an error of their own
    : S['length'] extends Dims['length']
      ? Ok<{ -readonly [Index in keyof Dims]: _Axis<S, Dims[Index]> }, D>
      : RankMessage<'Permute', `${Dims['length']}`, `(dims [${_Written<Dims>}])`, S, ''>;

export interface PermuteRule<in out Dims extends readonly number[]> extends Rule {
  readonly output: PermuteShape<InputOf<this>, Dims, DTypeOf<this>>;
}

/** The untyped implementation, which the typed signature and the loader call. */
function permuteLayer(dims: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Permute', options);
  const count = Array.isArray(dims) ? dims.length : 0;
  const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => Number(a) - Number(b)) : [];
  if (!Array.isArray(dims) || sorted.some((axis, index) => axis !== index + 1))
    fail({
      code: 'option',
      layer: 'Permute',
      option: 'dims',
      expected: expected(count),
      received: describe(dims),
    });
  const order = dims.map(Number);
  return unaryLayer(
    {
      className: 'Permute',
      config: { dims: order },
      outputShape({ shape, dtype }) {
        if (shape.length !== order.length)
          fail({
            code: 'rank',
            layer: 'Permute',
            expected: `${order.length}`,
            form: `(dims ${describe(order)})`,
            received: shape,
            hint: '',
          });
        return { shape: order.map((axis) => shape[axis - 1] ?? null), dtype };
      },
      weights: () => [],
      lower: (name) => tf.layers.permute({ dims: [...order], name }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `Permute(dims, { name })`: `dims` is a permutation of 1..rank (axis 0, the batch, stays first).
 * @example Permute([2, 1])(Input([10, 64])) //=> SymbolicTensor<[64, 10], 'float32', never>
 */
export function Permute<const Dims extends readonly number[]>(
  dims: Dims & PermuteCheck<Dims>,
  options?: BaseOptions,
): Layer<PermuteRule<Dims>>;
export function Permute(dims: unknown, options?: unknown): Layer<Rule> {
  return permuteLayer(dims, options);
}

registerLayer('Permute', (config, name) => permuteLayer(config.dims, named(name)));
