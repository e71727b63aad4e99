// ELU: x above 0, alpha * (exp(x) - 1) below; the shape is unchanged, the result float32. Keras 3:
// keras/src/layers/activations/elu.py (alpha defaults to 1).
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../../errors.ts';
import { floatInputs } from '../float-inputs.ts';
import { type Layer, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import { defineTwin } from '../twin.ts';
import type { ActivationRule } from './activation.ts';

export interface ELUOptions extends BaseOptions {
  /** Default 1. */
  readonly alpha?: number;
}

/** tfjs's ELU layer refuses an alpha other than 1 ("not supported yet"). */
const elu = defineTwin('elu', {
  outputShape: (shape) => [...shape],
  call: (input, { alpha }) => {
    const x = tf.cast(input, 'float32');
    // relu(x) + alpha * (exp(min(x, 0)) - 1): x above 0, alpha * (exp(x) - 1) below, with tfjs gradients throughout.
    return tf.add(tf.relu(x), tf.mul(Number(alpha), tf.sub(tf.exp(tf.minimum(x, 0)), 1)));
  },
});

/** The untyped implementation, which the typed signature and the loader call. */
function eluLayer(options: unknown): Layer<Rule> {
  const opts = optionsObject('ELU', options);
  const alpha = opts.alpha ?? 1;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha))
    fail({ code: 'option', layer: 'ELU', option: 'alpha', expected: 'a finite number', received: describe(alpha) });
  return unaryLayer(
    {
      className: 'ELU',
      config: { alpha },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      lower: (name) => (alpha === 1 ? floatInputs(tf.layers.elu({ name })) : elu(name, { alpha })),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `ELU({ alpha = 1, name })`.
 * @example ELU()(Input([10])) //=> SymbolicTensor<[10], 'float32', never>
 */
export function ELU(options?: ELUOptions): Layer<ActivationRule>;
export function ELU(options?: unknown): Layer<Rule> {
  return eluLayer(options);
}

registerLayer('ELU', (config, name) => eluLayer({ ...config, ...named(name) }));
