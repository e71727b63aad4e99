// SimpleRNN: a fully connected recurrent layer over [steps, features]; one gate.
import * as tf from '@tensorflow/tfjs';
import type { PositiveArg } from '../options.ts';
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
 * `SimpleRNN(units, { returnSequences, activation, useBias, goBackwards, dropout, recurrentDropout, unroll, kernelInitializer, ..., name })`.
 * @example SimpleRNN(64)(Input([100, 128])) //=> SymbolicTensor<[64], 'float32', never>
 * @example SimpleRNN(64, { returnSequences: true })(Input([100, 128])) //=> SymbolicTensor<[100, 64], 'float32', never>
 */
export function SimpleRNN<const Units extends number, const Options extends RecurrentOptions = Record<never, never>>(
  units: PositiveArg<'SimpleRNN', 'units', Units>,
  options?: Options & NoInfer<WeightOptionsCheck<'SimpleRNN', Options>>,
): RecurrentLayer<RecurrentRule<'SimpleRNN', Units, Sequences<Options>, ReturnedStates<Options, 1>, 1>> {
  refuseOptions('SimpleRNN', options, ['recurrentActivation', 'unitForgetBias', 'resetAfter']);
  return recurrentLayer('SimpleRNN', 1, 1, units, options, (config) => tf.layers.simpleRNN(config));
}

registerLayer('SimpleRNN', (config, name) =>
  recurrentLayer('SimpleRNN', 1, 1, config.units, { ...config, ...named(name) }, (settings) =>
    tf.layers.simpleRNN(settings),
  ),
);
