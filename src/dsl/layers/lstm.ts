// LSTM: long short-term memory over [steps, features]; four gates.
import * as tf from '@tensorflow/tfjs';
import type { PositiveArg } from '../options.ts';
import {
  type RecurrentLayer,
  type RecurrentOptions,
  type RecurrentRule,
  type ReturnedStates,
  recurrentLayer,
  type Sequences,
} from '../recurrent.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `LSTM(units, { returnSequences, activation, useBias, goBackwards, dropout, recurrentDropout, name })`.
 * @example LSTM(64)(Input([100, 128])) //=> SymbolicTensor<[64], 'float32', never>
 * @example LSTM(64, { returnSequences: true })(Input([100, 128])) //=> SymbolicTensor<[100, 64], 'float32', never>
 */
export function LSTM<const Units extends number, const Options extends RecurrentOptions = Record<never, never>>(
  units: PositiveArg<'LSTM', 'units', Units>,
  options?: Options,
): RecurrentLayer<RecurrentRule<'LSTM', Units, Sequences<Options>, ReturnedStates<Options, 2>, 2>> {
  return recurrentLayer('LSTM', 4, 2, units, options, (config) => tf.layers.lstm(config));
}

registerLayer('LSTM', (config, name) =>
  recurrentLayer('LSTM', 4, 2, config.units, { ...config, ...named(name) }, (settings) => tf.layers.lstm(settings)),
);
