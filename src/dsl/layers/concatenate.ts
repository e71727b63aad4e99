// Concatenate: joins two or more tensors along one axis; every other axis must agree.
import * as tf from '@tensorflow/tfjs';
import {
  type AxisMismatchMessage,
  type BadAxisMessage,
  describe,
  fail,
  type InputCountMessage,
  type RankMismatchMessage,
} from '../../errors.ts';
import type { Add } from '../../shapes/arithmetic.ts';
import { type AxisIndex, axisIndex } from '../../shapes/axis.ts';
import type { Dim, IsUnknownRank, Shape } from '../../shapes/dim.ts';
import { type Disagreement, type MergeShapes, mergeShapes } from '../../shapes/merge.ts';
import { floatInputs } from '../float-inputs.ts';
import {
  callOnList,
  type InputsOf,
  type MergeCheck,
  type MergeLayer,
  type MergeOutOf,
  type MergeRule,
  mergeLayer,
  type Ok,
} from '../layer.ts';
import { type BaseOptions, type Opt, optionsObject } from '../options.ts';
import { named, registerLayer } from '../registry.ts';
import type { AnyTensor, DType, SymbolicTensor } from '../tensor.ts';

export interface ConcatenateOptions extends BaseOptions {
  /** The axis to join along, Keras numbering (the batch is 0). Default -1, the last. */
  readonly axis?: number;
}

type _Hint<S extends Shape> = S['length'] extends 0 | 1 ? '' : 'Flatten first?';
type _Note<
  Axis extends number,
  S extends Shape,
> = `only axis ${Axis} may differ${_Hint<S> extends '' ? '' : `; ${_Hint<S>}`}`;

type _Parts<T> = T extends SymbolicTensor<infer S, infer D, string> ? [S, D] : never;

/** int32 when every input is int32; float32 as soon as one is (tf.concat would truncate the floats). */
type _DType<Inputs extends readonly AnyTensor[]> = 'float32' extends _Parts<Inputs[number]>[1] ? 'float32' : 'int32';

/**
 * Sums the axis, merges every other one.
 * @example ConcatenateShape<[SymbolicTensor<[32], 'float32'>, SymbolicTensor<[64], 'float32'>], -1> //=> Ok<[96], 'float32'>
 */
export type ConcatenateShape<Inputs extends readonly AnyTensor[], Axis extends number> = Inputs extends readonly [
  infer First extends AnyTensor,
  AnyTensor,
  ...AnyTensor[],
]
  ? true extends { [Index in keyof Inputs]: IsUnknownRank<_Parts<Inputs[Index]>[0]> }[number]
    ? Ok<Dim[], _DType<Inputs>>
    : _Parts<First> extends [infer S extends Shape, DType]
      ? [AxisIndex<Axis, S['length']>] extends [never]
        ? BadAxisMessage<'Concatenate', Axis, S>
        : AxisIndex<Axis, S['length']> extends infer Index extends number
          ? _Join<
              S,
              Inputs extends readonly [AnyTensor, ...infer Rest] ? Rest : [],
              Axis,
              Index,
              S[Index & keyof S] & Dim,
              _DType<Inputs>
            >
          : never
      : never
  : InputCountMessage<'Concatenate', 'at least 2', Inputs['length']>;

type _Join<
  Acc extends Shape,
  Rest extends readonly unknown[],
  Axis extends number,
  Index extends number,
  Sum extends Dim,
  D extends DType,
> = Rest extends readonly [infer Next, ...infer Others]
  ? _Parts<Next>[0] extends infer S extends Shape
    ? S['length'] extends Acc['length']
      ? MergeShapes<Acc, S, Index> extends infer Merged
        ? Merged extends Disagreement<infer Bad>
          ? AxisMismatchMessage<'Concatenate', Bad, Acc, S, _Note<Axis, Acc>>
          : Merged extends Shape
            ? _Join<Merged, Others, Axis, Index, _Sum<Sum, S[Index & keyof S] & Dim>, D>
            : never
        : never
      : RankMismatchMessage<'Concatenate', Acc, S, _Hint<Acc> extends '' ? _Hint<S> : _Hint<Acc>>
    : never
  : Ok<{ [Position in keyof Acc]: Position extends `${Index}` ? Sum : Acc[Position] }, D>;

type _Sum<A extends Dim, B extends Dim> = A extends number ? (B extends number ? Add<A, B> : null) : null;

export interface ConcatenateRule<in out Axis extends number> extends MergeRule {
  readonly layer: 'Concatenate';
  readonly output: ConcatenateShape<InputsOf<this>, Axis>;
}

/**
 * `Concatenate({ axis = -1, name })([a, b, ...])`.
 * @example Concatenate()([Input([32]), Input([64])]) //=> SymbolicTensor<[96], 'float32', never>
 */
