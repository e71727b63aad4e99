// Lambda: a weightless computation written as a function of tfjs tensors, Keras's `Lambda(function,
// output_shape)`. On one tensor without outputShape the output has the input's shape; on a list of tensors
// (a siamese distance) outputShape is required. A save holds no code: it names the function (and an outputShape
// function), and loadModel finds them in `customLayers` by those names, as Keras's custom_objects; an anonymous
// function cannot be named, so a model holding one cannot be saved (Keras would pickle its bytecode, and refuse to
// load it unless safe_mode=False).
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../../errors.ts';
import { isRecord } from '../../json.ts';
import type { Dim, Shape } from '../../shapes/dim.ts';
import { isPositiveInteger } from '../../shapes/dim.ts';
import { defineMergeLayer } from '../define.ts';
import {
  type InputOf,
  type InputsOf,
  type JsonValue,
  type LayerHandle,
  type LayerInput,
  type LayerOutOf,
  layerHandle,
  type MergeCheck,
  type MergeOut,
  type MergeRule,
  type Ok,
  type Rule,
  type TensorInfo,
} from '../layer.ts';
import { type BaseOptions, optionsObject } from '../options.ts';
import { registerLayer } from '../registry.ts';
import type { AnyTensor } from '../tensor.ts';

/** The function of a Lambda on one tensor. */
export type LambdaFunction = (input: tf.Tensor) => tf.Tensor;
/** The function of a Lambda on a list of tensors. */
export type LambdaListFunction = (inputs: tf.Tensor[]) => tf.Tensor;

/**
 * An output shape: a tuple (without the batch), or a function of the input's shape (of each input's, for a list),
 * whose declared result is the output's type (`(shape): [12] => [12]`; unannotated, `number[]`, a rank the
 * compiler does not know, which every layer accepts).
 */
export type LambdaOutputShape<Out extends Shape> =
  | Out
  | ((input: readonly Dim[]) => Out)
  | ((inputs: readonly (readonly Dim[])[]) => Out);

export interface LambdaOptions<Out extends Shape> extends BaseOptions {
  readonly outputShape: LambdaOutputShape<Out>;
}

/** `'same'`: the input's shape (no outputShape given). */
type _Out = Shape | 'same';

export interface LambdaRule<in out Out extends _Out> extends Rule {
  readonly output: Ok<Out extends Shape ? Out : InputOf<this>, 'float32'>;
}

export interface LambdaListRule<in out Out extends _Out> extends MergeRule {
  readonly layer: 'Lambda';
  readonly output: Out extends Shape
    ? InputsOf<this> extends readonly AnyTensor[]
      ? Ok<Out, 'float32'>
      : never
    : typeof listNeedsShape;
}

const listNeedsShape = 'Lambda: on a list of inputs it needs outputShape; pass Lambda(fn, { outputShape })';

/** A Lambda layer: call it on a tensor, or on a list of tensors when it has an outputShape. */
export interface LambdaLayer<Out extends _Out> extends LayerHandle {
  <const T>(input: LayerInput<LambdaRule<Out>, T>): LayerOutOf<LambdaRule<Out>, T>;
  <const Inputs extends readonly unknown[]>(
    inputs: Inputs & MergeCheck<LambdaListRule<Out>, Inputs>,
  ): MergeOut<LambdaListRule<Out>, Inputs>;
}

/**
 * `Lambda(fn, { outputShape, name })`, Keras's `Lambda`. The result is float32.
 * A function of a list states its parameter's type (`([a, b]: tf.Tensor[]) => ...`), so that the compiler can tell it
 * from a function of one tensor.
 * @example Lambda((x) => x)(Input([8])) //=> SymbolicTensor<[8], 'float32', never>
 */
export function Lambda(fn: LambdaFunction, options?: BaseOptions): LambdaLayer<'same'>;
export function Lambda<const Out extends Shape>(fn: LambdaFunction, options: LambdaOptions<Out>): LambdaLayer<Out>;
export function Lambda<const Out extends Shape>(fn: LambdaListFunction, options: LambdaOptions<Out>): LambdaLayer<Out>;
export function Lambda(fn: unknown, options?: unknown): LambdaLayer<_Out> {
  return lambdaLayer(fn, options);
}

/** A function kerats calls with tensors; what it returns is checked. */
function isFunction(value: unknown): value is (input: tf.Tensor | tf.Tensor[]) => unknown {
  return typeof value === 'function';
}

/** A function of shapes, whose result is checked. */
function isShapeFunction(value: unknown): value is (input: readonly Dim[] | readonly (readonly Dim[])[]) => unknown {
  return typeof value === 'function';
}

