// Reshape: the same elements in a new shape; one axis may be -1, inferred from the element count.
import * as tf from '@tensorflow/tfjs';
import { describe, type ElementCountMessage, fail, type OptionMessage } from '../../errors.ts';
import type { FloorDiv, Mod, Overflow, Product } from '../../shapes/arithmetic.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { isPositiveInteger } from '../../shapes/dim.ts';
import { type DTypeOf, type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { DType } from '../tensor.ts';

type _Known<S extends Shape> = { [Axis in keyof S]: Extract<S[Axis], number> };
type _KnownSizes<S extends Shape> = S extends readonly [infer Head extends Dim, ...infer Rest extends Shape]
  ? Head extends number
    ? [Head, ..._KnownSizes<Rest>]
    : _KnownSizes<Rest>
  : [];
type _WithoutWildcard<Target extends readonly number[]> = Target extends readonly [
  infer Head extends number,
  ...infer Rest extends readonly number[],
]
  ? Head extends -1
    ? _WithoutWildcard<Rest>
    : [Head, ..._WithoutWildcard<Rest>]
  : [];
type _Fill<Target extends readonly number[], Value extends Dim> = {
  -readonly [Axis in keyof Target]: Target[Axis] extends -1 ? Value : Target[Axis];
};

/**
 * The target shape, with -1 replaced by what the element count implies; the message when the counts differ.
 * @example ReshapeShape<[4, 6], [-1, 3], 'float32'> //=> Ok<[8, 3], 'float32'>
 */
export type ReshapeShape<S extends Shape, Target extends readonly number[], D extends DType> = null extends S[number]
  ? _UnknownCount<S, Target, D>
  : [Product<_Known<S>>, Product<_WithoutWildcard<Target>>] extends [
        infer Count extends number,
        infer TargetCount extends number,
      ]
    ? number extends Count | TargetCount
      ? Ok<_Fill<Target, number>, D> // a size the compiler cannot see: the count is checked when the model is built
      : -1 extends Target[number]
        ? Mod<Count, TargetCount> extends 0
          ? Ok<_Fill<Target, Extract<FloorDiv<Count, TargetCount>, number>>, D>
          : ElementCountMessage<'Reshape', S, Target, Count, `a multiple of ${TargetCount}`>
        : Count extends TargetCount
          ? Ok<[...Target], D>
          : ElementCountMessage<'Reshape', S, Target, Count, `${TargetCount}`>
    : [Product<_Known<S>>] extends [Overflow]
      ? Ok<_Fill<Target, null>, D>
      : never;

/**
 * An input with unknown sizes has a multiple of its known sizes' product as element count: a target without -1
 * whose count is not such a multiple can never fit, whatever the data.
 */
type _UnknownCount<S extends Shape, Target extends readonly number[], D extends DType> = -1 extends Target[number]
  ? Ok<_Fill<Target, null>, D>
  : [Product<_KnownSizes<S>>, Product<Target>] extends [infer Known extends number, infer TargetCount extends number]
    ? number extends Known | TargetCount
      ? Ok<[...Target], D>
      : Mod<TargetCount, Known> extends 0
        ? Ok<[...Target], D>
        : ElementCountMessage<'Reshape', S, Target, `a multiple of ${Known}`, `${TargetCount}`>
    : Ok<[...Target], D>;

/** `unknown` for positive integers with at most one -1; the message otherwise. */
export type ReshapeTargetCheck<Target extends readonly number[]> = number extends Target['length']
  ? unknown
  : _BadTarget<Target> extends 'ok'
    ? unknown
    : {
        readonly error: OptionMessage<
          'Reshape',
          'targetShape',
          'positive integers and at most one -1',
          _BadTarget<Target>
        >;
      };

type _BadTarget<Target extends readonly number[], Wildcards extends unknown[] = []> = Target extends readonly [
  infer Head extends number,
  ...infer Rest extends readonly number[],
]
  ? Head extends -1
    ? Wildcards extends []
      ? _BadTarget<Rest, [unknown]>
      : 'two -1 axes'
    : number extends Head
      ? _BadTarget<Rest, Wildcards>
      : `${Head}` extends `-${string}` | '0'
        ? `${Head}`
        : `${Head}` extends `${bigint}`
          ? _BadTarget<Rest, Wildcards>
          : `${Head}`
  : 'ok';

export interface ReshapeRule<in out Target extends readonly number[]> extends Rule {
  readonly output: ReshapeShape<InputOf<this>, Target, DTypeOf<this>>;
}

/**
 * `Reshape(targetShape, { name })`.
 * @example Reshape([-1, 3])(Input([4, 6])) //=> SymbolicTensor<[8, 3], 'float32', never>
 */
export function Reshape<const Target extends readonly number[]>(
  targetShape: Target & ReshapeTargetCheck<Target>,
  options?: BaseOptions,
): Layer<ReshapeRule<Target>>;
export function Reshape(targetShape: unknown, options?: unknown): Layer<Rule> {
  return reshapeLayer(targetShape, options);
}

/** Reshape from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function reshapeLayer(targetShape: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Reshape', options);
  const target: readonly unknown[] = Array.isArray(targetShape) ? targetShape : [];
  const dims = target.filter((dim) => dim === -1 || isPositiveInteger(dim));
  if (!Array.isArray(targetShape) || dims.length !== target.length || dims.filter((dim) => dim === -1).length > 1)
    fail({
      code: 'option',
      layer: 'Reshape',
      option: 'targetShape',
      expected: 'positive integers and at most one -1',
      received: describe(targetShape),
    });
  const knownCount = dims.reduce((product: number, dim) => (dim === -1 ? product : product * dim), 1);
  return unaryLayer(
    {
      className: 'Reshape',
      config: { targetShape: dims },
      outputShape({ shape, dtype }) {
        if (shape.includes(null)) {
          // The element count is a multiple of the known sizes' product: a target without -1 must be one.
          const known = elements(shape);
          if (!dims.includes(-1) && knownCount % known !== 0)
            fail({
              code: 'element-count',
              layer: 'Reshape',
              from: shape,
              to: dims,
              fromCount: `a multiple of ${known}`,
              toCount: `${knownCount}`,
            });
          return { shape: dims.map((dim) => (dim === -1 ? null : dim)), dtype };
        }
        const count = elements(shape);
        if (dims.includes(-1)) {
          if (count % knownCount !== 0)
            fail({
              code: 'element-count',
              layer: 'Reshape',
              from: shape,
              to: dims,
              fromCount: count,
              toCount: `a multiple of ${knownCount}`,
            });
          return { shape: dims.map((dim) => (dim === -1 ? count / knownCount : dim)), dtype };
        }
        if (count !== knownCount)
          fail({
            code: 'element-count',
            layer: 'Reshape',
            from: shape,
            to: dims,
            fromCount: count,
            toCount: `${knownCount}`,
          });
        return { shape: dims, dtype };
      },
      weights: () => [],
      // tfjs leaves -1 unknown until it runs (and cannot build a Dense or Flatten after it), so -1 is lowered as
      // the size the calls imply; a shared Reshape called at different element counts keeps -1.
      lower(name, calls) {
        const sizes = new Set(calls.map(({ shape }) => (shape.includes(null) ? null : elements(shape) / knownCount)));
        const [size] = sizes;
        const resolved = sizes.size === 1 && size !== undefined && size !== null ? size : -1;
        return tf.layers.reshape({ targetShape: dims.map((dim) => (dim === -1 ? resolved : dim)), name });
      },
    },
    opts.name,
    opts.trainable,
  );
}

function elements(shape: readonly Dim[]): number {
  return shape.reduce((product: number, dim) => product * (dim ?? 1), 1);
}

registerLayer('Reshape', (config, name) => reshapeLayer(config.targetShape, named(name)));
