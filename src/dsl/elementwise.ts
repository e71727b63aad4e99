// What Add, Multiply and Average share: two or more inputs of one rank whose shapes broadcast (each size equal
// or 1, as in Keras; an unknown dimension matches any), combined element by element. Each of those layers' files supplies its name, its result's dtype and its tfjs
// lowering.
import type * as tf from '@tensorflow/tfjs';
import { type AxisMismatchMessage, fail, type InputCountMessage, type RankMismatchMessage } from '../errors.ts';
import type { Dim, IsUnknownRank, Shape } from '../shapes/dim.ts';
import { type BroadcastShapes, broadcastShapes, type Disagreement } from '../shapes/merge.ts';
import { type InputsOf, type MergeLayer, type MergeRule, mergeLayer, type Ok, type TensorInfo } from './layer.ts';
import { optionsObject } from './options.ts';
import type { AnyTensor, DType, SymbolicTensor } from './tensor.ts';

type _Parts<T> = T extends SymbolicTensor<infer S, infer D, string> ? [S, D] : never;

/**
 * The dtype of the result: `'promoted'`, int32 when every input is int32 and float32 otherwise (a sum or product,
 * as tfjs and Keras compute it); `'float32'` whatever the inputs (a mean).
 */
export type ElementwiseDType = 'promoted' | 'float32';

type _ResultDType<Result extends ElementwiseDType, Inputs extends readonly AnyTensor[]> = Result extends 'float32'
  ? 'float32'
  : 'float32' extends _Parts<Inputs[number]>[1]
    ? 'float32'
    : 'int32';

/**
 * Shapes that broadcast in (sizes equal, or 1), the broadcast shape out.
 * @example ElementwiseShape<'Add', [SymbolicTensor<[null, 8], 'float32'>, SymbolicTensor<[4, 8], 'float32'>]> //=> Ok<[4, 8], 'float32'>
 * @example ElementwiseShape<'Add', [SymbolicTensor<[1, 8], 'float32'>, SymbolicTensor<[4, 8], 'float32'>]> //=> Ok<[4, 8], 'float32'>
 */
export type ElementwiseShape<
  Layer extends string,
  Inputs extends readonly AnyTensor[],
  Result extends ElementwiseDType = 'promoted',
> = Inputs extends readonly [infer First extends AnyTensor, AnyTensor, ...infer Rest extends readonly AnyTensor[]]
  ? true extends { [Index in keyof Inputs]: IsUnknownRank<_Parts<Inputs[Index]>[0]> }[number]
    ? Ok<Dim[], _ResultDType<Result, Inputs>>
    : _Combine<
        Layer,
        _Parts<First>[0],
        Inputs extends readonly [AnyTensor, ...infer Others] ? Others : Rest,
        _ResultDType<Result, Inputs>
      >
  : InputCountMessage<Layer, 'at least 2', Inputs['length']>;

type _Combine<
  Layer extends string,
  Acc extends Shape,
  Rest extends readonly unknown[],
  D extends DType,
> = Rest extends readonly [infer Next, ...infer Others]
  ? _Parts<Next>[0] extends infer S extends Shape
    ? S['length'] extends Acc['length']
      ? BroadcastShapes<Acc, S> extends infer Merged
        ? Merged extends Disagreement<infer Bad>
          ? AxisMismatchMessage<Layer, Bad, Acc, S, `${Layer} needs equal sizes, or 1 on either side`>
          : Merged extends Shape
            ? _Combine<Layer, Merged, Others, D>
            : never
        : never
      : RankMismatchMessage<Layer, Acc, S, ''>
    : never
  : Ok<[...Acc], D>;

export interface ElementwiseRule<in out Layer extends string, in out Result extends ElementwiseDType>
  extends MergeRule {
  readonly layer: Layer;
  readonly output: ElementwiseShape<Layer, InputsOf<this>, Result>;
}

/** The value-level twin of ElementwiseShape: the inputs' common shape and the result's dtype. */
export function elementwiseOutput(
  className: string,
  inputs: readonly TensorInfo[],
  result: ElementwiseDType,
): TensorInfo {
  const [first, ...rest] = inputs;
  if (first === undefined || rest.length === 0)
    return fail({ code: 'input-count', layer: className, expected: 'at least 2', received: inputs.length });
  let merged: readonly Dim[] = first.shape;
  for (const { shape } of rest) {
    if (shape.length !== merged.length)
      fail({ code: 'rank-mismatch', layer: className, shapes: [merged, shape], hint: '' });
    const next = broadcastShapes(merged, shape);
    if (!Array.isArray(next))
      return fail({
        code: 'axis-mismatch',
        layer: className,
        axis: next.disagreeOn,
        shapes: [merged, shape],
        note: `${className} needs equal sizes, or 1 on either side`,
      });
    merged = next;
  }
  const float = result === 'float32' || inputs.some(({ dtype }) => dtype === 'float32');
  return { shape: merged, dtype: float ? 'float32' : 'int32' };
}

/** The value level of an elementwise merge layer. */
export function elementwiseLayer<Layer extends string, Result extends ElementwiseDType>(
  className: Layer,
  options: unknown,
  result: Result,
  lower: (name: string) => tf.layers.Layer,
): MergeLayer<ElementwiseRule<Layer, Result>> {
  const opts = optionsObject(className, options);
  return mergeLayer(
    {
      className,
      config: {},
      outputShape: (inputs) => elementwiseOutput(className, inputs, result),
      weights: () => [],
      lower,
    },
    opts.name,
    opts.trainable,
  );
}
