// Maximum: the element-wise maximum of two or more tensors whose shapes broadcast (each size equal, or 1), as Add. Keras 3:
// keras/src/layers/merging/maximum.py (no weights; the shape rule is base_merge.py's broadcast).
import * as tf from '@tensorflow/tfjs';
import { type ElementwiseRule, elementwiseLayer } from '../elementwise.ts';
import { type MergeFunction, type MergeLayer, mergeFunction } from '../layer.ts';
import type { BaseOptions } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `Maximum({ name })([a, b, ...])`: int32 when every input is int32, else float32.
 * @example Maximum()([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Maximum(options?: BaseOptions): MergeLayer<ElementwiseRule<'Maximum', 'promoted'>> {
  return elementwiseLayer('Maximum', options, 'promoted', (name) => tf.layers.maximum({ name }));
}

/**
 * `maximum([a, b, ...], { name })`, Keras's `keras.layers.maximum`: Maximum()([a, b, ...]) in one call.
 * @example maximum([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export const maximum: MergeFunction<ElementwiseRule<'Maximum', 'promoted'>, BaseOptions> = mergeFunction(Maximum);

registerLayer('Maximum', (_config, name) => Maximum(named(name)));
