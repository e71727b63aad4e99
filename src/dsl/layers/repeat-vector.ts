// RepeatVector: the input repeated n times, [features] => [n, features]. Keras 3:
// keras/src/layers/reshaping/repeat_vector.py (compute_output_shape; no weights).
import * as tf from '@tensorflow/tfjs';
import { fail, type RankMessage } from '../../errors.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { type DTypeOf, type InputOf, type Layer, type Ok, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject, type PositiveArg, positiveInteger } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { DType } from '../tensor.ts';

const hint = 'Flatten first?';

/**
 * [features] => [n, features].
 * @example RepeatVectorShape<[32], 10, 'float32'> //=> Ok<[10, 32], 'float32'>
 */
export type RepeatVectorShape<S extends Shape, N extends number, D extends DType> = S extends readonly [
  infer Features extends Dim,
]
  ? Ok<[N, Features], D>
  : RankMessage<'RepeatVector', '1', '[features]', S, typeof hint>;

export interface RepeatVectorRule<in out N extends number> extends Rule {
  readonly output: RepeatVectorShape<InputOf<this>, N, DTypeOf<this>>;
}

/** The untyped implementation, which the typed signature and the loader call. */
function repeatVectorLayer(n: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('RepeatVector', options);
  const times = positiveInteger('RepeatVector', 'n', n);
  return unaryLayer(
    {
      className: 'RepeatVector',
      config: { n: times },
      outputShape({ shape, dtype }) {
        if (shape.length !== 1)
          fail({ code: 'rank', layer: 'RepeatVector', expected: '1', form: '[features]', received: shape, hint });
        return { shape: [times, shape[0] ?? null], dtype };
      },
      weights: () => [],
      lower: (name) => tf.layers.repeatVector({ n: times, name }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `RepeatVector(n, { name })`.
 * @example RepeatVector(10)(Input([32])) //=> SymbolicTensor<[10, 32], 'float32', never>
 */
export function RepeatVector<const N extends number>(
  n: PositiveArg<'RepeatVector', 'n', N>,
  options?: BaseOptions,
): Layer<RepeatVectorRule<N>>;
export function RepeatVector(n: unknown, options?: unknown): Layer<Rule> {
  return repeatVectorLayer(n, options);
}

registerLayer('RepeatVector', (config, name) => repeatVectorLayer(config.n, named(name)));
