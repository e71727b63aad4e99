// Add: the element-wise sum of two or more tensors of equal shape.
import * as tf from '@tensorflow/tfjs';
import { type ElementwiseRule, elementwiseLayer } from '../elementwise.ts';
import type { MergeLayer } from '../layer.ts';
import type { BaseOptions } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `Add({ name })([a, b, ...])`.
 * @example Add()([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Add(options?: BaseOptions): MergeLayer<ElementwiseRule<'Add'>> {
  return elementwiseLayer('Add', options, (name) => tf.layers.add({ name }));
}

registerLayer('Add', (_config, name) => Add(named(name)));
