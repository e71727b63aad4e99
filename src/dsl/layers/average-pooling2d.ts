// AveragePooling2D: the mean over each pool of [height, width, channels].
import * as tf from '@tensorflow/tfjs';
import type { Layer, Rule } from '../layer.ts';
import type { Opt, Pair, Window2D, WindowCheck, WindowOptionsCheck } from '../options.ts';
import { type Pooling2DOptions, type PoolingRule, poolingLayer } from '../pooling.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `AveragePooling2D(poolSize = 2, { strides = poolSize, padding = 'valid', name })`.
 * @example AveragePooling2D(3, { padding: 'same' })(Input([31, 31, 8])) //=> SymbolicTensor<[11, 11, 8], 'float32', never>
 */
export function AveragePooling2D(): Layer<PoolingRule<'AveragePooling2D', [2, 2], [2, 2], 'valid'>>;
export function AveragePooling2D<
  const Size extends Window2D,
  const Options extends Pooling2DOptions = Record<never, never>,
>(
  poolSize: Size & WindowCheck<'AveragePooling2D', 'poolSize', Size>,
  options?: Options & WindowOptionsCheck<'AveragePooling2D', Options, 'strides'>,
): Layer<
  PoolingRule<'AveragePooling2D', Pair<Size>, Pair<Opt<Options, 'strides', Size>>, Opt<Options, 'padding', 'valid'>>
>;
export function AveragePooling2D(poolSize?: unknown, options?: unknown): Layer<Rule> {
  return averagePooling2DLayer(poolSize, options);
}

/** AveragePooling2D from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function averagePooling2DLayer(poolSize: unknown, options: unknown): Layer<Rule> {
  return poolingLayer(
    'AveragePooling2D',
    2,
    poolSize ?? 2,
    options,
    ({ poolSize: [poolHeight = 2, poolWidth = 2], strides: [strideHeight = 2, strideWidth = 2], padding, name }) =>
      tf.layers.averagePooling2d({
        poolSize: [poolHeight, poolWidth],
        strides: [strideHeight, strideWidth],
        padding,
        name,
      }),
  );
}

registerLayer('AveragePooling2D', (config, name) =>
  averagePooling2DLayer(config.poolSize, { ...config, ...named(name) }),
);

/** Keras's other name for AveragePooling2D (`keras.layers.AvgPool2D`): the same layer, saved as `AveragePooling2D`. */
export const AvgPool2D = AveragePooling2D;
