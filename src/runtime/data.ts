// Data for fit, evaluate and predict: one tensor, a list in model order, or a record by name; checked against
// the model before anything runs (count, names, rank, every dimension, dtype, equal sample counts, values an
// Embedding cannot take, NaN), with messages that name the input or output.
import * as tf from '@tensorflow/tfjs';
import { infoList, type TensorInfo } from '../dsl/layer.ts';
import type { Functional } from '../dsl/model.ts';
import type { AnyTensor, SymbolicTensor } from '../dsl/tensor.ts';
import { describe, fail, KeratsError } from '../errors.ts';
import { isRecord } from '../json.ts';
import type { Dim, Shape } from '../shapes/dim.ts';
import type { TargetRule } from './losses.ts';

/** The samples of one input or output: a tfjs tensor, or nested arrays of numbers with the batch first. */
export type TensorData = tf.Tensor | readonly number[] | readonly (readonly unknown[])[];

/** Data for a list of model inputs or outputs: one (where there is one), a list in order, or a record by name. */
export type DataFor<T> =
  T extends SymbolicTensor<Shape, infer _D, infer Name>
    ?
        | TensorData
        | readonly [TensorData]
        | ([Name] extends [never] ? Readonly<Record<string, TensorData>> : Readonly<Record<Name, TensorData>>)
    : T extends readonly unknown[]
      ? { readonly [Index in keyof T]: TensorData } | Readonly<Record<string, TensorData>>
      : never;

/**
 * Data for a model's outputs (the targets): as DataFor, but a record is keyed by output name, the name of the layer
 * that computes each output, which the types do not carry (a tensor's third parameter is the inputs it comes from).
 */
export type TargetsFor<T> =
  T extends SymbolicTensor<Shape, infer _D, infer _Sources>
    ? TensorData | readonly [TensorData] | Readonly<Record<string, TensorData>>
    : T extends readonly unknown[]
      ? { readonly [Index in keyof T]: TensorData } | Readonly<Record<string, TensorData>>
      : never;

interface Slot {
  readonly name: string;
  readonly shape: readonly Dim[];
  readonly dtype: 'float32' | 'int32';
}

/** Tensors made here from plain arrays, to dispose when the caller is done. */
export class Owned {
  readonly tensors: tf.Tensor[] = [];
  dispose(): void {
    for (const tensor of this.tensors) tensor.dispose();
    this.tensors.length = 0;
  }
}

function slotsOf(tensors: readonly AnyTensor[]): Slot[] {
  return tensors.map((tensor) => ({ name: tensor.node.layer.name, shape: tensor.shape, dtype: tensor.dtype }));
}

/** The model's input slots. */
export function inputSlots(model: Functional): Slot[] {
  return slotsOf(model.inputs);
}

/** The model's output slots (targets), named after the layer that computes each. */
export function outputSlots(model: Functional): Slot[] {
  return slotsOf(model.outputs);
}

/**
 * A tensor made on another backend (before the backend was chosen, say) is copied to the active one. tfjs would
 * move it itself, but wrongly for a cpu tensor made by a widening cast: cast(bool -> float32) shares the bool
 * bytes, the move keeps their dtype, and the model trains on denormal garbage. The user's tensor is left as it is.
 */
function onActiveBackend(tensor: tf.Tensor, owned: Owned): tf.Tensor {
  const engine = tf.engine();
  const info = engine.state.tensorInfo.get(tensor.dataId);
  if (info === undefined || info.backend === engine.backend || tensor.dtype === 'string') return tensor;
  const values = tensor.dataSync();
  const copy = tf.tensor(
    tensor.dtype === 'int32'
      ? Int32Array.from(values)
      : tensor.dtype === 'bool'
        ? Uint8Array.from(values)
        : Float32Array.from(values),
    tensor.shape,
    tensor.dtype,
  );
  owned.tensors.push(copy);
  return copy;
}

/**
 * The first leaf of nested arrays that tf.tensor would silently coerce: a non-number (null -> 0, true -> 1, '2' ->
 * 2) anywhere, and for int32 a non-integer (1.5 -> 1, NaN -> 0, 2**32 -> 0). Checked as given, before converting.
 */
