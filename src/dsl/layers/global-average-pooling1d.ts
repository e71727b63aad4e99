// GlobalAveragePooling1D: the mean over steps, [steps, channels] => [channels] ([1, channels] with keepdims).
import * as tf from '@tensorflow/tfjs';
import { type GlobalPoolingOptions, type GlobalPoolingRule, globalPoolingLayer } from '../global-pooling.ts';
import type { Layer, Rule } from '../layer.ts';
import type { Opt } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/** The untyped implementation, which the typed signature and the loader call. */
function globalAveragePooling1dLayer(options: unknown): Layer<Rule> {
  return globalPoolingLayer('GlobalAveragePooling1D', 1, 'average', options, (name) =>
    tf.layers.globalAveragePooling1d({ name }),
  );
}

/**
 * `GlobalAveragePooling1D({ keepdims = false, name })`.
 * @example GlobalAveragePooling1D()(Input([100, 64])) //=> SymbolicTensor<[64], 'float32', never>
 * @example GlobalAveragePooling1D({ keepdims: true })(Input([100, 64])) //=> SymbolicTensor<[1, 64], 'float32', never>
 */
export function GlobalAveragePooling1D<const Options extends GlobalPoolingOptions = Record<never, never>>(
  options?: Options,
): Layer<GlobalPoolingRule<'GlobalAveragePooling1D', 1, Opt<Options, 'keepdims', false>>>;
export function GlobalAveragePooling1D(options?: unknown): Layer<Rule> {
  return globalAveragePooling1dLayer(options);
}

registerLayer('GlobalAveragePooling1D', (config, name) => globalAveragePooling1dLayer({ ...config, ...named(name) }));

/** Keras's other name for GlobalAveragePooling1D (`keras.layers.GlobalAvgPool1D`): the same layer, saved as `GlobalAveragePooling1D`. */
export const GlobalAvgPool1D = GlobalAveragePooling1D;
