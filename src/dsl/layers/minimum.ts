// Minimum: the element-wise minimum of two or more tensors whose shapes broadcast (each size equal, or 1), as Add. Keras 3:
// keras/src/layers/merging/minimum.py (no weights; the shape rule is base_merge.py's broadcast).
import * as tf from '@tensorflow/tfjs';
import { type ElementwiseRule, elementwiseLayer } from '../elementwise.ts';
import { type MergeFunction, type MergeLayer, mergeFunction } from '../layer.ts';
import type { BaseOptions } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `Minimum({ name })([a, b, ...])`: int32 when every input is int32, else float32.
 * @example Minimum()([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Minimum(options?: BaseOptions): MergeLayer<ElementwiseRule<'Minimum', 'promoted'>> {
  return elementwiseLayer('Minimum', options, 'promoted', (name) => tf.layers.minimum({ name }));
}

/**
 * `minimum([a, b, ...], { name })`, Keras's `keras.layers.minimum`: Minimum()([a, b, ...]) in one call.
 * @example minimum([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export const minimum: MergeFunction<ElementwiseRule<'Minimum', 'promoted'>, BaseOptions> = mergeFunction(Minimum);

registerLayer('Minimum', (_config, name) => Minimum(named(name)));
