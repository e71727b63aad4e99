// MultiHeadAttention, Keras's layer (keras/src/layers/attention/multi_head_attention.py) on sequences:
// `mha(query, value)` or `mha(query, value, key, { attentionMask })` with query [T, Dq], value [S, Dv], key
// [S, Dk] (default: value), mask [T, S]. The query, key and value are projected to numHeads heads (keyDim,
// keyDim, valueDim wide), the query scaled by 1/sqrt(keyDim), the scores softmaxed over the key steps (masked
// positions get -1e9 first, as Keras's Softmax does), dropped out in training, and the heads' mix of values
// projected to outputShape (default Dq): [T, outputShape]. The weights are Keras's EinsumDense kernels and
// biases, so the parameter count is Keras's. tfjs-layers has no such layer; this one is written with the public
// layer API (defineMergeLayer), as a user would.
import * as tf from '@tensorflow/tfjs';
import { type AxisMismatchMessage, describe, fail, type RankMessage, type UnknownDimMessage } from '../../errors.ts';
import { isRecord } from '../../json.ts';
import type { Dim, IsUnknownRank, Shape } from '../../shapes/dim.ts';
import { type Disagreement, type MergeShapes, mergeShapes } from '../../shapes/merge.ts';
import { defineMergeLayer } from '../define.ts';
import {
  type LayerHandle,
  layerHandle,
  type MergeRule,
  type Ok,
  type PartsOf,
  type RuleError,
  type SeenParts,
  type TensorInfo,
  type Unchecked,
} from '../layer.ts';
import { type BaseOptions, boolean, type Opt, positiveInteger } from '../options.ts';
import { registerLayer } from '../registry.ts';
import {
  type Regularizer,
  type RegularizerOptionsCheck,
  type ResolvedRegularizer,
  resolvedRegularizers,
} from '../regularizers.ts';
import { type AnyTensor, type DType, isTensor, type SymbolicTensor } from '../tensor.ts';

export interface MultiHeadAttentionOptions extends BaseOptions {
  readonly numHeads: number;
  /** The width of each head's query and key projections. */
  readonly keyDim: number;
  /** The width of each head's value projection. Default keyDim. */
  readonly valueDim?: number;
  /** The dropout rate of the attention scores while training. Default 0. */
  readonly dropout?: number;
  /** Default `true`. */
  readonly useBias?: boolean;
  /** The output's last size. Default the query's. */
  readonly outputShape?: number;
  /** Its penalty on each projection's kernel (bias) is added to the loss: `'l2'`, `l2(1e-4)`, ... Default none. */
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  /** A penalty on the output, divided by the batch size. Default none. */
  readonly activityRegularizer?: Regularizer;
}

const form = '[steps, features]';
const rankHint = 'query, value and key are each [steps, features]';
const stepsNote = 'value and key need the same steps';
const maskNote = 'the attention mask is [query steps, value steps]';

/**
 * query [T, Dq], value [S, Dv], key [S, Dk], mask [T, S] or `'none'` => [T, Out] (Out: the query's Dq when
 * `'query'`).
 * @example MultiHeadAttentionShape<[8, 16], [4, 16], [4, 16], 'none', 'query'> //=> Ok<[8, 16], 'float32'>
 */
export type MultiHeadAttentionShape<
  Query extends Shape,
  Value extends Shape,
  Key extends Shape,
  Mask extends Shape | 'none',
  Out extends number | 'query',
