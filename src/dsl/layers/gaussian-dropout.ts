// GaussianDropout: while training, multiplies each value by noise drawn from N(1, rate / (1 - rate)); outside
// training the input passes. Keras 3: keras/src/layers/regularization/gaussian_dropout.py (no weights; the shape
// unchanged). The result is float32 (int32 is cast first), as Dropout's.
import * as tf from '@tensorflow/tfjs';
import { floatInputs } from '../float-inputs.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { unaryLayer } from '../layer.ts';
import { type BaseOptions, type LayerRateArg, optionsObject, unitRate } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

export interface GaussianDropoutRule extends Rule {
  readonly output: Ok<InputOf<this>, 'float32'>;
}

/**
 * `GaussianDropout(rate, { name })`, rate in [0, 1).
 * @example GaussianDropout(0.3)(Input([16])) //=> SymbolicTensor<[16], 'float32', never>
 */
export function GaussianDropout<const Rate extends number>(
  rate: LayerRateArg<'GaussianDropout', Rate>,
  options?: BaseOptions,
): Layer<GaussianDropoutRule>;
export function GaussianDropout(rate: unknown, options?: unknown): Layer<Rule> {
  return gaussianDropoutLayer(rate, options);
}

/** GaussianDropout from values nobody has checked (a caller's, or a saved config's). */
function gaussianDropoutLayer(rate: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('GaussianDropout', options);
  const checked = unitRate('GaussianDropout', rate);
  return unaryLayer(
    {
      className: 'GaussianDropout',
      config: { rate: checked },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      lower: (name) => floatInputs(tf.layers.gaussianDropout({ rate: checked, name })),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('GaussianDropout', (config, name) => gaussianDropoutLayer(config.rate, named(name)));
