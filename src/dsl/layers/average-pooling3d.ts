// AveragePooling3D: the mean over each pool of [depth, height, width, channels]. Keras 3:
// keras/src/layers/pooling/average_pooling3d.py and base_pooling.py (pool_size (2, 2, 2), strides None = pool_size,
// padding 'valid'; compute_pooling_output_shape per axis, as the 2-D pools; no weights).
import * as tf from '@tensorflow/tfjs';
import type { Layer, Rule } from '../layer.ts';
import type { Opt, Triple, Window3D, WindowOptionsCheck } from '../options.ts';
import { type Pooling3DOptions, type PoolingRule, poolingLayer } from '../pooling.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `AveragePooling3D(poolSize = 2, { strides = poolSize, padding = 'valid', name })`.
 * @example AveragePooling3D(2)(Input([16, 32, 32, 8])) //=> SymbolicTensor<[8, 16, 16, 8], 'float32', never>
 */
export function AveragePooling3D(): Layer<PoolingRule<'AveragePooling3D', [2, 2, 2], [2, 2, 2], 'valid'>>;
export function AveragePooling3D<
  const Size extends Window3D,
  const Options extends Pooling3DOptions = Record<never, never>,
>(
  poolSize: Size,
  options?: Options & WindowOptionsCheck<'AveragePooling3D', Options, 'strides'>,
): Layer<
  PoolingRule<'AveragePooling3D', Triple<Size>, Triple<Opt<Options, 'strides', Size>>, Opt<Options, 'padding', 'valid'>>
>;
export function AveragePooling3D(poolSize?: unknown, options?: unknown): Layer<Rule> {
  return averagePooling3DLayer(poolSize, options);
}

/** AveragePooling3D from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function averagePooling3DLayer(poolSize: unknown, options: unknown): Layer<Rule> {
  return poolingLayer(
    'AveragePooling3D',
    3,
    poolSize ?? 2,
    options,
    ({
      poolSize: [depth = 2, height = 2, width = 2],
      strides: [byDepth = 2, byHeight = 2, byWidth = 2],
      padding,
      name,
    }) =>
      tf.layers.averagePooling3d({
        poolSize: [depth, height, width],
        strides: [byDepth, byHeight, byWidth],
        padding,
        name,
      }),
  );
}

registerLayer('AveragePooling3D', (config, name) =>
  averagePooling3DLayer(config.poolSize, { ...config, ...named(name) }),
);

/** Keras's other name for AveragePooling3D (`keras.layers.AvgPool3D`): the same layer, saved as `AveragePooling3D`. */
export const AvgPool3D = AveragePooling3D;
