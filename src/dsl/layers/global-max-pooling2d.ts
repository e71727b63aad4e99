// GlobalMaxPooling2D: the maximum over height and width, [height, width, channels] => [channels] ([1, 1, channels] with keepdims).
import * as tf from '@tensorflow/tfjs';
import { type GlobalPoolingOptions, type GlobalPoolingRule, globalPoolingLayer } from '../global-pooling.ts';
import type { Layer, Rule } from '../layer.ts';
import type { Opt } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/** The untyped implementation, which the typed signature and the loader call. */
function globalMaxPooling2dLayer(options: unknown): Layer<Rule> {
  return globalPoolingLayer('GlobalMaxPooling2D', 2, 'max', options, (name) => tf.layers.globalMaxPooling2d({ name }));
}

/**
 * `GlobalMaxPooling2D({ keepdims = false, name })`.
 * @example GlobalMaxPooling2D()(Input([7, 7, 512])) //=> SymbolicTensor<[512], 'float32', never>
 * @example GlobalMaxPooling2D({ keepdims: true })(Input([7, 7, 512])) //=> SymbolicTensor<[1, 1, 512], 'float32', never>
 */
export function GlobalMaxPooling2D<const Options extends GlobalPoolingOptions = Record<never, never>>(
  options?: Options,
): Layer<GlobalPoolingRule<'GlobalMaxPooling2D', 2, Opt<Options, 'keepdims', false>>>;
export function GlobalMaxPooling2D(options?: unknown): Layer<Rule> {
  return globalMaxPooling2dLayer(options);
}

registerLayer('GlobalMaxPooling2D', (config, name) => globalMaxPooling2dLayer({ ...config, ...named(name) }));

/** Keras's other name for GlobalMaxPooling2D (`keras.layers.GlobalMaxPool2D`): the same layer, saved as `GlobalMaxPooling2D`. */
export const GlobalMaxPool2D = GlobalMaxPooling2D;
