// GlobalMaxPooling1D: the maximum over steps, [steps, channels] => [channels] ([1, channels] with keepdims).
import * as tf from '@tensorflow/tfjs';
import { type GlobalPoolingOptions, type GlobalPoolingRule, globalPoolingLayer } from '../global-pooling.ts';
import type { Layer, Rule } from '../layer.ts';
import type { Opt } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/** The untyped implementation, which the typed signature and the loader call. */
function globalMaxPooling1dLayer(options: unknown): Layer<Rule> {
  return globalPoolingLayer('GlobalMaxPooling1D', 1, 'max', options, (name) => tf.layers.globalMaxPooling1d({ name }));
}

/**
 * `GlobalMaxPooling1D({ keepdims = false, name })`.
 * @example GlobalMaxPooling1D()(Input([100, 64])) //=> SymbolicTensor<[64], 'float32', never>
 * @example GlobalMaxPooling1D({ keepdims: true })(Input([100, 64])) //=> SymbolicTensor<[1, 64], 'float32', never>
 */
export function GlobalMaxPooling1D<const Options extends GlobalPoolingOptions = Record<never, never>>(
  options?: Options,
): Layer<GlobalPoolingRule<'GlobalMaxPooling1D', 1, Opt<Options, 'keepdims', false>>>;
export function GlobalMaxPooling1D(options?: unknown): Layer<Rule> {
  return globalMaxPooling1dLayer(options);
}

registerLayer('GlobalMaxPooling1D', (config, name) => globalMaxPooling1dLayer({ ...config, ...named(name) }));

/** Keras's other name for GlobalMaxPooling1D (`keras.layers.GlobalMaxPool1D`): the same layer, saved as `GlobalMaxPooling1D`. */
export const GlobalMaxPool1D = GlobalMaxPooling1D;
