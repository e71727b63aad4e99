// Data bigger than memory: fit, evaluate and predict read batches from a dataset, as Keras reads a generator or a
// tf.data.Dataset and tfjs's fitDataset reads `{ xs, ys }` elements. A dataset is an async iterable or an iterable
// of batches, a function returning a fresh iterator per pass (a generator function), or a tf.data.Dataset. Each
// batch is checked as in-memory data is (data.ts), and disposed after its step.
import * as tf from '@tensorflow/tfjs';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import type { SampleWeightArg } from './sample-weights.ts';

/**
 * One batch: tfjs's `{ xs, ys }`, or Keras's `[x, y]` and `[x, y, sampleWeight]`. `xs` and `ys` are what the
 * in-memory API takes: a tensor, a list in model order, or a record by input or output name.
 */
export type Batch<X = unknown, Y = unknown> =
  | { readonly xs: X; readonly ys: Y }
  | readonly [X, Y]
  | readonly [X, Y, SampleWeightArg];

/** What predict reads from a batch: its inputs (targets, if there, are ignored, as Keras ignores them). */
export type InputBatch<X = unknown> =
  | tf.Tensor
  | { readonly xs: X; readonly ys?: unknown }
  | readonly [X]
  | readonly [X, unknown]
  | readonly [X, unknown, unknown];

/** What kerats reads of a tf.data.Dataset: its `iterator()` and its `size` (null or Infinity when unknown). */
export interface TfDataset {
  iterator(): Promise<{ next(): Promise<IteratorResult<unknown>> }>;
  readonly size?: number | null;
}

/**
 * Batches for fit, evaluate or predict. An array is in-memory data, not a list of batches (as in Keras): wrap a
 * list of batches in a generator function. A tf.data.Dataset's elements are checked when read (its element type
 * is tfjs's TensorContainer, which says nothing).
 */
export type Dataset<Element> =
  | AsyncIterable<Element>
  | (Iterable<Element> & { readonly length?: never })
  // Iterables only (a generator is one): with iterators in this union, a yielded [x, y] is no longer a tuple by context.
  | (() => AsyncIterable<Element> | Iterable<Element>)
  | TfDataset;

interface Reader {
  next(): Promise<IteratorResult<unknown>> | IteratorResult<unknown>;
  return?(): unknown;
}

function isReader(value: unknown): value is Reader {
  return isRecord(value) && typeof value.next === 'function';
}

/** Whether `value[key]` is a function: a method that the dataset protocols call with no arguments. */
function hasMethod<const Key extends PropertyKey>(
  value: unknown,
  key: Key,
): value is { readonly [Name in Key]: () => unknown } {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof Reflect.get(value, key) === 'function'
  );
}

/** Calls a method found by hasMethod, on its object. */
function call<const Key extends PropertyKey>(value: { readonly [Name in Key]: () => unknown }, key: Key): unknown {
  return value[key]();
}

/** Whether a value is a function, which a dataset given as a function (a generator function) is called as. */
function isNullary(value: unknown): value is () => unknown {
  return typeof value === 'function';
}

/** Whether a value given as data is a dataset rather than in-memory data (arrays and tensors are data). */
export function isDataset(value: unknown): boolean {
  if (value instanceof tf.Tensor || Array.isArray(value)) return false;
  if (typeof value === 'function') return true;
  return (
    hasMethod(value, Symbol.asyncIterator) ||
    hasMethod(value, Symbol.iterator) ||
    hasMethod(value, 'iterator') ||
    isReader(value)
  );
}

/** The iterator of an iterable, or the value itself when it is an iterator; undefined when neither. */
function readerOf(value: unknown): Reader | undefined {
  for (const key of [Symbol.asyncIterator, Symbol.iterator]) {
    if (!hasMethod(value, key)) continue;
    const made = call(value, key);
    if (isReader(made)) return made;
  }
  return isReader(value) ? value : undefined;
}

/** A dataset opened: iterators for passes over it, fresh where it can give one. */
export class Source {
  private constructor(
    private readonly openOne: () => Promise<Reader>,
    /** Whether each pass gets a new iterator; false for an iterator, which can be read once. */
    readonly reusable: boolean,
    /** Batches per pass, where the dataset knows it (a tf.data.Dataset of finite size). */
    readonly size: number | undefined,
  ) {}

  open(): Promise<Reader> {
    return this.openOne();
  }

