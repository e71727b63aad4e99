// AlphaDropout: Dropout for SELU networks: while training, a dropped value becomes SELU's negative saturation
// -alpha * scale and the result is shifted and scaled back to the input's mean and variance; outside training the
// input passes. Keras 3: keras/src/layers/regularization/alpha_dropout.py (x = inputs * kept + alpha_p * (1 - kept),
// then a * x + b). tfjs-layers' AlphaDropout adds -alpha_p * (1 - kept) instead, so this one is written with the
// public layer API. The result is float32, as Dropout's.
import * as tf from '@tensorflow/tfjs';
import { defineLayer } from '../define.ts';
import type { InputOf, Layer, Ok, Rule } from '../layer.ts';
import { type BaseOptions, type LayerRateArg, unitRate } from '../options.ts';
import { registerLayer } from '../registry.ts';

export interface AlphaDropoutRule extends Rule {
  readonly output: Ok<InputOf<this>, 'float32'>;
}

// SELU's constants, as Keras writes them (1.6732632423543772848170429916717, 1.0507009873554804934193349852946).
const alpha = 1.6732632423543772;
const selfScale = 1.0507009873554805;

const AlphaDropoutClass = defineLayer({
  className: 'AlphaDropout',
  config: ({ rate }) => ({ rate: unitRate('AlphaDropout', rate) }),
  outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
  call(input, _weights, { training, config: { rate } }) {
    const x = tf.cast(input, 'float32');
    if (!training || rate === 0) return x;
    const alphaP = -alpha * selfScale;
    const kept = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape), rate), 'float32');
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    const dropped = tf.add(tf.mul(x, kept), tf.mul(tf.sub(1, kept), alphaP));
    return tf.add(tf.mul(dropped, a), b);
  },
});

/**
 * `AlphaDropout(rate, { name })`, rate in [0, 1).
 * @example AlphaDropout(0.1)(Input([16])) //=> SymbolicTensor<[16], 'float32', never>
 */
export function AlphaDropout<const Rate extends number>(
  rate: LayerRateArg<'AlphaDropout', Rate>,
  options?: BaseOptions,
): Layer<AlphaDropoutRule> {
  return AlphaDropoutClass.create({ ...options, rate });
}

registerLayer('AlphaDropout', (config, name) => AlphaDropoutClass.fromConfig(config, name));
