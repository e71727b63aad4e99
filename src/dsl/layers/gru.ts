// GRU: gated recurrent unit over [steps, features]; three gates (tfjs has no reset_after, see docs/design.md).
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../../errors.ts';
import { tfjsActivation } from '../activation-functions.ts';
import { activations, oneOf, optionsObject, type PositiveArg } from '../options.ts';
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
 * `GRU(units, { returnSequences, activation, recurrentActivation, useBias, goBackwards, dropout, recurrentDropout,
 * unroll, kernelInitializer, ..., name })`.
 * @example GRU(64)(Input([100, 128])) //=> SymbolicTensor<[64], 'float32', never>
 * @example GRU(64, { returnSequences: true })(Input([100, 128])) //=> SymbolicTensor<[100, 64], 'float32', never>
 */
export function GRU<const Units extends number, const Options extends RecurrentOptions = Record<never, never>>(
  units: PositiveArg<'GRU', 'units', Units>,
  options?: Options & NoInfer<WeightOptionsCheck<'GRU', Options>>,
): RecurrentLayer<RecurrentRule<'GRU', Units, Sequences<Options>, ReturnedStates<Options, 1>, 1>> {
  return gruLayer(units, options);
}

function gruLayer<R extends RecurrentRule<'GRU', number, boolean, number, 1>>(
  units: unknown,
  options: unknown,
): RecurrentLayer<R> {
  const opts = optionsObject('GRU', options);
  refuseOptions('GRU', opts, ['unitForgetBias']);
  const recurrentActivation = oneOf('GRU', 'recurrentActivation', opts.recurrentActivation ?? 'sigmoid', activations);
  if (opts.resetAfter !== undefined && opts.resetAfter !== false)
    fail({
      code: 'option',
      layer: 'GRU',
      option: 'resetAfter',
      expected: "false (kerats' GRU has tfjs's weights, without reset_after)",
      received: describe(opts.resetAfter),
    });
  return recurrentLayer(
    'GRU',
    3,
    1,
    units,
    options,
    (config) => tf.layers.gru({ ...config, recurrentActivation: tfjsActivation(recurrentActivation) }),
    { config: { recurrentActivation } },
  );
}

registerLayer('GRU', (config, name) => gruLayer(config.units, { ...config, ...named(name) }));