> = true extends IsUnknownRank<Query> | IsUnknownRank<Value> | IsUnknownRank<Key>
  ? Ok<Dim[], 'float32'>
  : Query extends readonly [infer Steps extends Dim, infer Features extends Dim]
    ? Value extends readonly [infer ValueSteps extends Dim, infer ValueFeatures extends Dim]
      ? Key extends readonly [infer KeySteps extends Dim, infer KeyFeatures extends Dim]
        ? Features extends number
          ? ValueFeatures extends number
            ? KeyFeatures extends number
              ? MergeShapes<[ValueSteps], [KeySteps], -1> extends Disagreement<number>
                ? AxisMismatchMessage<'MultiHeadAttention', 1, Value, Key, typeof stepsNote>
                : _MaskCheck<Mask, [Steps, ValueSteps], Ok<[Steps, Out extends number ? Out : Features], 'float32'>>
              : UnknownDimMessage<'MultiHeadAttention', -1, Key, 'it sizes the key projection'>
            : UnknownDimMessage<'MultiHeadAttention', -1, Value, 'it sizes the value projection'>
          : UnknownDimMessage<'MultiHeadAttention', -1, Query, 'it sizes the query projection'>
        : RankMessage<'MultiHeadAttention', '2', typeof form, Key, typeof rankHint>
      : RankMessage<'MultiHeadAttention', '2', typeof form, Value, typeof rankHint>
    : RankMessage<'MultiHeadAttention', '2', typeof form, Query, typeof rankHint>;

type _MaskCheck<Mask extends Shape | 'none', Expected extends Shape, Result> = Mask extends Shape
  ? IsUnknownRank<Mask> extends true
    ? Result
    : Mask extends readonly [Dim, Dim]
      ? MergeShapes<Mask, Expected, -1> extends Disagreement<infer Axis extends number>
        ? AxisMismatchMessage<'MultiHeadAttention', Axis, Mask, Expected, typeof maskNote>
        : Result
      : RankMessage<'MultiHeadAttention', '2', '[query steps, value steps]', Mask, ''>
  : Result;

type _ShapeOf<T> = T extends SymbolicTensor<infer S, DType, string> ? S : never;

type _Result<Query, Value, Key, Mask, Out extends number | 'query'> = MultiHeadAttentionShape<
  _ShapeOf<Query>,
  _ShapeOf<Value>,
  _ShapeOf<Key>,
  [Mask] extends [never] ? 'none' : _ShapeOf<Mask>,
  Out
>;

/**
 * Intersected with the query: `unknown` when the call is good, else the message; `unknown` too where a tensor's
 * type holds a type parameter (a helper generic over its input), whose result is then the rule's, evaluated at
 * each call of the helper (see Unchecked).
 */
export type MultiHeadAttentionCheck<Query, Value, Key, Mask, Out extends number | 'query'> = Unchecked<
  PartsOf<Query> | PartsOf<Value> | PartsOf<Key> | PartsOf<Mask>,
  SeenParts,
  _Check<Query, Value, Key, Mask, Out>,
  unknown
>;

type _Check<Query, Value, Key, Mask, Out extends number | 'query'> =
  _Result<Query, Value, Key, Mask, Out> extends Ok<Shape, DType>
    ? unknown
    : { readonly error: _Result<Query, Value, Key, Mask, Out> };

export type MultiHeadAttentionOut<Query, Value, Key, Mask, Out extends number | 'query'> =
  _Result<Query, Value, Key, Mask, Out> extends Ok<infer Result extends Shape, 'float32'>
    ? SymbolicTensor<Result, 'float32', _Sources<Query | Value | Key | Mask>>
    : SymbolicTensor<Dim[], 'float32', _Sources<Query | Value | Key | Mask>> &
        RuleError<_Result<Query, Value, Key, Mask, Out>>;

type _Sources<Tensors> = Tensors extends SymbolicTensor<Shape, DType, infer Sources> ? Sources : never;

/** The options of a call. */
export interface AttentionCallOptions<Mask extends AnyTensor> {
  /** Shaped `[query steps, value steps]`: 1 where a query step may attend to a value step, 0 where not. */
  readonly attentionMask?: Mask;
}

/**
 * A MultiHeadAttention layer: `mha(query, value)`, `mha(query, value, key)`, each with `{ attentionMask }` last,
 * as Keras's `mha(query, value, key=None, attention_mask=None)`.
 */
