// Flatten: every axis after the batch into one, e.g. [7, 7, 64] => [3136]. Exact for every size up to 2^53.
// As in Keras 3 (keras/src/layers/reshaping/flatten.py), a rank-1 input passes through and a rank-0 one becomes
// [1]; tfjs-layers refuses both, so those calls lower to a twin of kerats' own.
import * as tf from '@tensorflow/tfjs';
import { fail, type OverflowMessage, type UnknownDimMessage } from '../../errors.ts';
import type { Overflow, Product } from '../../shapes/arithmetic.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { type DTypeOf, type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { DType } from '../tensor.ts';
import { defineTwin } from '../twin.ts';

/**
 * [d1, ..., dn] => [d1 * ... * dn] for n >= 2, where every axis must be known; [d] stays; [] becomes [1].
 * @example FlattenShape<[224, 224, 64], 'float32'> //=> Ok<[3211264], 'float32'>
 */
export type FlattenShape<S extends Shape, D extends DType> = S extends readonly []
  ? Ok<[1], D>
  : S extends readonly [infer Only extends Dim]
    ? Ok<[Only], D>
    : _FirstUnknown<S> extends infer Axis extends number
      ? UnknownDimMessage<'Flatten', Axis, S, 'Flatten needs every size'>
      : Product<{ [Axis in keyof S]: Extract<S[Axis], number> }> extends infer Size
        ? Size extends Overflow
          ? OverflowMessage<'Flatten', S>
          : Size extends number
            ? Ok<[Size], D>
            : never
        : never;

/** The Keras axis (1-based) of the first unknown dimension, or 'none'. */
type _FirstUnknown<S extends Shape, Seen extends unknown[] = [unknown]> = S extends readonly [
  infer Head extends Dim,
  ...infer Rest extends Shape,
]
  ? Head extends null
    ? Seen['length']
    : _FirstUnknown<Rest, [...Seen, unknown]>
  : 'none';

/** Keras's Flatten at any rank: [batch, ...] => [batch, product], [batch] => [batch, 1]. */
const flat = defineTwin('flatten', {
  outputShape: ([batch = null, ...rest]) => [
    batch,
    rest.reduce<number | null>((product, dim) => (product === null || dim === null ? null : product * dim), 1),
  ],
  call: (input) => tf.reshape(input, [input.shape[0] ?? -1, -1]),
});

export interface FlattenRule extends Rule {
  readonly output: FlattenShape<InputOf<this>, DTypeOf<this>>;
}

/**
 * `Flatten({ name })`.
 * @example Flatten()(Input([6, 6, 32])) //=> SymbolicTensor<[1152], 'float32', never>
 */
export function Flatten(options?: BaseOptions): Layer<FlattenRule> {
  const opts = optionsObject('Flatten', options);
  return unaryLayer(
    {
      className: 'Flatten',
      config: {},
      outputShape({ shape, dtype }) {
        if (shape.length < 2) return { shape: shape.length === 0 ? [1] : shape, dtype };
        let size = 1;
        for (const [index, dim] of shape.entries()) {
          if (dim === null)
            fail({
              code: 'unknown-dim',
              layer: 'Flatten',
              axis: index + 1,
              received: shape,
              why: 'Flatten needs every size',
            });
          size *= dim;
        }
        if (!Number.isSafeInteger(size)) fail({ code: 'overflow', layer: 'Flatten', received: shape });
        return { shape: [size], dtype };
      },
      weights: () => [],
      lower: (name, calls) =>
        calls.some(({ shape }) => shape.length < 2) ? flat(name, {}) : tf.layers.flatten({ name }),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Flatten', (_config, name) => Flatten(named(name)));
