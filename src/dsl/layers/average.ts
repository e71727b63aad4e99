// Average: the element-wise mean of two or more tensors of equal shape.
import * as tf from '@tensorflow/tfjs';
import { type ElementwiseRule, elementwiseLayer } from '../elementwise.ts';
import { type MergeFunction, type MergeLayer, mergeFunction } from '../layer.ts';
import type { BaseOptions } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `Average({ name })([a, b, ...])`: always float32, as tfjs computes it.
 * @example Average()([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Average(options?: BaseOptions): MergeLayer<ElementwiseRule<'Average', 'float32'>> {
  return elementwiseLayer('Average', options, 'float32', (name) => tf.layers.average({ name }));
}

/**
 * `average([a, b, ...], { name })`, Keras's `keras.layers.average`: Average()([a, b, ...]) in one call.
 * @example average([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export const average: MergeFunction<ElementwiseRule<'Average', 'float32'>, BaseOptions> = mergeFunction(Average);

registerLayer('Average', (_config, name) => Average(named(name)));
