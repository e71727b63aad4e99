// Symbolic tensors: the values flowing between layer calls. Each carries its shape and dtype twice, as
// types the compiler checks and as values the runtime uses, plus (as a phantom type) the names of the
// named Inputs it was computed from, so that Model can see a missing input at compile time.
import type { Shape } from '../shapes/dim.ts';
import type { LayerCore } from './layer.ts';

export type DType = 'float32' | 'int32';

declare const sourcesKey: unique symbol;

/** One call of a layer: the layer, the tensors it read and the tensors it produced. */
export interface GraphNode {
  /** Calls are numbered in the order they were made. */
  readonly id: number;
  readonly layer: LayerCore;
  readonly inputs: readonly AnyTensor[];
  readonly outputs: AnyTensor[];
}

/**
 * A symbolic tensor of per-sample shape `S` (the batch axis is implicit) and dtype `D`, computed from the named
 * inputs `Sources` (`never` when none of them is named).
 * @example Input([64, 64, 3]) //=> SymbolicTensor<[64, 64, 3], 'float32', never>
 */
export class SymbolicTensor<S extends Shape = Shape, D extends DType = DType, Sources extends string = string> {
  /** Phantom: the names of the named Inputs this tensor depends on. Never set at run time. */
  declare readonly [sourcesKey]: Sources;
  /** The layer calls that read this tensor (for the unused-layer warning). */
  readonly consumers: GraphNode[] = [];

  constructor(
    /** The shape after the batch axis, as in Keras's `Input(shape=...)`. */
    readonly shape: Readonly<S>,
    readonly dtype: D,
    /** The layer call that produced this tensor. */
    readonly node: GraphNode,
    /** Which of that call's outputs this is. */
    readonly index: number,
  ) {
    Object.freeze(shape);
  }

  /** `layer_name/index`, as Keras names a layer's output. */
  get name(): string {
    return `${this.node.layer.name}/${this.index}`;
  }

  toString(): string {
    return `SymbolicTensor(${this.name}, shape=[${this.shape.map((dim) => `${dim}`).join(', ')}], dtype=${this.dtype})`;
  }
}

/** Any symbolic tensor, whatever its shape, dtype and sources. */
export type AnyTensor = SymbolicTensor<Shape, DType, string>;

export function isTensor(value: unknown): value is AnyTensor {
  return value instanceof SymbolicTensor;
}

/** The sources of a tensor, or of every tensor in a list or record of them. */
export type SourcesOf<T> =
  T extends SymbolicTensor<Shape, DType, infer Sources>
    ? Sources
    : T extends readonly unknown[]
      ? SourcesOf<T[number]>
      : never;
