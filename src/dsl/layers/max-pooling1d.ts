// MaxPooling1D: the maximum over each pool of [steps, channels].
import * as tf from '@tensorflow/tfjs';
import type { Layer, Rule } from '../layer.ts';
import type { Opt, PositiveArg, WindowOptionsCheck } from '../options.ts';
import { type Pooling1DOptions, type PoolingRule, poolingLayer } from '../pooling.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `MaxPooling1D(poolSize = 2, { strides = poolSize, padding = 'valid', name })`.
 * @example MaxPooling1D(2)(Input([98, 8])) //=> SymbolicTensor<[49, 8], 'float32', never>
 */
export function MaxPooling1D(): Layer<PoolingRule<'MaxPooling1D', [2], [2], 'valid'>>;
export function MaxPooling1D<const Size extends number, const Options extends Pooling1DOptions = Record<never, never>>(
  poolSize: PositiveArg<'MaxPooling1D', 'poolSize', Size>,
  options?: Options & WindowOptionsCheck<'MaxPooling1D', Options, 'strides'>,
): Layer<PoolingRule<'MaxPooling1D', [Size], [Opt<Options, 'strides', Size>], Opt<Options, 'padding', 'valid'>>>;
export function MaxPooling1D(poolSize?: unknown, options?: unknown): Layer<Rule> {
  return maxPooling1DLayer(poolSize, options);
}

/** MaxPooling1D from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function maxPooling1DLayer(poolSize: unknown, options: unknown): Layer<Rule> {
  return poolingLayer(
    'MaxPooling1D',
    1,
    poolSize ?? 2,
    options,
    ({ poolSize: [pool], strides: [stride], padding, name }) =>
      tf.layers.maxPooling1d({ poolSize: pool ?? 2, strides: stride ?? pool ?? 2, padding, name }),
  );
}

registerLayer('MaxPooling1D', (config, name) =>
  maxPooling1DLayer(Array.isArray(config.poolSize) ? config.poolSize[0] : config.poolSize, {
    ...config,
    strides: Array.isArray(config.strides) ? config.strides[0] : config.strides,
    ...named(name),
  }),
);

/** Keras's other name for MaxPooling1D (`keras.layers.MaxPool1D`): the same layer, saved as `MaxPooling1D`. */
export const MaxPool1D = MaxPooling1D;
