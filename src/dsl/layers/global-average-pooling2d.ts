// GlobalAveragePooling2D: the mean over height and width, [height, width, channels] => [channels] ([1, 1, channels] with keepdims).
import * as tf from '@tensorflow/tfjs';
import type { Shape } from '../../shapes/dim.ts';
import {
  type GlobalPoolingOptions,
  type GlobalPoolingRule,
  type GlobalPoolingShape,
  globalPoolingLayer,
} from '../global-pooling.ts';
import type { Layer, Rule } from '../layer.ts';
import type { Opt } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/** @example GlobalAveragePooling2DShape<[7, 7, 512]> //=> Ok<[512], 'float32'> */
export type GlobalAveragePooling2DShape<S extends Shape> = GlobalPoolingShape<'GlobalAveragePooling2D', 2, S, false>;

/** The rule without keepdims. */
export interface GlobalAveragePooling2DRule extends GlobalPoolingRule<'GlobalAveragePooling2D', 2, false> {}

/** The untyped implementation, which the typed signature and the loader call. */
function globalAveragePooling2dLayer(options: unknown): Layer<Rule> {
  return globalPoolingLayer('GlobalAveragePooling2D', 2, 'average', options, (name) =>
    tf.layers.globalAveragePooling2d({ name }),
  );
}

/**
 * `GlobalAveragePooling2D({ keepdims = false, name })`.
 * @example GlobalAveragePooling2D()(Input([7, 7, 512])) //=> SymbolicTensor<[512], 'float32', never>
 * @example GlobalAveragePooling2D({ keepdims: true })(Input([7, 7, 512])) //=> SymbolicTensor<[1, 1, 512], 'float32', never>
 */
export function GlobalAveragePooling2D<const Options extends GlobalPoolingOptions = Record<never, never>>(
  options?: Options,
): Layer<GlobalPoolingRule<'GlobalAveragePooling2D', 2, Opt<Options, 'keepdims', false>>>;
export function GlobalAveragePooling2D(options?: unknown): Layer<Rule> {
  return globalAveragePooling2dLayer(options);
}

registerLayer('GlobalAveragePooling2D', (config, name) => globalAveragePooling2dLayer({ ...config, ...named(name) }));

/** Keras's other name for GlobalAveragePooling2D (`keras.layers.GlobalAvgPool2D`): the same layer, saved as `GlobalAveragePooling2D`. */
export const GlobalAvgPool2D = GlobalAveragePooling2D;