export interface MultiHeadAttentionLayer<Out extends number | 'query'> extends LayerHandle {
  <Query extends AnyTensor, Value extends AnyTensor, Mask extends AnyTensor = never>(
    query: Query & MultiHeadAttentionCheck<Query, Value, Value, Mask, Out>,
    value: Value,
    options?: AttentionCallOptions<Mask>,
  ): MultiHeadAttentionOut<Query, Value, Value, Mask, Out>;
  <Query extends AnyTensor, Value extends AnyTensor, Key extends AnyTensor, Mask extends AnyTensor = never>(
    query: Query & MultiHeadAttentionCheck<Query, Value, Key, Mask, Out>,
    value: Value,
    key: Key,
    options?: AttentionCallOptions<Mask>,
  ): MultiHeadAttentionOut<Query, Value, Key, Mask, Out>;
}

interface Config {
  readonly [key: string]: number | boolean | null | ResolvedRegularizer;
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: number | null;
  readonly kernelRegularizer?: ResolvedRegularizer;
  readonly biasRegularizer?: ResolvedRegularizer;
}

function rank2(shape: readonly Dim[], what: string): readonly [Dim, number] {
  const [steps, features] = shape;
  if (shape.length !== 2 || steps === undefined || features === undefined)
    return fail({ code: 'rank', layer: 'MultiHeadAttention', expected: '2', form, received: shape, hint: rankHint });
  if (features === null)
    return fail({
      code: 'unknown-dim',
      layer: 'MultiHeadAttention',
      axis: -1,
      received: shape,
      why: `it sizes the ${what} projection`,
    });
  return [steps, features];
}

/**
 * A call's inputs: [query, value], [query, value, key] or [query, value, key, mask] (the key is the value where
 * none was given), so that summary() connects a layer to what it was called on, as Keras's.
 */
function parts<Item>(inputs: readonly Item[]): { query: Item; value: Item; key: Item; mask: Item | undefined } {
  const [query, value, key = value, mask] = inputs;
  if (query === undefined || value === undefined || key === undefined || inputs.length > 4)
    return fail({ code: 'input-count', layer: 'MultiHeadAttention', expected: '2 to 4', received: inputs.length });
  return { query, value, key, mask };
}

/** The value-level twin of MultiHeadAttentionShape. */
function sizes(inputs: readonly TensorInfo[], config: Config) {
  const { query, value, key, mask } = parts(inputs);
  const [steps, queryFeatures] = rank2(query.shape, 'query');
  const [valueSteps, valueFeatures] = rank2(value.shape, 'value');
  const [keySteps, keyFeatures] = rank2(key.shape, 'key');
  if (!Array.isArray(mergeShapes([valueSteps], [keySteps], -1)))
    fail({
      code: 'axis-mismatch',
      layer: 'MultiHeadAttention',
      axis: 1,
      shapes: [value.shape, key.shape],
      note: stepsNote,
    });
  if (mask !== undefined) {
    if (mask.shape.length !== 2)
      fail({
        code: 'rank',
        layer: 'MultiHeadAttention',
        expected: '2',
        form: '[query steps, value steps]',
        received: mask.shape,
        hint: '',
      });
    const merged = mergeShapes(mask.shape, [steps, valueSteps], -1);
    if (!Array.isArray(merged))
      fail({
        code: 'axis-mismatch',
        layer: 'MultiHeadAttention',
        axis: merged.disagreeOn,
        shapes: [mask.shape, [steps, valueSteps]],
        note: maskNote,
      });
  }
  return {
    steps,
    valueSteps: valueSteps ?? keySteps,
    queryFeatures,
    valueFeatures,
    keyFeatures,
    out: config.outputShape ?? queryFeatures,
  };
}

