// Dot: the dot product of two tensors along one axis of each, per sample, Keras's `Dot(axes, normalize)`. Keras 3:
// keras/src/layers/merging/dot.py (compute_output_shape: the first input's shape without its axis, then the
// second's without its axis and the batch; a result of the batch alone becomes [1]; batch_dot computes it at any
// rank). tfjs-layers' Dot stops at rank 3 (with the batch), so this one is written with the public layer API.
import * as tf from '@tensorflow/tfjs';
import { type AxisMismatchMessage, type BadAxisMessage, describe, fail, type InputCountMessage } from '../../errors.ts';
import { type AxisIndex, axisIndex } from '../../shapes/axis.ts';
import type { Dim, IsUnknownRank, Shape } from '../../shapes/dim.ts';
import { defineMergeLayer } from '../define.ts';
import {
  type InputsOf,
  type MergeCheck,
  type MergeLayer,
  type MergeOutOf,
  type MergeRule,
  mergeFunction,
  type Ok,
  type TensorInfo,
} from '../layer.ts';
import { type BaseOptions, boolean } from '../options.ts';
import { registerLayer } from '../registry.ts';
import type { AnyTensor, DType, SymbolicTensor } from '../tensor.ts';

export interface DotOptions extends BaseOptions {
  /** L2-normalize each input along its axis first, so that the result is the cosine similarity. Default `false`. */
  readonly normalize?: boolean;
}

/** `axes` as written: one axis for both inputs, or one per input (Keras numbering: 1 is the first after the batch). */
export type DotAxes = number | readonly [number, number];

type _Pair<Axes extends DotAxes> = Axes extends number
  ? [Axes, Axes]
  : Axes extends readonly [infer First extends number, infer Second extends number]
    ? [First, Second]
    : [number, number];

type _Shape<T> = T extends SymbolicTensor<infer S, DType, string> ? S : never;

/** The shape without the element at Index. */
type _Without<S extends Shape, Index extends number, Done extends Dim[] = []> = S extends readonly [
  infer First extends Dim,
  ...infer Rest extends Shape,
]
  ? Done['length'] extends Index
    ? [...Done, ...Rest]
    : _Without<Rest, Index, [...Done, First]>
  : Done;

type _Equal<A extends Dim, B extends Dim> = A extends null
  ? true
  : B extends null
    ? true
    : number extends A | B
      ? true
      : [A] extends [B]
        ? true
        : false;

type _Note<
  First extends number,
  Second extends number,
> = `Dot sums axis ${First} of the first input against axis ${Second} of the second; their sizes must be equal`;

type _DotOf<First extends Shape, Second extends Shape, Axes extends [number, number]> =
  IsUnknownRank<First> extends true
    ? Ok<Dim[], 'float32'>
    : IsUnknownRank<Second> extends true
      ? Ok<Dim[], 'float32'>
      : number extends Axes[0] | Axes[1]
        ? Ok<Dim[], 'float32'>
        : [AxisIndex<Axes[0], First['length']>] extends [never]
          ? BadAxisMessage<'Dot', Axes[0], First>
          : [AxisIndex<Axes[1], Second['length']>] extends [never]
            ? BadAxisMessage<'Dot', Axes[1], Second>
            : _Equal<
                  First[AxisIndex<Axes[0], First['length']>],
                  Second[AxisIndex<Axes[1], Second['length']>]
                > extends true
              ? [
                  ..._Without<First, AxisIndex<Axes[0], First['length']>>,
                  ..._Without<Second, AxisIndex<Axes[1], Second['length']>>,
                ] extends infer Out extends Dim[]
                ? Ok<Out['length'] extends 0 ? [1] : Out, 'float32'>
                : never
              : AxisMismatchMessage<'Dot', Axes[0], First, Second, _Note<Axes[0], Axes[1]>>;

/**
 * Two inputs; the summed axes exist and have one size (an unknown size matches any); the rest of both shapes out.
 * @example DotShape<[SymbolicTensor<[3, 5], 'float32'>, SymbolicTensor<[10, 3], 'float32'>], [1, 2]> //=> Ok<[5, 10], 'float32'>
 */
export type DotShape<Inputs extends readonly AnyTensor[], Axes extends [number, number]> = Inputs extends readonly [
  infer First,
  infer Second,
]
  ? _DotOf<_Shape<First>, _Shape<Second>, Axes>
  : InputCountMessage<'Dot', 'exactly 2', Inputs['length']>;

export interface DotRule<in out Axes extends [number, number]> extends MergeRule {
  readonly layer: 'Dot';
  readonly output: DotShape<InputsOf<this>, Axes>;
}