function badLeaf(value: readonly unknown[], int32: boolean): { value: unknown; sample: number } | undefined {
  const fits = (item: unknown): boolean =>
    typeof item === 'number' && (!int32 || (Number.isInteger(item) && item >= -(2 ** 31) && item < 2 ** 31));
  for (const [sample, row] of value.entries()) {
    const pending: unknown[] = [row];
    while (pending.length > 0) {
      const item = pending.pop();
      if (!Array.isArray(item)) {
        if (!fits(item)) return { value: item, sample };
        continue;
      }
      // A for loop, not for-of: a hole in the array is a leaf too (undefined).
      for (let index = 0; index < item.length; index++) {
        const leaf: unknown = item[index];
        if (Array.isArray(leaf)) pending.push(leaf);
        else if (!fits(leaf)) return { value: leaf, sample };
      }
    }
  }
  return undefined;
}

function toTensor(
  operation: string,
  role: 'input' | 'target',
  slot: Slot,
  value: unknown,
  owned: Owned,
  rule?: TargetRule,
): tf.Tensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed)
      fail({ code: 'data-values', layer: operation, role, name: slot.name, problem: 'is a tensor that was disposed' });
    return onActiveBackend(value, owned);
  }
  if (!Array.isArray(value))
    return fail({ code: 'data-type', layer: operation, role, name: slot.name, received: describe(value) });
  const int32 = role === 'input' ? slot.dtype === 'int32' : rule?.dtype === 'int32';
  const bad = badLeaf(value, int32);
  if (bad !== undefined)
    fail({
      code: 'data-values',
      layer: operation,
      role,
      name: slot.name,
      problem: `holds ${describe(bad.value)} at sample ${bad.sample}, where ${int32 ? 'an int32 (an integer in [-2**31, 2**31))' : 'a number'} is expected`,
    });
  let tensor: tf.Tensor;
  try {
    tensor = tf.tensor(value, undefined, int32 ? 'int32' : 'float32');
  } catch (error) {
    return fail({
      code: 'data-values',
      layer: operation,
      role,
      name: slot.name,
      problem: `is not a rectangular array of numbers (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  owned.tensors.push(tensor);
  return tensor;
}

/** A record of data by name (a tensor is an object too, but not a record). */
function isDataRecord(value: unknown): value is { readonly [key: string]: unknown } {
  return isRecord(value) && !(value instanceof tf.Tensor);
}

/** The data for each slot, in slot order, from one value, a list, or a record by name. */
function arrange(operation: string, role: 'input' | 'target', slots: readonly Slot[], data: unknown): unknown[] {
  const names = slots.map((slot) => slot.name);
  if (isDataRecord(data)) {
    for (const key of Object.keys(data))
      if (!names.includes(key)) fail({ code: 'data-name', layer: operation, role, name: key, expected: names });
    return slots.map((slot) => {
      if (!Object.hasOwn(data, slot.name))
        return fail({ code: 'data-count', layer: operation, role, expected: names, received: `no '${slot.name}'` });
      return data[slot.name];
    });
  }
  const isList = Array.isArray(data) && (slots.length > 1 || (data.length === 1 && data[0] instanceof tf.Tensor));
  if (!isList) {
    if (slots.length !== 1)
      return fail({ code: 'data-count', layer: operation, role, expected: names, received: 'one array' });
    return [data];
  }
  const list: readonly unknown[] = Array.isArray(data) ? data : [];
  if (list.length !== slots.length)
    fail({ code: 'data-count', layer: operation, role, expected: names, received: `a list of ${list.length}` });
  return [...list];
}

/** Checks one tensor against its slot; returns it, cast from int32 to float32 where the model takes floats. */
function check(operation: string, role: 'input' | 'target', slot: Slot, tensor: tf.Tensor, owned: Owned): tf.Tensor {
  const [, ...dims] = tensor.shape;
  const fits =
    tensor.rank === slot.shape.length + 1 && slot.shape.every((dim, axis) => dim === null || dim === dims[axis]);
  const dtypeFits =
    role === 'target' || tensor.dtype === slot.dtype || (slot.dtype === 'float32' && tensor.dtype === 'int32');
  if (!fits || !dtypeFits)
    fail({
      code: 'data-shape',
      layer: operation,
      role,
      name: slot.name,
      expected: slot.shape,
      dtype: role === 'target' ? tensor.dtype : slot.dtype,
      received: tensor.shape,
      receivedDtype: tensor.dtype,
    });
  if (tensor.dtype === slot.dtype || role === 'target') return tensor;
  const cast = tf.cast(tensor, slot.dtype);
  owned.tensors.push(cast);
  return cast;
}

/** Checks a target against what its output's loss takes (class ids for a sparse loss, the output's shape else). */
function checkTarget(operation: string, slot: Slot, tensor: tf.Tensor, rule: TargetRule): tf.Tensor {
  const [, ...dims] = tensor.shape;
  const numeric = tensor.dtype === 'float32' || tensor.dtype === 'int32';
  const fits =
    tensor.rank >= 1 &&
    (rule.shapes === undefined ||
      rule.shapes.some(
        (shape) => tensor.rank === shape.length + 1 && shape.every((dim, axis) => dim === null || dim === dims[axis]),
      ));
  if (!fits || !numeric)
    fail({
      code: 'data-target',
      layer: operation,
      name: slot.name,
      expected: rule.shapes ?? [[]],
      dtype: rule.dtype,
      received: tensor.shape,
      receivedDtype: numeric ? rule.dtype : tensor.dtype,
      hint: fits ? '' : rule.hint,
    });
  return tensor;
}

/** Class ids must be integers in [0, classes - 1]: tf.oneHot would make a row of zeros of any other. */
function checkIds(operation: string, name: string, tensor: tf.Tensor, ids: NonNullable<TargetRule['ids']>): void {
  const perSample = tensor.shape.slice(1).reduce((product, dim) => product * dim, 1) || 1;
  const values = tensor.dataSync();
  const top = ids.classes === null ? Number.POSITIVE_INFINITY : ids.classes - 1;
  for (let index = 0; index < values.length; index++) {
    const value = values[index] ?? 0;
    if (Number.isInteger(value) && value >= 0 && value <= top) continue;
    fail({
      code: 'data-values',
      layer: operation,
      role: 'target',
      name,
      problem: `holds ${value} at sample ${Math.floor(index / perSample)}, but ${ids.loss} takes class ids${ids.classes === null ? ' (integers from 0)' : `, integers in [0, ${top}] (the output has ${ids.classes} classes)`}`,
    });
  }
}

/** Where a value outside [min, max] or not finite sits: "holds 12345 at sample 3". */
function checkValues(
  operation: string,
  role: 'input' | 'target',
  name: string,
  tensor: tf.Tensor,
  range?: { min: number; max: number; what: string; layer: string },
): void {
  const perSample = tensor.shape.slice(1).reduce((product, dim) => product * dim, 1) || 1;
  const values = tensor.dataSync();
  for (let index = 0; index < values.length; index++) {
    const value = values[index] ?? 0;
    const sample = Math.floor(index / perSample);
    if (!Number.isFinite(value))
      fail({ code: 'data-values', layer: operation, role, name, problem: `holds ${value} at sample ${sample}` });
    if (range !== undefined && (value < range.min || value > range.max))
      fail({
        code: 'data-values',
        layer: operation,
        role,
        name,
        problem: `holds ${value} at sample ${sample}, but feeds ${range.layer}, whose ${range.what} must be in [${range.min}, ${range.max}]`,
      });
  }
}

/** The value range the layers reading a model input accept, if any. */
function rangeFor(input: AnyTensor): { min: number; max: number; what: string; layer: string } | undefined {
  for (const consumer of input.consumers) {
    const range = consumer.layer.spec.valueRange;
    if (range !== undefined) return { ...range, layer: `${consumer.layer.className} '${consumer.layer.name}'` };
  }
  return undefined;
}

/** The number of samples in each tensor, which must agree. */
function sampleCount(
  operation: string,
  groups: readonly { role: string; slots: readonly Slot[]; tensors: readonly tf.Tensor[] }[],
): number {
  const counts = groups.flatMap(({ role, slots, tensors }) =>
    tensors.map((tensor, index) => ({
      label: `${role} '${slots[index]?.name ?? index}' has ${tensor.shape[0] ?? 0}`,
      count: tensor.shape[0] ?? 0,
    })),
  );
  const [first] = counts;
  if (first !== undefined && counts.some(({ count }) => count !== first.count))
    fail({ code: 'data-batch', layer: operation, counts: counts.map(({ label }) => label) });
  return first?.count ?? 0;
}

export interface Prepared {
  readonly inputs: tf.Tensor[];
  readonly targets: tf.Tensor[] | undefined;
  readonly samples: number;
  readonly owned: Owned;
}

/**
 * Arranges and checks inputs (and targets, for fit and evaluate) against the model. Everything is checked
 * before anything runs; tensors made here are in `owned`, for the caller to dispose.
 */
export function prepare(
  operation: string,
  model: Functional,
  x: unknown,
  y?: unknown,
  rules?: readonly TargetRule[],
): Prepared {
  const owned = new Owned();
  try {
    const inSlots = inputSlots(model);
    const inputs = arrange(operation, 'input', inSlots, x).map((value, index) => {
      const slot = inSlots[index] ?? inSlots[0];
      if (slot === undefined) throw new Error('kerats: a model without inputs');
      return check(operation, 'input', slot, toTensor(operation, 'input', slot, value, owned), owned);
    });
    let targets: tf.Tensor[] | undefined;
    const outSlots = outputSlots(model);
    if (y !== undefined)
      targets = arrange(operation, 'target', outSlots, y).map((value, index) => {
        const slot = outSlots[index] ?? outSlots[0];
        if (slot === undefined) throw new Error('kerats: a model without outputs');
        const rule = rules?.[index];
        const tensor = toTensor(operation, 'target', slot, value, owned, rule);
        return rule === undefined
          ? check(operation, 'target', slot, tensor, owned)
          : checkTarget(operation, slot, tensor, rule);
      });
    checkSizes(operation, model, inputs);
    const samples = sampleCount(operation, [
      { role: 'input', slots: inSlots, tensors: inputs },
      ...(targets ? [{ role: 'target', slots: outSlots, tensors: targets }] : []),
    ]);
    if (samples === 0)
      fail({
        code: 'data-values',
        layer: operation,
        role: 'input',
        name: inSlots[0]?.name ?? '',
        problem: 'has no samples (its first axis, the batch, is 0)',
      });
    for (const [index, tensor] of inputs.entries())
      checkValues(
        operation,
        'input',
        inSlots[index]?.name ?? '',
        tensor,
        rangeFor(model.inputs[index] ?? missingInput()),
      );
    for (const [index, tensor] of (targets ?? []).entries()) {
      const name = outSlots[index]?.name ?? '';
      checkValues(operation, 'target', name, tensor);
      const ids = rules?.[index]?.ids;
      if (ids !== undefined) checkIds(operation, name, tensor, ids);
    }
    return { inputs, targets, samples, owned };
  } catch (error) {
    owned.dispose();
    throw error;
  }
}

/**
 * Where the model has unknown (null) dimensions, the data gives them sizes: each layer's value-level rule is asked
 * again with those sizes, so that a size that does not fit (a Reshape whose element count does not divide, a
 * merge of unequal sizes, a window larger than its input) is refused with the rule's own sentence, naming the
 * layer, before tfjs runs it (tfjs' errors name no layer, and its wasm backend computes a too-small window
 * silently into NaN).
 */
function checkSizes(operation: string, model: Functional, inputs: readonly tf.Tensor[]): void {
  if (!model.inputs.some((input) => input.shape.includes(null))) return;
  const concrete = new Map<AnyTensor, TensorInfo>();
  const sizes: string[] = [];
  for (const [index, input] of model.inputs.entries()) {
    const shape = inputs[index]?.shape.slice(1) ?? [...input.shape];
    concrete.set(input, { shape, dtype: input.dtype });
    if (input.shape.includes(null)) sizes.push(`'${input.node.layer.name}' [${shape.join(', ')}]`);
  }
  for (const node of model.nodes) {
    if (node.inputs.length === 0) continue;
    const infos = node.inputs.map((input) => concrete.get(input) ?? { shape: input.shape, dtype: input.dtype });
    let outputs: readonly TensorInfo[] = [];
    try {
      outputs = infoList(node.layer.spec.outputShape(infos));
    } catch (error) {
      if (!(error instanceof KeratsError)) throw error;
      fail({
        code: 'data-sizes',
        layer: operation,
        sizes,
        at: `'${node.layer.name}' (${node.layer.className})`,
        cause: error.data,
      });
    }
    for (const [index, output] of node.outputs.entries()) {
      const info = outputs[index];
      if (info !== undefined) concrete.set(output, info);
    }
  }
}

function missingInput(): never {
  throw new Error('kerats: input index out of range');
}
