// What LSTM, GRU and SimpleRNN share: the [steps, features] shape rule, their options, and the weights, which
// differ only in the number of gates. Each recurrent layer's file supplies its gate count and tfjs lowering.
import type * as tf from '@tensorflow/tfjs';
import { fail, type RankMessage, type UnknownDimMessage } from '../errors.ts';
import type { Dim, Shape } from '../shapes/dim.ts';
import { type InputOf, type Layer, type Ok, type Rule, unaryLayer } from './layer.ts';
import {
  type Activation,
  activations,
  type BaseOptions,
  boolean,
  oneOf,
  optionsObject,
  positiveInteger,
} from './options.ts';

export interface RecurrentOptions extends BaseOptions {
  /** Return the output of every step ([steps, units]) rather than the last ([units]). Default `false`. */
  readonly returnSequences?: boolean;
  /** Default `'tanh'`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** Process the sequence in reverse. Default `false`. */
  readonly goBackwards?: boolean;
  /** Fraction of the inputs to drop, in [0, 1). Default 0. */
  readonly dropout?: number;
  /** Fraction of the recurrent state to drop, in [0, 1). Default 0. */
  readonly recurrentDropout?: number;
}

type _Hint<S extends Shape> = S['length'] extends 1
  ? 'Reshape to [steps, 1] first, or an Embedding for token ids?'
  : 'Reshape to [steps, features] first, or TimeDistributed?';

/**
 * [steps, features] => [units], or [steps, units] with returnSequences.
 * @example RecurrentShape<'LSTM', [100, 128], 64, false> //=> Ok<[64], 'float32'>
 */
export type RecurrentShape<
  Layer extends string,
  S extends Shape,
  Units extends number,
  Sequences extends boolean,
> = S extends readonly [infer Steps extends Dim, infer Features extends Dim]
  ? Features extends null
    ? UnknownDimMessage<Layer, -1, S, 'it sizes the kernel'>
    : Ok<Sequences extends true ? [Steps, Units] : [Units], 'float32'>
  : RankMessage<Layer, '2', '[steps, features]', S, _Hint<S>>;

/** The rule of a recurrent layer; Bidirectional accepts layers with this rule only. */
export interface RecurrentRule<Layer extends string, Units extends number, Sequences extends boolean> extends Rule {
  readonly recurrent: Layer;
  readonly output: RecurrentShape<Layer, InputOf<this>, Units, Sequences>;
}

/** `returnSequences` as a type: `false` unless the options literal says `true`. */
export type Sequences<Options> = Options extends { readonly returnSequences: true } ? true : false;

export interface RecurrentConfig {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly goBackwards: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly name: string;
}

function fraction(layer: string, option: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value < 1) return value;
  return fail({ code: 'option', layer, option, expected: 'a number in [0, 1)', received: String(value) });
}

/** The value level of a recurrent layer with `gates` gates (LSTM 4, GRU 3, SimpleRNN 1). */
export function recurrentLayer<R extends Rule>(
  className: string,
  gates: number,
  units: unknown,
  options: unknown,
  lower: (config: RecurrentConfig) => tf.layers.Layer,
): Layer<R> {
  const opts = optionsObject(className, options);
  const size = positiveInteger(className, 'units', units);
  const returnSequences = boolean(className, 'returnSequences', opts.returnSequences ?? false);
  const activation = oneOf(className, 'activation', opts.activation ?? 'tanh', activations);
  const useBias = boolean(className, 'useBias', opts.useBias ?? true);
  const goBackwards = boolean(className, 'goBackwards', opts.goBackwards ?? false);
  const dropout = fraction(className, 'dropout', opts.dropout ?? 0);
  const recurrentDropout = fraction(className, 'recurrentDropout', opts.recurrentDropout ?? 0);
  const config = { units: size, returnSequences, activation, useBias, goBackwards, dropout, recurrentDropout };
  return unaryLayer(
    {
      className,
      config,
      recurrent: true,
      outputShape({ shape }) {
        const [steps, features] = shape;
        if (shape.length !== 2 || steps === undefined || features === undefined)
          fail({
            code: 'rank',
            layer: className,
            expected: '2',
            form: '[steps, features]',
            received: shape,
            hint:
              shape.length === 1
                ? 'Reshape to [steps, 1] first, or an Embedding for token ids?'
                : 'Reshape to [steps, features] first, or TimeDistributed?',
          });
        if (features === null)
          fail({ code: 'unknown-dim', layer: className, axis: -1, received: shape, why: 'it sizes the kernel' });
        return { shape: returnSequences ? [steps, size] : [size], dtype: 'float32' };
      },
      weights: ({ shape }) => [
        { name: 'kernel', shape: [shape[1] ?? 0, gates * size], trainable: true },
        { name: 'recurrent_kernel', shape: [size, gates * size], trainable: true },
        ...(useBias ? [{ name: 'bias', shape: [gates * size], trainable: true }] : []),
      ],
      flops: ({ shape }) => 2 * gates * size * ((shape[1] ?? 0) + size) * (shape[0] ?? 1),
      lower: (name) => lower({ ...config, name }),
    },
    opts.name,
  );
}
