// GlobalMaxPooling3D: the maximum over depth, height and width, [depth, height, width, channels] => [channels]
// ([1, 1, 1, channels] with keepdims). Keras 3: keras/src/layers/pooling/global_max_pooling3d.py and
// base_global_pooling.py. tfjs-layers has no 3-D global pool: it lowers to the global pools' twin.
import { type GlobalPoolingOptions, type GlobalPoolingRule, globalPoolingLayer } from '../global-pooling.ts';
import type { Layer, Rule } from '../layer.ts';
import type { Opt } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/** The untyped implementation, which the typed signature and the loader call. */
function globalMaxPooling3dLayer(options: unknown): Layer<Rule> {
  return globalPoolingLayer('GlobalMaxPooling3D', 3, 'max', options, undefined);
}

/**
 * `GlobalMaxPooling3D({ keepdims = false, name })`.
 * @example GlobalMaxPooling3D()(Input([4, 7, 7, 64])) //=> SymbolicTensor<[64], 'float32', never>
 * @example GlobalMaxPooling3D({ keepdims: true })(Input([4, 7, 7, 64])) //=> SymbolicTensor<[1, 1, 1, 64], 'float32', never>
 */
export function GlobalMaxPooling3D<const Options extends GlobalPoolingOptions = Record<never, never>>(
  options?: Options,
): Layer<GlobalPoolingRule<'GlobalMaxPooling3D', 3, Opt<Options, 'keepdims', false>>>;
export function GlobalMaxPooling3D(options?: unknown): Layer<Rule> {
  return globalMaxPooling3dLayer(options);
}

registerLayer('GlobalMaxPooling3D', (config, name) => globalMaxPooling3dLayer({ ...config, ...named(name) }));

/** Keras's other name for GlobalMaxPooling3D (`keras.layers.GlobalMaxPool3D`): the same layer, saved as `GlobalMaxPooling3D`. */
export const GlobalMaxPool3D = GlobalMaxPooling3D;
