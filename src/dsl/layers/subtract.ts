// Subtract: the element-wise difference of exactly two tensors of equal shape, Keras's `Subtract`. tfjs-layers
// has no such layer; this one is written with the public layer API (defineMergeLayer), as a user would.
import * as tf from '@tensorflow/tfjs';
import { fail, type InputCountMessage } from '../../errors.ts';
import { defineMergeLayer } from '../define.ts';
import { type ElementwiseShape, elementwiseOutput } from '../elementwise.ts';
import { type InputsOf, type MergeFunction, type MergeLayer, type MergeRule, mergeFunction } from '../layer.ts';
import type { BaseOptions } from '../options.ts';
import { registerLayer } from '../registry.ts';
import type { AnyTensor } from '../tensor.ts';

/**
 * `a - b`: equal shapes (an unknown size matches any); int32 when both are int32, else float32.
 * @example SubtractShape<[SymbolicTensor<[8], 'float32'>, SymbolicTensor<[null], 'float32'>]> //=> Ok<[8], 'float32'>
 */
export type SubtractShape<Inputs extends readonly AnyTensor[]> = Inputs['length'] extends 2
  ? ElementwiseShape<'Subtract', Inputs, 'promoted'>
  : InputCountMessage<'Subtract', 'exactly 2', Inputs['length']>;

export interface SubtractRule extends MergeRule {
  readonly layer: 'Subtract';
  readonly output: SubtractShape<InputsOf<this>>;
}

const SubtractClass = defineMergeLayer({
  className: 'Subtract',
  config: () => ({}),
  outputShape(inputs) {
    if (inputs.length !== 2)
      fail({ code: 'input-count', layer: 'Subtract', expected: 'exactly 2', received: inputs.length });
    return elementwiseOutput('Subtract', inputs, 'promoted');
  },
  call([a, b]) {
    if (a === undefined || b === undefined)
      return fail({ code: 'input-count', layer: 'Subtract', expected: 'exactly 2', received: a === undefined ? 0 : 1 });
    return tf.sub(a, b);
  },
});

/**
 * `Subtract({ name })([a, b])`: `a - b`.
 * @example Subtract()([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Subtract(options?: BaseOptions): MergeLayer<SubtractRule> {
  return SubtractClass.create(options);
}

/**
 * `subtract([a, b, ...], { name })`, Keras's `keras.layers.subtract`: Subtract()([a, b, ...]) in one call.
 * @example subtract([Input([8]), Input([8])]) //=> SymbolicTensor<[8], 'float32', never>
 */
export const subtract: MergeFunction<SubtractRule, BaseOptions> = mergeFunction(Subtract);

registerLayer('Subtract', (config, name) => SubtractClass.fromConfig(config, name));
