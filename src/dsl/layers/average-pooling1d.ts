// AveragePooling1D: the mean over each pool of [steps, channels] (Keras 3,
// keras/src/layers/pooling/average_pooling1d.py; no weights).
import * as tf from '@tensorflow/tfjs';
import type { Layer, Rule } from '../layer.ts';
import type { Opt, PositiveArg, WindowOptionsCheck } from '../options.ts';
import { type Pooling1DOptions, type PoolingRule, poolingLayer } from '../pooling.ts';
import { named, registerLayer } from '../registry.ts';

/** The untyped implementation, which the typed signatures and the loader call. */
function averagePooling1dLayer(poolSize: unknown, options: unknown): Layer<Rule> {
  return poolingLayer(
    'AveragePooling1D',
    1,
    poolSize,
    options,
    ({ poolSize: [pool], strides: [stride], padding, name }) =>
      tf.layers.averagePooling1d({ poolSize: pool ?? 2, strides: stride ?? pool ?? 2, padding, name }),
  );
}

/**
 * `AveragePooling1D(poolSize = 2, { strides = poolSize, padding = 'valid', name })`.
 * @example AveragePooling1D(2, { padding: 'same' })(Input([99, 8])) //=> SymbolicTensor<[50, 8], 'float32', never>
 */
export function AveragePooling1D(): Layer<PoolingRule<'AveragePooling1D', [2], [2], 'valid'>>;
export function AveragePooling1D<
  const Size extends number,
  const Options extends Pooling1DOptions = Record<never, never>,
>(
  poolSize: PositiveArg<'AveragePooling1D', 'poolSize', Size>,
  options?: Options & WindowOptionsCheck<'AveragePooling1D', Options, 'strides'>,
): Layer<PoolingRule<'AveragePooling1D', [Size], [Opt<Options, 'strides', Size>], Opt<Options, 'padding', 'valid'>>>;
export function AveragePooling1D(poolSize?: unknown, options?: unknown): Layer<Rule> {
  return averagePooling1dLayer(poolSize ?? 2, options);
}

// The config holds one-entry lists (as the 2-D pools' pairs); the factory takes the number.
const single = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);
registerLayer('AveragePooling1D', (config, name) =>
  averagePooling1dLayer(single(config.poolSize), { ...config, strides: single(config.strides), ...named(name) }),
);

/** Keras's other name for AveragePooling1D (`keras.layers.AvgPool1D`): the same layer, saved as `AveragePooling1D`. */
export const AvgPool1D = AveragePooling1D;
