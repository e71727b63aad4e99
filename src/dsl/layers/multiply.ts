// Multiply: the element-wise product of two or more tensors of equal shape.
import * as tf from '@tensorflow/tfjs';
import { type ElementwiseRule, elementwiseLayer } from '../elementwise.ts';
import { type MergeFunction, type MergeLayer, mergeFunction } from '../layer.ts';
import type { BaseOptions } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `Multiply({ name })([a, b, ...])`: int32 when every input is int32, else float32, as tfjs computes it.
 * @example Multiply()([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Multiply(options?: BaseOptions): MergeLayer<ElementwiseRule<'Multiply', 'promoted'>> {
  return elementwiseLayer('Multiply', options, 'promoted', (name) => tf.layers.multiply({ name }));
}

/**
 * `multiply([a, b, ...], { name })`, Keras's `keras.layers.multiply`: Multiply()([a, b, ...]) in one call.
 * @example multiply([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export const multiply: MergeFunction<ElementwiseRule<'Multiply', 'promoted'>, BaseOptions> = mergeFunction(Multiply);

registerLayer('Multiply', (_config, name) => Multiply(named(name)));
