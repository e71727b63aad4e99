// Input: the entry point of a model. `Input([64, 64, 3])` is Keras's `Input(shape=(64, 64, 3))`; the batch
// axis is implicit. A `name` the compiler can see lets Model check at compile time that it lists this input.
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage } from '../../errors.ts';
import type { Dim, MutableShape, Shape } from '../../shapes/dim.ts';
import { isPositiveInteger } from '../../shapes/dim.ts';
import { LayerCore, uniqueName } from '../layer.ts';
import { oneOf, optionsObject } from '../options.ts';
import type { AnyTensor, DType, SymbolicTensor } from '../tensor.ts';

export interface InputOptions<D extends DType, Name extends string> {
  /** `'float32'` (default) or `'int32'` (token ids for an Embedding). */
  readonly dtype?: D;
  /** The input's name; also the key of this input in `fit`'s data records. */
  readonly name?: Name;
}

/**
 * `unknown` where every dimension is a positive integer or null; the message where one is not. Intersected
 * with the shape parameter (rather than replacing it) so that the literal is still inferred as a tuple.
 */
export type InputShapeCheck<S extends Shape> =
  _FirstBadDim<S> extends [infer Index extends number, infer Bad extends number]
    ? OptionMessage<'Input', `shape[${Index}]`, 'a positive integer or null', Bad>
    : unknown;

type _FirstBadDim<S extends Shape, Seen extends unknown[] = []> = S extends readonly [
  infer Head extends Dim,
  ...infer Rest extends Shape,
]
  ? Head extends number
    ? number extends Head
      ? _FirstBadDim<Rest, [...Seen, unknown]>
      : `${Head}` extends `-${string}` | '0'
        ? [Seen['length'], Head]
        : `${Head}` extends `${bigint}`
          ? _FirstBadDim<Rest, [...Seen, unknown]>
          : [Seen['length'], Head]
    : _FirstBadDim<Rest, [...Seen, unknown]>
  : 'none';

/**
 * A symbolic input of per-sample shape `shape`.
 * @example Input([64, 64, 3]) //=> SymbolicTensor<[64, 64, 3], 'float32', never>
 * @example Input([100], { dtype: 'int32', name: 'ids' }) //=> SymbolicTensor<[100], 'int32', 'ids'>
 */
export function Input<const S extends Shape, D extends DType = 'float32', const Name extends string = never>(
  shape: S & InputShapeCheck<S>,
  options?: InputOptions<D, Name>,
): SymbolicTensor<MutableShape<S>, D, Name>;
export function Input(shape: unknown, options?: unknown): AnyTensor {
  const opts = optionsObject('Input', options);
  if (!Array.isArray(shape))
    fail({
      code: 'option',
      layer: 'Input',
      option: 'shape',
      expected: 'an array of dimensions',
      received: describe(shape),
    });
  const dims = shape.map((dim: unknown, index): Dim => {
    if (dim === null || isPositiveInteger(dim)) return dim;
    return fail({
      code: 'option',
      layer: 'Input',
      option: `shape[${index}]`,
      expected: 'a positive integer or null',
      received: describe(dim),
    });
  });
  const dtype = oneOf('Input', 'dtype', opts.dtype ?? 'float32', ['float32', 'int32']);
  const core = new LayerCore(
    {
      className: 'InputLayer',
      config: { batchInputShape: [null, ...dims], dtype },
      outputShape: () => ({ shape: dims, dtype }),
      weights: () => [],
      lower: (name) => tf.layers.inputLayer({ batchInputShape: [null, ...dims], dtype, name }),
    },
    // Keras numbers inputs from 1: input_1, input_2, ...
    opts.name ?? uniqueName('input', true),
  );
  return core.recordOne([], { shape: dims, dtype });
}

/** `true` for a tensor made by Input. */
export function isInput(tensor: AnyTensor): boolean {
  return tensor.node.inputs.length === 0 && tensor.node.layer.className === 'InputLayer';
}
