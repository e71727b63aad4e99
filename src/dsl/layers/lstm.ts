// LSTM: long short-term memory over [steps, features]; four gates.
import * as tf from '@tensorflow/tfjs';
import { tfjsActivation } from '../activation-functions.ts';
import { activations, boolean, oneOf, optionsObject, type PositiveArg } from '../options.ts';
import {
  type RecurrentLayer,
  type RecurrentOptions,
  type RecurrentRule,
  type ReturnedStates,
  recurrentLayer,
  refuseOptions,
  type Sequences,
} from '../recurrent.ts';
import { named, registerLayer } from '../registry.ts';
import type { WeightOptionsCheck } from '../weight-options.ts';

/**
 * `LSTM(units, { returnSequences, activation, recurrentActivation, useBias, goBackwards, dropout, recurrentDropout,
 * unroll, unitForgetBias, kernelInitializer, ..., name })`.
 * @example LSTM(64)(Input([100, 128])) //=> SymbolicTensor<[64], 'float32', never>
 * @example LSTM(64, { returnSequences: true })(Input([100, 128])) //=> SymbolicTensor<[100, 64], 'float32', never>
 */
export function LSTM<const Units extends number, const Options extends RecurrentOptions = Record<never, never>>(
  units: PositiveArg<'LSTM', 'units', Units>,
  options?: Options & NoInfer<WeightOptionsCheck<'LSTM', Options>>,
): RecurrentLayer<RecurrentRule<'LSTM', Units, Sequences<Options>, ReturnedStates<Options, 2>, 2>> {
  return lstmLayer(units, options);
}

function lstmLayer<R extends RecurrentRule<'LSTM', number, boolean, number, 2>>(
  units: unknown,
  options: unknown,
): RecurrentLayer<R> {
  const opts = optionsObject('LSTM', options);
  refuseOptions('LSTM', opts, ['resetAfter']);
  const recurrentActivation = oneOf('LSTM', 'recurrentActivation', opts.recurrentActivation ?? 'sigmoid', activations);
  const unitForgetBias = boolean('LSTM', 'unitForgetBias', opts.unitForgetBias ?? true);
  return recurrentLayer(
    'LSTM',
    4,
    2,
    units,
    options,
    (config) => tf.layers.lstm({ ...config, recurrentActivation: tfjsActivation(recurrentActivation), unitForgetBias }),
    { config: { recurrentActivation, unitForgetBias } },
  );
}

registerLayer('LSTM', (config, name) => lstmLayer(config.units, { ...config, ...named(name) }));
