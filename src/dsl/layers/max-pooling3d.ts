// MaxPooling3D: the maximum over each pool of [depth, height, width, channels]. Keras 3:
// keras/src/layers/pooling/max_pooling3d.py and base_pooling.py (pool_size (2, 2, 2), strides None = pool_size,
// padding 'valid'; compute_pooling_output_shape per axis, as the 2-D pools; no weights).
import * as tf from '@tensorflow/tfjs';
import type { Layer, Rule } from '../layer.ts';
import type { Opt, Triple, Window3D, WindowOptionsCheck } from '../options.ts';
import { type Pooling3DOptions, type PoolingRule, poolingLayer } from '../pooling.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `MaxPooling3D(poolSize = 2, { strides = poolSize, padding = 'valid', name })`.
 * @example MaxPooling3D(2)(Input([16, 32, 32, 8])) //=> SymbolicTensor<[8, 16, 16, 8], 'float32', never>
 */
export function MaxPooling3D(): Layer<PoolingRule<'MaxPooling3D', [2, 2, 2], [2, 2, 2], 'valid'>>;
export function MaxPooling3D<
  const Size extends Window3D,
  const Options extends Pooling3DOptions = Record<never, never>,
>(
  poolSize: Size,
  options?: Options & WindowOptionsCheck<'MaxPooling3D', Options, 'strides'>,
): Layer<
  PoolingRule<'MaxPooling3D', Triple<Size>, Triple<Opt<Options, 'strides', Size>>, Opt<Options, 'padding', 'valid'>>
>;
export function MaxPooling3D(poolSize?: unknown, options?: unknown): Layer<Rule> {
  return maxPooling3DLayer(poolSize, options);
}

/** MaxPooling3D from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function maxPooling3DLayer(poolSize: unknown, options: unknown): Layer<Rule> {
  return poolingLayer(
    'MaxPooling3D',
    3,
    poolSize ?? 2,
    options,
    ({
      poolSize: [depth = 2, height = 2, width = 2],
      strides: [byDepth = 2, byHeight = 2, byWidth = 2],
      padding,
      name,
    }) =>
      tf.layers.maxPooling3d({
        poolSize: [depth, height, width],
        strides: [byDepth, byHeight, byWidth],
        padding,
        name,
      }),
  );
}

registerLayer('MaxPooling3D', (config, name) => maxPooling3DLayer(config.poolSize, { ...config, ...named(name) }));

/** Keras's other name for MaxPooling3D (`keras.layers.MaxPool3D`): the same layer, saved as `MaxPooling3D`. */
export const MaxPool3D = MaxPooling3D;