export function Concatenate<const Options extends ConcatenateOptions = Record<never, never>>(
  options?: Options,
): MergeLayer<ConcatenateRule<Opt<Options, 'axis', -1>>>;
export function Concatenate(options?: unknown): MergeLayer<MergeRule> {
  return concatenateLayer(options);
}

/** Concatenate from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function concatenateLayer(options: unknown): MergeLayer<MergeRule> {
  const opts = optionsObject('Concatenate', options);
  const axis = opts.axis ?? -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    fail({ code: 'option', layer: 'Concatenate', option: 'axis', expected: 'an integer', received: describe(axis) });
  const hint = (shape: readonly Dim[]): string => (shape.length > 1 ? 'Flatten first?' : '');
  return mergeLayer(
    {
      className: 'Concatenate',
      config: { axis },
      outputShape(inputs) {
        const [first, ...rest] = inputs;
        if (first === undefined || rest.length === 0)
          return fail({ code: 'input-count', layer: 'Concatenate', expected: 'at least 2', received: inputs.length });
        const index = axisIndex(axis, first.shape.length);
        if (index === undefined) return fail({ code: 'bad-axis', layer: 'Concatenate', axis, received: first.shape });
        let merged: readonly Dim[] = first.shape;
        let sum: Dim = first.shape[index] ?? null;
        for (const { shape } of rest) {
          if (shape.length !== merged.length)
            fail({
              code: 'rank-mismatch',
              layer: 'Concatenate',
              shapes: [merged, shape],
              hint: hint(merged) || hint(shape),
            });
          const next = mergeShapes(merged, shape, index);
          if (!Array.isArray(next)) {
            const note = `only axis ${axis} may differ${hint(merged) ? `; ${hint(merged)}` : ''}`;
            return fail({
              code: 'axis-mismatch',
              layer: 'Concatenate',
              axis: next.disagreeOn,
              shapes: [merged, shape],
              note,
            });
          }
          const dim = shape[index] ?? null;
          sum = sum === null || dim === null ? null : sum + dim;
          merged = next;
        }
        const dtype = inputs.every((input) => input.dtype === 'int32') ? 'int32' : 'float32';
        return { shape: merged.map((dim, position) => (position === index ? sum : dim)), dtype };
      },
      // Each input, with the other inputs' sizes where it does not know its own (only the axis may differ).
      impliedInputs(inputs) {
        const [first] = inputs;
        const index = first === undefined ? undefined : axisIndex(axis, first.shape.length);
        const known =
          index === undefined
            ? []
            : inputs.reduce((merged: readonly Dim[], { shape }) => {
                const next = mergeShapes(merged, shape, index);
                return Array.isArray(next) ? next : merged;
              }, first?.shape ?? []);
        return inputs.map(({ shape, dtype }) => ({
          shape: shape.map((dim, position) => (position === index ? dim : (known[position] ?? dim))),
          dtype,
        }));
      },
      weights: () => [],
      // tfjs-layers runs every negative axis as the last (its shapes use the axis asked for): lower it as a
      // positive one, which needs the rank of the calls.
      lower(name, calls) {
        const ranks = [...new Set(calls.map(([first]) => first?.shape.length ?? 0))];
        const [rank] = ranks;
        if (ranks.length > 1 && axis < -1)
          return fail({ code: 'shared-axis', layer: 'Concatenate', name, axis, ranks });
        const layer = tf.layers.concatenate({ axis: axis >= -1 || rank === undefined ? axis : rank + 1 + axis, name });
        // Mixed dtypes join as float32, as declared: tf.concat would cast the floats to the first input's int32.
        const mixed = calls.some((inputs) => new Set(inputs.map((input) => input.dtype)).size > 1);
        return mixed ? floatInputs(layer) : layer;
      },
    },
    opts.name,
    opts.trainable,
  );
}

/**
 * `concatenate([a, b, ...], axis = -1, { name })`, Keras's `keras.layers.concatenate`: Concatenate({ axis })([a, b]).
 * @example concatenate([Input([32]), Input([64])]) //=> SymbolicTensor<[96], 'float32', never>
 */
export function concatenate<const Inputs extends readonly unknown[], const Axis extends number = -1>(
  inputs: Inputs & MergeCheck<ConcatenateRule<Axis>, Inputs>,
  axis?: Axis,
  options?: BaseOptions,
): MergeOutOf<ConcatenateRule<Axis>, Inputs>;
export function concatenate(inputs: unknown, axis?: unknown, options?: BaseOptions): AnyTensor | AnyTensor[] {
  return callOnList(concatenateLayer({ ...options, axis: axis ?? -1 }).core, inputs);
}

registerLayer('Concatenate', (config, name) => concatenateLayer({ ...config, ...named(name) }));
