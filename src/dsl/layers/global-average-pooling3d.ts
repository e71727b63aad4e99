// GlobalAveragePooling3D: the mean over depth, height and width, [depth, height, width, channels] => [channels]
// ([1, 1, 1, channels] with keepdims). Keras 3: keras/src/layers/pooling/global_average_pooling3d.py and
// base_global_pooling.py. tfjs-layers has no 3-D global pool: it lowers to the global pools' twin.
import { type GlobalPoolingOptions, type GlobalPoolingRule, globalPoolingLayer } from '../global-pooling.ts';
import type { Layer, Rule } from '../layer.ts';
import type { Opt } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/** The untyped implementation, which the typed signature and the loader call. */
function globalAveragePooling3dLayer(options: unknown): Layer<Rule> {
  return globalPoolingLayer('GlobalAveragePooling3D', 3, 'average', options, undefined);
}

/**
 * `GlobalAveragePooling3D({ keepdims = false, name })`.
 * @example GlobalAveragePooling3D()(Input([4, 7, 7, 64])) //=> SymbolicTensor<[64], 'float32', never>
 * @example GlobalAveragePooling3D({ keepdims: true })(Input([4, 7, 7, 64])) //=> SymbolicTensor<[1, 1, 1, 64], 'float32', never>
 */
export function GlobalAveragePooling3D<const Options extends GlobalPoolingOptions = Record<never, never>>(
  options?: Options,
): Layer<GlobalPoolingRule<'GlobalAveragePooling3D', 3, Opt<Options, 'keepdims', false>>>;
export function GlobalAveragePooling3D(options?: unknown): Layer<Rule> {
  return globalAveragePooling3dLayer(options);
}

registerLayer('GlobalAveragePooling3D', (config, name) => globalAveragePooling3dLayer({ ...config, ...named(name) }));

/** Keras's other name for GlobalAveragePooling3D (`keras.layers.GlobalAvgPool3D`): the same layer, saved as `GlobalAveragePooling3D`. */
export const GlobalAvgPool3D = GlobalAveragePooling3D;
