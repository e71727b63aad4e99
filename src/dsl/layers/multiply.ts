// Multiply: the element-wise product of two or more tensors of equal shape.
import * as tf from '@tensorflow/tfjs';
import { type ElementwiseRule, elementwiseLayer } from '../elementwise.ts';
import type { MergeLayer } from '../layer.ts';
import type { BaseOptions } from '../options.ts';
import { named, registerLayer } from '../registry.ts';

/**
 * `Multiply({ name })([a, b, ...])`: int32 when every input is int32, else float32, as tfjs computes it.
 * @example Multiply()([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Multiply(options?: BaseOptions): MergeLayer<ElementwiseRule<'Multiply', 'promoted'>> {
  return elementwiseLayer('Multiply', options, 'promoted', (name) => tf.layers.multiply({ name }));
}

registerLayer('Multiply', (_config, name) => Multiply(named(name)));
