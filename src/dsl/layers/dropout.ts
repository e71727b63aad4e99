// Dropout: zeroes a fraction `rate` of the values while training (and scales the rest); the shape is unchanged,
// the result float32 (int32 is cast first: the scaled values are fractions).
import * as tf from '@tensorflow/tfjs';
import { fail, type OptionMessage } from '../../errors.ts';
import { floatInputs } from '../float-inputs.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/** The rate where it is (or may be) in [0, 1); the message where it can be seen not to be. */
export type RateArg<Rate extends number> = number extends Rate
  ? Rate
  : `${Rate}` extends '0' | `0.${string}`
    ? Rate
    : OptionMessage<'Dropout', 'rate', 'a number in [0, 1)', Rate>;

export interface DropoutRule extends Rule {
  readonly output: Ok<InputOf<this>, 'float32'>;
}

/**
 * `Dropout(rate, { name })`, rate in [0, 1).
 * @example Dropout(0.5)(Input([128])) //=> SymbolicTensor<[128], 'float32', never>
 */
export function Dropout<const Rate extends number>(rate: RateArg<Rate>, options?: BaseOptions): Layer<DropoutRule>;
export function Dropout(rate: unknown, options?: unknown): Layer<Rule> {
  return dropoutLayer(rate, options);
}

/** Dropout from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function dropoutLayer(rate: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('Dropout', options);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1))
    fail({ code: 'option', layer: 'Dropout', option: 'rate', expected: 'a number in [0, 1)', received: String(rate) });
  return unaryLayer(
    {
      className: 'Dropout',
      config: { rate },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      lower: (name) => floatInputs(tf.layers.dropout({ rate, name })),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('Dropout', (config, name) => dropoutLayer(config.rate, named(name)));
