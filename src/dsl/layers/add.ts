// Add: the element-wise sum of two or more tensors of equal shape.
import * as tf from '@tensorflow/tfjs';
import { type ElementwiseRule, elementwiseLayer } from '../elementwise.ts';
import { type MergeFunction, type MergeLayer, mergeFunction } from '../layer.ts';
import type { BaseOptions } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `Add({ name })([a, b, ...])`: int32 when every input is int32, else float32, as tfjs computes it.
 * @example Add()([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Add(options?: BaseOptions): MergeLayer<ElementwiseRule<'Add', 'promoted'>> {
  return elementwiseLayer('Add', options, 'promoted', (name) => tf.layers.add({ name }));
}

/**
 * `add([a, b, ...], { name })`, Keras's `keras.layers.add`: Add()([a, b, ...]) in one call.
 * @example add([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export const add: MergeFunction<ElementwiseRule<'Add', 'promoted'>, BaseOptions> = mergeFunction(Add);

registerLayer('Add', (_config, name) => Add(named(name)));
