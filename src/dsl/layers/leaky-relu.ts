// LeakyReLU: x above 0, negativeSlope * x below; the shape is unchanged, the result float32. Keras 3:
// keras/src/layers/activations/leaky_relu.py (negative_slope defaults to 0.3 and must not be negative).
import * as tf from '@tensorflow/tfjs';
import { floatInputs } from '../float-inputs.ts';
import { type Layer, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, type NonNegativeOptionsCheck, nonNegative, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { ActivationRule } from './activation.ts';

export interface LeakyReLUOptions extends BaseOptions {
  /** Default 0.3. */
  readonly negativeSlope?: number;
}

/** The untyped implementation, which the typed signature and the loader call. */
function leakyReluLayer(options: unknown): Layer<Rule> {
  const opts = optionsObject('LeakyReLU', options);
  const negativeSlope = nonNegative('LeakyReLU', 'negativeSlope', opts.negativeSlope ?? 0.3);
  return unaryLayer(
    {
      className: 'LeakyReLU',
      config: { negativeSlope },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      lower: (name) => floatInputs(tf.layers.leakyReLU({ alpha: negativeSlope, name })),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `LeakyReLU({ negativeSlope = 0.3, name })`.
 * @example LeakyReLU({ negativeSlope: 0.1 })(Input([4, 4, 8])) //=> SymbolicTensor<[4, 4, 8], 'float32', never>
 */
export function LeakyReLU<const Options extends LeakyReLUOptions = Record<never, never>>(
  options?: Options & NonNegativeOptionsCheck<'LeakyReLU', Options, 'negativeSlope'>,
): Layer<ActivationRule>;
export function LeakyReLU(options?: unknown): Layer<Rule> {
  return leakyReluLayer(options);
}

registerLayer('LeakyReLU', (config, name) => leakyReluLayer({ ...config, ...named(name) }));
