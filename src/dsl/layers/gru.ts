// GRU: gated recurrent unit over [steps, features]; three gates (tfjs has no reset_after, see docs/design.md).
import * as tf from '@tensorflow/tfjs';
import type { Layer } from '../layer.ts';
import type { PositiveArg } from '../options.ts';
import { type RecurrentOptions, type RecurrentRule, recurrentLayer, type Sequences } from '../recurrent.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `GRU(units, { returnSequences, activation, useBias, goBackwards, dropout, recurrentDropout, name })`.
 * @example GRU(64)(Input([100, 128])) //=> SymbolicTensor<[64], 'float32', never>
 * @example GRU(64, { returnSequences: true })(Input([100, 128])) //=> SymbolicTensor<[100, 64], 'float32', never>
 */
export function GRU<const Units extends number, const Options extends RecurrentOptions = Record<never, never>>(
  units: PositiveArg<'GRU', 'units', Units>,
  options?: Options,
): Layer<RecurrentRule<'GRU', Units, Sequences<Options>>> {
  return recurrentLayer('GRU', 3, units, options, (config) => tf.layers.gru(config));
}

registerLayer('GRU', (config, name) => Reflect.apply(GRU, undefined, [config.units, { ...config, ...named(name) }]));