  /** Checks what was given as a dataset (before any work) and opens nothing yet but an iterable's iterator. */
  static of(operation: string, option: string, value: unknown): Source {
    const refuse = (): never =>
      fail({
        code: 'option',
        layer: operation,
        option,
        expected:
          'a dataset: an async iterable or iterable of batches, a function returning an iterator (a generator function), or a tf.data.Dataset',
        received: describe(value),
      });
    if (isNullary(value)) {
      const make = value;
      return new Source(
        async () => {
          const made = make();
          return (
            readerOf(made) ??
            fail({
              code: 'option',
              layer: operation,
              option,
              expected: 'a function returning an iterator or an iterable of batches (a generator function)',
              received: `a function returning ${describe(made)}`,
            })
          );
        },
        true,
        undefined,
      );
    }
    if (!isDataset(value)) return refuse();
    if (hasMethod(value, Symbol.asyncIterator) || hasMethod(value, Symbol.iterator) || isReader(value)) {
      const first = readerOf(value) ?? refuse();
      // An iterable that is its own iterator (a generator object) is read once; another gives a new one per pass.
      if (first === value) return new Source(async () => first, false, undefined);
      let pending: Reader | undefined = first;
      return new Source(
        async () => {
          const reader = pending ?? readerOf(value) ?? refuse();
          pending = undefined;
          return reader;
        },
        true,
        undefined,
      );
    }
    if (!hasMethod(value, 'iterator')) return refuse();
    const dataset = value;
    const size: unknown = Reflect.get(dataset, 'size');
    return new Source(
      async () => {
        const made: unknown = await call(dataset, 'iterator');
        return (
          (isReader(made) ? made : undefined) ??
          fail({
            code: 'option',
            layer: operation,
            option,
            expected: 'a tf.data.Dataset, whose iterator() gives an object with next()',
            received: `an iterator() giving ${describe(made)}`,
          })
        );
      },
      true,
      typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : undefined,
    );
  }
}

/**
 * Passes over a dataset. With a fixed number of steps the iterator goes on across epochs (Keras's EpochIterator),
 * and a new pass starts when it ends, within the epoch; without, each epoch is a new pass. An iterator read once
 * stays ended.
 */
export class BatchStream {
  private current: Reader | undefined;
  /** The batches read in the current pass. */
  read = 0;

  constructor(
    readonly source: Source,
    private readonly steps: number | undefined,
  ) {}

  /** Begins an epoch. */
  async begin(): Promise<void> {
    if (this.current !== undefined && this.steps !== undefined) return;
    await this.closeCurrent();
    this.current = await this.source.open();
    this.read = 0;
  }

  /** The next batch, or undefined when the iterator has ended (the next epoch then begins a new pass). */
  async next(): Promise<unknown> {
    const reader = this.current;
    if (reader === undefined) return undefined;
    const result = await reader.next();
    if (result.done === true) {
      this.current = undefined;
      // With fixed steps, a dataset that gives a new iterator is drawn on: a new pass (as in-memory data is).
      if (this.steps === undefined || !this.source.reusable || this.read === 0) return undefined;
      this.current = await this.source.open();
      this.read = 0;
      return this.next();
    }
    this.read++;
    return result.value;
  }

  /** Ends reading: an iterator kerats opened is closed (a generator's `finally` runs); one given is left as is. */
  async close(): Promise<void> {
    await this.closeCurrent();
  }

  private async closeCurrent(): Promise<void> {
    const reader = this.current;
    this.current = undefined;
    if (reader !== undefined && this.source.reusable) await reader.return?.();
  }
}

/** A batch's parts: inputs, targets (undefined for predict's input-only batches) and sample weights. */
export interface BatchParts {
  readonly x: unknown;
  readonly y: unknown;
  readonly sampleWeight: unknown;
}

function describeBatch(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor [${value.shape.join(', ')}]`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isRecord(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((key) => `'${key}'`).join(', ')}`;
  }
  return describe(value);
}

/**
 * A batch as Keras's `unpack_x_y_sample_weight` reads it (a list is a tuple: `[x]`, `[x, y]`,
 * `[x, y, sampleWeight]`) or tfjs's `{ xs, ys }`. With `targets`, a batch must have them; without (predict), a
 * tensor is a batch of inputs too. `where` names the batch in messages.
 */
export function unpackBatch(where: string, batch: unknown, targets: boolean): BatchParts {
  const expected = targets
    ? '{ xs, ys } or [x, y] (or [x, y, sampleWeight])'
    : 'a tensor, { xs } or [x] (or { xs, ys }, [x, y], whose targets predict ignores)';
  const refuse = (): never =>
    fail({ code: 'option', layer: where, option: 'the batch', expected, received: describeBatch(batch) });
  if (batch instanceof tf.Tensor) return targets ? refuse() : { x: batch, y: undefined, sampleWeight: undefined };
  if (Array.isArray(batch)) {
    const [x, y, sampleWeight] = batch;
    if (batch.length < 1 || batch.length > 3 || (targets && batch.length < 2)) return refuse();
    return { x, y: targets ? y : undefined, sampleWeight: targets ? sampleWeight : undefined };
  }
  if (isRecord(batch) && Object.hasOwn(batch, 'xs')) {
    const unknown = Object.keys(batch).filter((key) => key !== 'xs' && key !== 'ys');
    if (unknown.length > 0 || (targets && !Object.hasOwn(batch, 'ys'))) return refuse();
    return { x: batch.xs, y: targets ? batch.ys : undefined, sampleWeight: undefined };
  }
  return refuse();
}

/** The tensors in a batch (nested lists and records), to dispose after its step. */
export function tensorsIn(value: unknown, depth = 3): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (depth === 0) return [];
  if (Array.isArray(value)) return value.flatMap((item: unknown) => tensorsIn(item, depth - 1));
  if (isRecord(value)) return Object.values(value).flatMap((item) => tensorsIn(item, depth - 1));
  return [];
}
