// GRU: gated recurrent unit over [steps, features]; three gates (tfjs has no reset_after, see docs/design.md).
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
 * `GRU(units, { returnSequences, activation, useBias, goBackwards, dropout, recurrentDropout, name })`.
 * @example GRU(64)(Input([100, 128])) //=> SymbolicTensor<[64], 'float32', never>
 * @example GRU(64, { returnSequences: true })(Input([100, 128])) //=> SymbolicTensor<[100, 64], 'float32', never>
 */
export function GRU<const Units extends number, const Options extends RecurrentOptions = Record<never, never>>(
  units: PositiveArg<'GRU', 'units', Units>,
  options?: Options,
): RecurrentLayer<RecurrentRule<'GRU', Units, Sequences<Options>, ReturnedStates<Options, 1>, 1>> {
  return recurrentLayer('GRU', 3, 1, units, options, (config) => tf.layers.gru(config));
}

registerLayer('GRU', (config, name) =>
  recurrentLayer('GRU', 3, 1, config.units, { ...config, ...named(name) }, (settings) => tf.layers.gru(settings)),
);