/** [batch, steps, features] · kernel [features, heads, width] + bias [heads, width] => [batch, heads, steps, width]. */
function project(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined, heads: number, width: number) {
  const [batch = 1, steps = 1, features = 1] = x.shape;
  const flat = tf.matMul(tf.reshape(x, [batch * steps, features]), tf.reshape(kernel, [features, heads * width]));
  const biased = bias === undefined ? flat : tf.add(flat, tf.reshape(bias, [heads * width]));
  return tf.transpose(tf.reshape(biased, [batch, steps, heads, width]), [0, 2, 1, 3]);
}

const MultiHeadAttentionClass = defineMergeLayer({
  className: 'MultiHeadAttention',
  config(options): Config {
    const keyDim = positiveInteger('MultiHeadAttention', 'keyDim', options.keyDim);
    const dropout = options.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1))
      fail({
        code: 'option',
        layer: 'MultiHeadAttention',
        option: 'dropout',
        expected: 'a number in [0, 1)',
        received: describe(dropout),
      });
    const outputShape = options.outputShape ?? null;
    return {
      numHeads: positiveInteger('MultiHeadAttention', 'numHeads', options.numHeads),
      keyDim,
      valueDim: positiveInteger('MultiHeadAttention', 'valueDim', options.valueDim ?? keyDim),
      dropout,
      useBias: boolean('MultiHeadAttention', 'useBias', options.useBias ?? true),
      outputShape: outputShape === null ? null : positiveInteger('MultiHeadAttention', 'outputShape', outputShape),
      ...resolvedRegularizers('MultiHeadAttention', options, ['kernelRegularizer', 'biasRegularizer']),
    };
  },
  outputShape(inputs, config) {
    const { steps, out } = sizes(inputs, config);
    return { shape: [steps, out], dtype: 'float32' };
  },
  weights(inputs, config) {
    const { queryFeatures, keyFeatures, valueFeatures, out } = sizes(inputs, config);
    const { numHeads: heads, keyDim, valueDim, useBias } = config;
    // Keras's MultiHeadAttention gives every projection's kernel and bias its kernel and bias regularizers.
    const kernel = { regularizer: config.kernelRegularizer };
    const bias = { initializer: 'zeros' as const, regularizer: config.biasRegularizer };
    const dense = (name: 'query' | 'key' | 'value', features: number, width: number) => [
      { name: `${name}_kernel` as const, shape: [features, heads, width], ...kernel },
      ...(useBias ? [{ name: `${name}_bias` as const, shape: [heads, width], ...bias }] : []),
    ];
    return [
      ...dense('query', queryFeatures, keyDim),
      ...dense('key', keyFeatures, keyDim),
      ...dense('value', valueFeatures, valueDim),
      { name: 'attention_output_kernel', shape: [heads, valueDim, out], ...kernel },
      ...(useBias ? [{ name: 'attention_output_bias' as const, shape: [out], ...bias }] : []),
    ];
  },
  flops(inputs, config) {
    const { steps, valueSteps, queryFeatures, keyFeatures, valueFeatures, out } = sizes(inputs, config);
    const { numHeads: heads, keyDim, valueDim } = config;
    const [t, s] = [steps ?? 1, valueSteps ?? 1];
    const projections = t * queryFeatures * keyDim + s * (keyFeatures * keyDim + valueFeatures * valueDim);
    return 2 * heads * (projections + t * s * (keyDim + valueDim) + t * valueDim * out);
  },
  call(inputs, weights, { training, config }) {
    const { query, value, key, mask } = parts(inputs);
    const { numHeads: heads, keyDim, valueDim, dropout, useBias } = config;
    const bias = (name: keyof typeof weights) => (useBias ? weights[name] : undefined);
    const q = tf.mul(project(query, weights.query_kernel, bias('query_bias'), heads, keyDim), 1 / Math.sqrt(keyDim));
    const k = project(key, weights.key_kernel, bias('key_bias'), heads, keyDim);
    const v = project(value, weights.value_kernel, bias('value_bias'), heads, valueDim);
    // [batch, heads, T, S]; masked positions get Keras's large negative number before the softmax.
    const scores = tf.matMul(q, k, false, true);
    const masked =
      mask === undefined ? scores : tf.add(scores, tf.mul(tf.sub(1, tf.expandDims(tf.cast(mask, 'float32'), 1)), -1e9));
    const attention = tf.softmax(masked);
    const dropped = training && dropout > 0 ? tf.dropout(attention, dropout) : attention;
    // [batch, heads, T, valueDim] => [batch, T, heads * valueDim] => [batch, T, out].
    const mixed = tf.transpose(tf.matMul(dropped, v), [0, 2, 1, 3]);
    const [batch = 1, steps = 1] = mixed.shape;
    const kernel = weights.attention_output_kernel;
    const out = kernel.shape[2] ?? 1;
    const flat = tf.matMul(tf.reshape(mixed, [batch * steps, heads * valueDim]), tf.reshape(kernel, [-1, out]));
    const biased = useBias ? tf.add(flat, weights.attention_output_bias) : flat;
    return tf.reshape(biased, [batch, steps, out]);
  },
});

