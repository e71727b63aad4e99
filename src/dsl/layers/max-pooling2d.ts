// MaxPooling2D: the maximum over each pool of [height, width, channels].
import * as tf from '@tensorflow/tfjs';
import type { Layer, Rule } from '../layer.ts';
import type { Opt, Pair, Window2D, WindowCheck, WindowOptionsCheck } from '../options.ts';
import { type Pooling2DOptions, type PoolingRule, poolingLayer } from '../pooling.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `MaxPooling2D(poolSize = 2, { strides = poolSize, padding = 'valid', name })`.
 * @example MaxPooling2D([2, 2])(Input([60, 60, 16])) //=> SymbolicTensor<[30, 30, 16], 'float32', never>
 */
export function MaxPooling2D(): Layer<PoolingRule<'MaxPooling2D', [2, 2], [2, 2], 'valid'>>;
export function MaxPooling2D<
  const Size extends Window2D,
  const Options extends Pooling2DOptions = Record<never, never>,
>(
  poolSize: Size & WindowCheck<'MaxPooling2D', 'poolSize', Size>,
  options?: Options & WindowOptionsCheck<'MaxPooling2D', Options, 'strides'>,
): Layer<
  PoolingRule<'MaxPooling2D', Pair<Size>, Pair<Opt<Options, 'strides', Size>>, Opt<Options, 'padding', 'valid'>>
>;
export function MaxPooling2D(poolSize?: unknown, options?: unknown): Layer<Rule> {
  return maxPooling2DLayer(poolSize, options);
}

/** MaxPooling2D from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function maxPooling2DLayer(poolSize: unknown, options: unknown): Layer<Rule> {
  return poolingLayer(
    'MaxPooling2D',
    2,
    poolSize ?? 2,
    options,
    ({ poolSize: [poolHeight = 2, poolWidth = 2], strides: [strideHeight = 2, strideWidth = 2], padding, name }) =>
      tf.layers.maxPooling2d({
        poolSize: [poolHeight, poolWidth],
        strides: [strideHeight, strideWidth],
        padding,
        name,
      }),
  );
}

registerLayer('MaxPooling2D', (config, name) => maxPooling2DLayer(config.poolSize, { ...config, ...named(name) }));

/** Keras's other name for MaxPooling2D (`keras.layers.MaxPool2D`): the same layer, saved as `MaxPooling2D`. */
export const MaxPool2D = MaxPooling2D;