/** The indices into each shape that the axes name, after checking both inputs and the sizes they sum over. */
function dotIndices(inputs: readonly TensorInfo[], axes: readonly [number, number]): [number, number] {
  const [first, second] = inputs;
  if (inputs.length !== 2 || first === undefined || second === undefined)
    return fail({ code: 'input-count', layer: 'Dot', expected: 'exactly 2', received: inputs.length });
  const [axis0, axis1] = axes;
  const index0 = axisIndex(axis0, first.shape.length);
  if (index0 === undefined) return fail({ code: 'bad-axis', layer: 'Dot', axis: axis0, received: first.shape });
  const index1 = axisIndex(axis1, second.shape.length);
  if (index1 === undefined) return fail({ code: 'bad-axis', layer: 'Dot', axis: axis1, received: second.shape });
  const size0 = first.shape[index0] ?? null;
  const size1 = second.shape[index1] ?? null;
  if (size0 !== null && size1 !== null && size0 !== size1)
    fail({
      code: 'axis-mismatch',
      layer: 'Dot',
      axis: axis0,
      shapes: [first.shape, second.shape],
      note: `Dot sums axis ${axis0} of the first input against axis ${axis1} of the second; their sizes must be equal`,
    });
  return [index0, index1];
}

/** Keras's normalize(x, axis): x / sqrt(max(sum(x^2), epsilon^2)), epsilon = backend.epsilon() = 1e-7. */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-14)));
}

const DotClass = defineMergeLayer({
  className: 'Dot',
  config: ({ axes, normalize = false }) => {
    const pair = typeof axes === 'number' ? [axes, axes] : axes;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every(Number.isInteger))
      fail({
        code: 'option',
        layer: 'Dot',
        option: 'axes',
        expected: 'an integer or a pair of them',
        received: describe(axes),
      });
    const [axis0, axis1] = pair.map(Number);
    return { axes: [axis0 ?? -1, axis1 ?? -1], normalize: boolean('Dot', 'normalize', normalize) };
  },
  outputShape(inputs, { axes: [axis0 = -1, axis1 = -1] }) {
    const [index0, index1] = dotIndices(inputs, [axis0, axis1]);
    const first = inputs[0]?.shape ?? [];
    const second = inputs[1]?.shape ?? [];
    const shape = [...first.filter((_, index) => index !== index0), ...second.filter((_, index) => index !== index1)];
    return { shape: shape.length === 0 ? [1] : shape, dtype: 'float32' };
  },
  // Keras's batch_dot: the first input's axis moved last and its other axes flattened, the second's axis moved
  // first (after the batch) and its other axes flattened, a batched matmul, and the kept axes restored.
  call([a, b], _weights, { config: { axes, normalize } }) {
    if (a === undefined || b === undefined)
      return fail({ code: 'input-count', layer: 'Dot', expected: 'exactly 2', received: a === undefined ? 0 : 1 });
    const along0 = (axisIndex(axes[0] ?? -1, a.rank - 1) ?? 0) + 1;
    const along1 = (axisIndex(axes[1] ?? -1, b.rank - 1) ?? 0) + 1;
    let x = tf.cast(a, 'float32');
    let y = tf.cast(b, 'float32');
    if (normalize) {
      x = l2Normalize(x, along0);
      y = l2Normalize(y, along1);
    }
    const batch = x.shape[0] ?? 1;
    const depth = x.shape[along0] ?? 1;
    const kept0 = x.shape.filter((_, axis) => axis !== 0 && axis !== along0);
    const kept1 = y.shape.filter((_, axis) => axis !== 0 && axis !== along1);
    const order0 = [...x.shape.keys()].filter((axis) => axis !== along0);
    const order1 = [...y.shape.keys()].filter((axis) => axis !== 0 && axis !== along1);
    const rows = tf.reshape(tf.transpose(x, [...order0, along0]), [batch, -1, depth]);
    const columns = tf.reshape(tf.transpose(y, [0, along1, ...order1]), [batch, depth, -1]);
    const product = tf.matMul(rows, columns);
    const kept = [...kept0, ...kept1];
    return tf.reshape(product, [batch, ...(kept.length === 0 ? [1] : kept)]);
  },
});

/**
 * `Dot(axes, { normalize = false, name })([a, b])`.
 * @example Dot(1)([Input([8]), Input([8])]) //=> SymbolicTensor<[1], 'float32', never>
 * @example Dot([2, 2])([Input([5, 4]), Input([7, 4])]) //=> SymbolicTensor<[5, 7], 'float32', never>
 */
export function Dot<const Axes extends DotAxes>(axes: Axes, options?: DotOptions): MergeLayer<DotRule<_Pair<Axes>>> {
  return DotClass.create({ ...options, axes });
}

/**
 * `dot([a, b], axes, { normalize = false, name })`, Keras's `keras.layers.dot`: Dot(axes, { normalize })([a, b]).
 * @example dot([Input([8]), Input([8])], 1) //=> SymbolicTensor<[1], 'float32', never>
 */
export function dot<const Inputs extends readonly unknown[], const Axes extends DotAxes>(
  inputs: Inputs & MergeCheck<DotRule<_Pair<Axes>>, Inputs>,
  axes: Axes,
  options?: DotOptions,
): MergeOutOf<DotRule<_Pair<Axes>>, Inputs> {
  return mergeFunction((opts?: DotOptions) => Dot(axes, opts))(inputs, options);
}

registerLayer('Dot', (config, name) => DotClass.fromConfig(config, name));
