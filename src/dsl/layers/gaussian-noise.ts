// GaussianNoise: while training, adds noise drawn from N(0, stddev^2) to each value; outside training the input
// passes. Keras 3: keras/src/layers/regularization/gaussian_noise.py (no weights; the shape unchanged). The result
// is float32 (int32 is cast first), as Dropout's.
import * as tf from '@tensorflow/tfjs';
import type { OptionMessage } from '../../errors.ts';
import { floatInputs } from '../float-inputs.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { unaryLayer } from '../layer.ts';
import { type BaseOptions, nonNegative, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/** The standard deviation where it is (or may be) non-negative; the message where it can be seen to be negative. */
export type StddevArg<Stddev extends number> = `${Stddev}` extends `-${string}`
  ? OptionMessage<'GaussianNoise', 'stddev', 'a non-negative number', Stddev>
  : Stddev;

export interface GaussianNoiseRule extends Rule {
  readonly output: Ok<InputOf<this>, 'float32'>;
}

/**
 * `GaussianNoise(stddev, { name })`.
 * @example GaussianNoise(0.1)(Input([16])) //=> SymbolicTensor<[16], 'float32', never>
 */
export function GaussianNoise<const Stddev extends number>(
  stddev: StddevArg<Stddev>,
  options?: BaseOptions,
): Layer<GaussianNoiseRule>;
export function GaussianNoise(stddev: unknown, options?: unknown): Layer<Rule> {
  return gaussianNoiseLayer(stddev, options);
}

/** GaussianNoise from values nobody has checked (a caller's, or a saved config's). */
function gaussianNoiseLayer(stddev: unknown, options: unknown): Layer<Rule> {
  const opts = optionsObject('GaussianNoise', options);
  const checked = nonNegative('GaussianNoise', 'stddev', stddev);
  return unaryLayer(
    {
      className: 'GaussianNoise',
      config: { stddev: checked },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      lower: (name) => floatInputs(tf.layers.gaussianNoise({ stddev: checked, name })),
    },
    opts.name,
    opts.trainable,
  );
}

registerLayer('GaussianNoise', (config, name) => gaussianNoiseLayer(config.stddev, named(name)));