function isShape(value: unknown): value is readonly Dim[] {
  return Array.isArray(value) && value.every((dim: unknown) => dim === null || isPositiveInteger(dim));
}

/** Lambda from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function lambdaLayer(fn: unknown, options: unknown): LambdaLayer<_Out> {
  const opts = optionsObject('Lambda', options);
  if (!isFunction(fn))
    fail({ code: 'option', layer: 'Lambda', option: 'function', expected: 'a function', received: describe(fn) });
  const outputShape = opts.outputShape;
  if (outputShape !== undefined && !isShape(outputShape) && !isShapeFunction(outputShape))
    fail({
      code: 'option',
      layer: 'Lambda',
      option: 'outputShape',
      expected: 'a shape (positive integers or null) or a function of the input shape',
      received: describe(outputShape),
    });
  const shapeOf = (inputs: readonly TensorInfo[]): readonly Dim[] => {
    const [first] = inputs;
    if (outputShape === undefined) {
      if (first !== undefined && inputs.length === 1) return first.shape;
      return fail({ code: 'usage', layer: 'Lambda', problem: listNeedsShape.slice('Lambda: '.length) });
    }
    if (isShape(outputShape)) return outputShape;
    const shapes = inputs.map(({ shape }) => shape);
    const out = outputShape(first !== undefined && inputs.length === 1 ? first.shape : shapes);
    if (!isShape(out))
      fail({
        code: 'option',
        layer: 'Lambda',
        option: 'the result of outputShape',
        expected: 'a shape (positive integers or null)',
        received: describe(out),
      });
    return out;
  };
  // A save names the functions; where one has no name it cannot.
  const shapeName: JsonValue = isShapeFunction(outputShape) ? { function: outputShape.name } : (outputShape ?? null);
  const unnamed = [
    fn.name === '' ? 'its function' : '',
    isShapeFunction(outputShape) && outputShape.name === '' ? 'its outputShape function' : '',
  ]
    .filter((what) => what !== '')
    .join(' and ');
  const definition = defineMergeLayer({
    className: 'Lambda',
    config: () => ({ function: fn.name, outputShape: shapeName }),
    ...(unnamed === ''
      ? {}
      : {
          unsavable: `${unnamed} has no name, so a save cannot refer to it (a save holds no code); define a named function (\`const distance = (x) => ...\`) and load with loadModel(path, { customLayers: { distance } })`,
        }),
    outputShape: (inputs) => ({ shape: shapeOf(inputs), dtype: 'float32' }),
    call(inputs) {
      const [first] = inputs;
      const result = fn(first !== undefined && inputs.length === 1 ? first : [...inputs]);
      if (!(result instanceof tf.Tensor))
        return fail({
          code: 'option',
          layer: 'Lambda',
          option: 'the result of its function',
          expected: 'one tensor',
          received: describe(result),
        });
      return result.dtype === 'float32' ? result : tf.cast(result, 'float32');
    },
  });
  const core = definition.create(opts.name === undefined ? {} : { name: opts.name }).core;
  function apply<const T>(input: LayerInput<LambdaRule<_Out>, T>): LayerOutOf<LambdaRule<_Out>, T>;
  function apply<const Inputs extends readonly unknown[]>(
    inputs: Inputs & MergeCheck<LambdaListRule<_Out>, Inputs>,
  ): MergeOut<LambdaListRule<_Out>, Inputs>;
  function apply(input: unknown): AnyTensor | AnyTensor[] {
    return core.call(Array.isArray(input) ? input : [input]);
  }
  return layerHandle(apply, core);
}

registerLayer('Lambda', (config, name, { customFunction }) => {
  const where = `Lambda '${name ?? 'lambda'}'`;
  const fnName = config.function;
  if (typeof fnName !== 'string' || fnName === '')
    return fail({ code: 'option', layer: where, option: 'function', expected: 'a name', received: describe(fnName) });
  const fn = customFunction(fnName, `it calls the function ${describe(fnName)}, which a save holds by name only`);
  const saved = config.outputShape;
  const shapeFunction =
    isRecord(saved) && typeof saved.function === 'string'
      ? customFunction(saved.function, `it takes its outputShape from the function ${describe(saved.function)}`)
      : undefined;
  return lambdaLayer(fn, {
    ...(shapeFunction !== undefined ? { outputShape: shapeFunction } : saved === null ? {} : { outputShape: saved }),
    ...(name === undefined ? {} : { name }),
  });
});
