// A tfjs twin for what tfjs-layers lacks (a pool with keepdims, ZeroPadding1D, Keras's activation formulas):
// one tfjs layer class whose shape rule and computation are a named op, defined in the file of the kerats layer
// that needs it. The op's name and options travel in the layer's config, so a saved model that tfjs loads by
// itself (tf.loadLayersModel, once kerats is imported) rebuilds the same computation. No op has weights.
import * as tf from '@tensorflow/tfjs';
import { isRecord } from '../json.ts';
import type { JsonValue } from './layer.ts';

type Options = { readonly [key: string]: JsonValue };

/** What a twin computes: its output shape (with the batch) and its output, from the options it was made with. */
export interface TwinOp {
  outputShape(shape: readonly (number | null)[], options: Options): (number | null)[];
  call(input: tf.Tensor, options: Options, training: boolean): tf.Tensor;
}

const ops = new Map<string, TwinOp>();

class KeratsTwin extends tf.layers.Layer {
  static readonly className = 'KeratsTwin';
  private readonly op: string;
  private readonly options: Options;

  constructor(config: tf.serialization.ConfigDict) {
    const { op, options, ...base } = config;
    super(base);
    if (typeof op !== 'string' || !ops.has(op)) throw new Error(`kerats: KeratsTwin has no op ${String(op)}`);
    this.op = op;
    this.options = isRecord(options) ? jsonOptions(options) : {};
  }

  private definition(): TwinOp {
    const definition = ops.get(this.op);
    if (definition === undefined) throw new Error(`kerats: KeratsTwin has no op ${this.op}`);
    return definition;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
    return this.definition().outputShape(
      shape.map((dim) => (typeof dim === 'number' ? dim : null)),
      this.options,
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { readonly [key: string]: unknown }): tf.Tensor {
    return tf.tidy(() => {
      const [input] = Array.isArray(inputs) ? inputs : [inputs];
      if (input === undefined) throw new Error(`kerats: ${this.name} has no input`);
      return this.definition().call(input, this.options, kwargs.training === true);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), op: this.op, options: toConfig(this.options) };
  }
}
tf.serialization.registerClass(KeratsTwin);

/** A fresh copy of the options that are JSON (tfjs may keep and change what it is given). */
function jsonOptions(record: { readonly [key: string]: unknown }): Options {
  const copy = (value: unknown): JsonValue | undefined => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
    if (Array.isArray(value)) return value.map(copy).filter((item) => item !== undefined);
    return isRecord(value) ? jsonOptions(value) : undefined;
  };
  return Object.fromEntries(
    Object.entries(record).flatMap(([key, value]) => {
      const copied = copy(value);
      return copied === undefined ? [] : [[key, copied]];
    }),
  );
}

/** JSON as tfjs's config types spell it (mutable lists). */
function toConfig(value: JsonValue): tf.serialization.ConfigDictValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toConfig);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toConfig(item)]));
}

/** Defines an op; returns the factory of its tfjs layers. */
export function defineTwin(op: string, definition: TwinOp): (name: string, options: Options) => tf.layers.Layer {
  // tfjs rewrites string values between camelCase and snake_case when it saves and loads; a lowercase word survives.
  if (!/^[a-z0-9]+$/.test(op)) throw new Error(`kerats: twin op names are lowercase words, got ${op}`);
  ops.set(op, definition);
  return (name, options) => new KeratsTwin({ name, op, options: toConfig(options) });
}