/**
 * `MultiHeadAttention({ numHeads, keyDim, valueDim, dropout, useBias, outputShape, name })`.
 * @example MultiHeadAttention({ numHeads: 2, keyDim: 2 })(Input([8, 16]), Input([4, 16])) //=> SymbolicTensor<[8, 16], 'float32', never>
 */
export function MultiHeadAttention<const Options extends MultiHeadAttentionOptions>(
  options: Options & NoInfer<RegularizerOptionsCheck<'MultiHeadAttention', Options>>,
): MultiHeadAttentionLayer<Opt<Options, 'outputShape', 'query'>> {
  return multiHeadAttentionLayer(options);
}

/** The merge rule of the underlying layer, which this file's call signature replaces. */
interface _Untyped extends MergeRule {
  readonly layer: 'MultiHeadAttention';
  readonly output: Ok<Dim[], 'float32'>;
}

/** MultiHeadAttention from values nobody has checked (a caller's, or a saved config's): each is checked here. */
function multiHeadAttentionLayer<Out extends number | 'query'>(options: unknown): MultiHeadAttentionLayer<Out> {
  const { core } = MultiHeadAttentionClass.create<_Untyped>(
    typeof options === 'object' && options !== null ? options : {},
  );
  function apply<Query extends AnyTensor, Value extends AnyTensor, Mask extends AnyTensor = never>(
    query: Query & MultiHeadAttentionCheck<Query, Value, Value, Mask, Out>,
    value: Value,
    options?: AttentionCallOptions<Mask>,
  ): MultiHeadAttentionOut<Query, Value, Value, Mask, Out>;
  function apply<
    Query extends AnyTensor,
    Value extends AnyTensor,
    Key extends AnyTensor,
    Mask extends AnyTensor = never,
  >(
    query: Query & MultiHeadAttentionCheck<Query, Value, Key, Mask, Out>,
    value: Value,
    key: Key,
    options?: AttentionCallOptions<Mask>,
  ): MultiHeadAttentionOut<Query, Value, Key, Mask, Out>;
  function apply(query: unknown, value: unknown, third?: unknown, fourth?: unknown): AnyTensor | AnyTensor[] {
    // The key is a tensor; the options, last, are a plain object.
    const key = isTensor(third) ? third : undefined;
    const options = isTensor(third) ? fourth : third;
    const mask = isRecord(options) ? options.attentionMask : undefined;
    if (mask !== undefined) return core.call([query, value, key ?? value, mask]);
    return core.call(key === undefined ? [query, value] : [query, value, key]);
  }
  return layerHandle(apply, core);
}

registerLayer('MultiHeadAttention', (config, name) =>
  multiHeadAttentionLayer({ ...config, ...(name === undefined ? {} : { name }) }),
);
