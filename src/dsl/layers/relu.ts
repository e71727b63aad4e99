// ReLU: Keras's rectified linear unit with its options; the shape is unchanged, the result float32. Keras 3:
// keras/src/layers/activations/relu.py (options non-negative) and keras/src/activations/activations.py (the formula).
import * as tf from '@tensorflow/tfjs';
import { floatInputs } from '../float-inputs.ts';
import { type Layer, type Rule, unaryLayer } from '../layer.ts';
import { type BaseOptions, type NonNegativeOptionsCheck, nonNegative, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import { defineTwin } from '../twin.ts';
import type { ActivationRule } from './activation.ts';

export interface ReLUOptions extends BaseOptions {
  /** The largest output. Default: none. */
  readonly maxValue?: number | null;
  /** The slope below the threshold. Default 0. */
  readonly negativeSlope?: number;
  /** Default 0. */
  readonly threshold?: number;
}

/** Keras's formula, where tfjs's ReLU (which has only maxValue) cannot compute it. */
const relu = defineTwin('relu', {
  outputShape: (shape) => [...shape],
  call: (input, { maxValue, negativeSlope, threshold }) => {
    const x = tf.cast(input, 'float32');
    const slope = Number(negativeSlope);
    const cut = Number(threshold);
    const negative = tf.relu(tf.add(tf.neg(x), cut));
    // x where x > threshold, else 0 (tf.step's gradient is zero; tf.greater has none).
    let y = cut === 0 ? tf.relu(x) : tf.mul(x, tf.step(tf.sub(x, cut)));
    if (typeof maxValue === 'number') y = tf.clipByValue(y, 0, maxValue);
    return slope === 0 ? y : tf.sub(y, tf.mul(slope, negative));
  },
});

/** The untyped implementation, which the typed signature and the loader call. */
function reluLayer(options: unknown): Layer<Rule> {
  const opts = optionsObject('ReLU', options);
  const maxValue =
    opts.maxValue === undefined || opts.maxValue === null ? null : nonNegative('ReLU', 'maxValue', opts.maxValue);
  const negativeSlope = nonNegative('ReLU', 'negativeSlope', opts.negativeSlope ?? 0);
  const threshold = nonNegative('ReLU', 'threshold', opts.threshold ?? 0);
  return unaryLayer(
    {
      className: 'ReLU',
      config: { maxValue, negativeSlope, threshold },
      outputShape: ({ shape }) => ({ shape, dtype: 'float32' }),
      weights: () => [],
      lower: (name) =>
        negativeSlope === 0 && threshold === 0
          ? floatInputs(tf.layers.reLU({ ...(maxValue === null ? {} : { maxValue }), name }))
          : relu(name, { maxValue, negativeSlope, threshold }),
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `ReLU({ maxValue, negativeSlope = 0, threshold = 0, name })`: max_value above it, x from the threshold up,
 * negativeSlope * (x - threshold) below.
 * @example ReLU({ maxValue: 6 })(Input([10])) //=> SymbolicTensor<[10], 'float32', never>
 */
export function ReLU<const Options extends ReLUOptions = Record<never, never>>(
  options?: Options & NonNegativeOptionsCheck<'ReLU', Options, 'maxValue' | 'negativeSlope' | 'threshold'>,
): Layer<ActivationRule>;
export function ReLU(options?: unknown): Layer<Rule> {
  return reluLayer(options);
}

registerLayer('ReLU', (config, name) => reluLayer({ ...config, ...named(name) }));
