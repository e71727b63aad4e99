// SimpleRNN: a fully connected recurrent layer over [steps, features]; one gate.
import * as tf from '@tensorflow/tfjs';
import type { Layer } from '../layer.ts';
import type { PositiveArg } from '../options.ts';
import { type RecurrentOptions, type RecurrentRule, recurrentLayer, type Sequences } from '../recurrent.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `SimpleRNN(units, { returnSequences, activation, useBias, goBackwards, dropout, recurrentDropout, name })`.
 * @example SimpleRNN(64)(Input([100, 128])) //=> SymbolicTensor<[64], 'float32', never>
 * @example SimpleRNN(64, { returnSequences: true })(Input([100, 128])) //=> SymbolicTensor<[100, 64], 'float32', never>
 */
export function SimpleRNN<const Units extends number, const Options extends RecurrentOptions = Record<never, never>>(
  units: PositiveArg<'SimpleRNN', 'units', Units>,
  options?: Options,
): Layer<RecurrentRule<'SimpleRNN', Units, Sequences<Options>>> {
  return recurrentLayer('SimpleRNN', 1, units, options, (config) => tf.layers.simpleRNN(config));
}

registerLayer('SimpleRNN', (config, name) =>
  Reflect.apply(SimpleRNN, undefined, [config.units, { ...config, ...named(name) }]),
);
