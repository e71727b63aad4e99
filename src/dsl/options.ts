// Options shared by several layers: activations, padding, window sizes, and the checks of option values at
// both levels (a literal that can be seen to be wrong is a compile error; anything else is checked at run time).
import { describe, fail, type OptionConflictMessage, type OptionMessage } from '../errors.ts';
import type { IsPositiveInteger } from '../shapes/dim.ts';
import { isPositiveInteger } from '../shapes/dim.ts';
import type { Unchecked } from './layer.ts';

/**
 * Activation functions: every name Keras 3 accepts (keras/src/activations/__init__.py) but glu, which halves the
 * last axis (the Activation layer takes it, and says its shape), and threshold, whose two arguments Keras requires
 * (so the name alone cannot be called); and tfjs's `hardSigmoid` (Keras 2's 0.2 * x + 0.5, where Keras 3's `hard_sigmoid` is relu6(x + 3) / 6).
 */
export type Activation =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'elu'
  | 'selu'
  | 'sigmoid'
  | 'hardSigmoid'
  | 'softmax'
  | 'softplus'
  | 'softsign'
  | 'tanh'
  | 'swish'
  | 'mish'
  | 'gelu'
  | 'silu'
  | 'hard_sigmoid'
  | 'hard_silu'
  | 'hard_swish'
  | 'leaky_relu'
  | 'exponential'
  | 'log_softmax'
  | 'celu'
  | 'squareplus'
  | 'soft_shrink'
  | 'sparse_plus'
  | 'tanh_shrink'
  | 'sparse_sigmoid'
  | 'hard_tanh'
  | 'hard_shrink'
  | 'log_sigmoid'
  | 'sparsemax';

export const activations: readonly Activation[] = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
  'mish',
  'gelu',
  'silu',
  'hard_sigmoid',
  'hard_silu',
  'hard_swish',
  'leaky_relu',
  'exponential',
  'log_softmax',
  'celu',
  'squareplus',
  'soft_shrink',
  'sparse_plus',
  'tanh_shrink',
  'sparse_sigmoid',
  'hard_tanh',
  'hard_shrink',
  'log_sigmoid',
  'sparsemax',
];

/** A window size, stride or dilation: one number for every spatial axis, or one per axis. */
export type Window2D = number | readonly [number, number];

/** `5` => `[5, 5]`; `[5, 3]` stays. */
export type Pair<Size extends Window2D> = Size extends number
  ? [Size, Size]
  : Size extends readonly [infer First extends number, infer Second extends number]
    ? [First, Second]
    : [number, number];

/** The value of option `Key` in an options type, or `Default` where it is absent. */
export type Opt<Options, Key extends string, Default> = Options extends unknown
  ? Key extends keyof Options
    ? [Exclude<Options[Key], undefined>] extends [never]
      ? Default
      : Exclude<Options[Key], undefined>
    : Default
  : never;

/**
 * Checks the size-like options (`strides`, `dilationRate`, ...) of an options literal. Intersected with the options
 * parameter, it leaves good values alone and turns a bad one into a compile error at that property, whose text
 * is the message. (The message sits in an object: a bare string literal would reduce the whole options to never.)
 */
export type WindowOptionsCheck<Layer extends string, Options, Keys extends string> = {
  readonly [Key in Keys & keyof Options]?: Options[Key] extends Window2D
    ? WindowCheck<Layer, Key, Options[Key]>
    : unknown;
};

/** `Value` where it is (or may be) a positive integer; the message where it can be seen not to be. */
export type PositiveArg<Layer extends string, Option extends string, Value extends number> = Unchecked<
  Value,
  number,
  IsPositiveInteger<Value> extends false ? OptionMessage<Layer, Option, 'a positive integer', Value> : Value,
  Value
>;

/**
 * For a size given as one number or a pair: `unknown` when good, `{ error: message }` when it can be seen to be
 * bad. Intersected with the parameter (`kernelSize: Kernel & WindowCheck<...>`) so that a pair literal is still
 * inferred as a tuple.
 */
export type WindowCheck<Layer extends string, Option extends string, Size extends Window2D> = Size extends number
  ? IsPositiveInteger<Size> extends false
    ? { readonly error: OptionMessage<Layer, Option, 'a positive integer', Size> }
    : unknown
  : Size extends readonly [infer First extends number, infer Second extends number]
    ? true extends _Bad<First> | _Bad<Second>
      ? { readonly error: OptionMessage<Layer, Option, 'positive integers', `[${First}, ${Second}]`> }
      : unknown
    : unknown;

/** `true` only for a number that can be seen not to be a positive integer. */
type _Bad<N extends number> = IsPositiveInteger<N> extends false ? true : false;

/**
 * `true` where a size or pair can be seen to exceed 1 somewhere; `false` where it cannot (1, a wide number, or a
 * size that is not a positive integer, which has an error of its own).
 */
type _Exceeds1<Size> = Size extends number
  ? IsPositiveInteger<Size> extends true
    ? Size extends 1
      ? false
      : true
    : false
  : Size extends readonly [infer First, infer Second]
    ? true extends _Exceeds1<First> | _Exceeds1<Second>
      ? true
      : false
    : false;

type _Written<Size> = Size extends number
  ? Size
  : Size extends readonly [infer First extends number, infer Second extends number]
    ? `[${First}, ${Second}]`
    : never;

const stridesOrDilationRule = 'cannot both exceed 1; set one of them to 1';

/**
 * Convolutions take strides above 1 or a dilation above 1, not both (Keras refuses it when the layer is made; tfjs
 * only when it runs). Intersected with the options: `unknown` when fine, an error at `dilationRate` when both
 * literals can be seen to exceed 1.
 */
export type StridesOrDilationCheck<Layer extends string, Options> =
  true extends _Exceeds1<Opt<Options, 'strides', 1>>
    ? true extends _Exceeds1<Opt<Options, 'dilationRate', 1>>
      ? {
          readonly dilationRate: {
            readonly error: OptionConflictMessage<
              Layer,
              'strides',
              'dilationRate',
              [_Written<Opt<Options, 'strides', 1>>, _Written<Opt<Options, 'dilationRate', 1>>],
              typeof stridesOrDilationRule
            >;
          };
        }
      : unknown
    : unknown;

/** Value-level twin of StridesOrDilationCheck, on the checked sizes and the values as written. */
export function stridesOrDilation(
  layer: string,
  strides: readonly number[],
  dilations: readonly number[],
  written: { readonly strides: unknown; readonly dilationRate: unknown },
): void {
  if (strides.some((size) => size > 1) && dilations.some((size) => size > 1))
    fail({
      code: 'option-conflict',
      layer,
      options: ['strides', 'dilationRate'],
      received: [describe(written.strides), describe(written.dilationRate)],
      rule: stridesOrDilationRule,
    });
}

/**
 * Checks number options that must not be negative (ReLU's maxValue, LeakyReLU's negativeSlope, ...): intersected with
 * the options, an error at the property whose literal can be seen to be negative.
 */
export type NonNegativeOptionsCheck<Layer extends string, Options, Keys extends string> = {
  readonly [Key in Keys & keyof Options]?: Options[Key] extends number
    ? `${Options[Key]}` extends `-${string}`
      ? { readonly error: OptionMessage<Layer, Key, 'a non-negative number', Options[Key]> }
      : unknown
    : unknown;
};

/** Value-level twin of NonNegativeOptionsCheck, for one option. */
export function nonNegative(layer: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail({ code: 'option', layer, option, expected: 'a non-negative number', received: describe(value) });
  return value;
}

/** A rate where it is (or may be) in [0, 1); the message where it can be seen not to be (Dropout and the noise layers). */
export type LayerRateArg<Layer extends string, Rate extends number> = number extends Rate
  ? Rate
  : `${Rate}` extends '0' | `0.${string}`
    ? Rate
    : OptionMessage<Layer, 'rate', 'a number in [0, 1)', Rate>;

/** Value-level twin of LayerRateArg. */
export function unitRate(layer: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1))
    fail({ code: 'option', layer, option: 'rate', expected: 'a number in [0, 1)', received: String(value) });
  return value;
}

/** Checks a positive integer option at run time. */
export function positiveInteger(layer: string, option: string, value: unknown): number {
  if (!isPositiveInteger(value))
    fail({ code: 'option', layer, option, expected: 'a positive integer', received: describe(value) });
  return value;
}

/** Checks a one-number-or-pair option at run time and returns the pair. */
export function window2D(layer: string, option: string, value: unknown): [number, number] {
  if (typeof value === 'number') {
    const size = positiveInteger(layer, option, value);
    return [size, size];
  }
  if (Array.isArray(value) && value.length === 2) {
    const [first, second]: unknown[] = value;
    if (isPositiveInteger(first) && isPositiveInteger(second)) return [first, second];
  }
  return fail({ code: 'option', layer, option, expected: 'positive integers', received: describe(value) });
}

/** A 3-D window size, stride or dilation: one number for every spatial axis, or one per axis. */
export type Window3D = number | readonly [number, number, number];

/** `5` => `[5, 5, 5]`; `[5, 3, 1]` stays. */
export type Triple<Size extends Window3D> = Size extends number
  ? [Size, Size, Size]
  : Size extends readonly [infer First extends number, infer Second extends number, infer Third extends number]
    ? [First, Second, Third]
    : [number, number, number];

/** Checks a one-number-or-triple option at run time and returns the triple. */
export function window3D(layer: string, option: string, value: unknown): [number, number, number] {
  if (typeof value === 'number') {
    const size = positiveInteger(layer, option, value);
    return [size, size, size];
  }
  if (Array.isArray(value) && value.length === 3) {
    const [first, second, third]: unknown[] = value;
    if (isPositiveInteger(first) && isPositiveInteger(second) && isPositiveInteger(third))
      return [first, second, third];
  }
  return fail({ code: 'option', layer, option, expected: 'positive integers', received: describe(value) });
}

/** Checks that an option is one of a set of strings. */
export function oneOf<const Allowed extends string>(
  layer: string,
  option: string,
  value: unknown,
  allowed: readonly Allowed[],
): Allowed {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined)
    fail({
      code: 'option',
      layer,
      option,
      expected: `one of ${allowed.map(describe).join(', ')}`,
      received: describe(value),
    });
  return found;
}

/** Checks a boolean option. */
export function boolean(layer: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    fail({ code: 'option', layer, option, expected: 'true or false', received: describe(value) });
  return value;
}

/** Checks that options is absent or a plain object. */
export function optionsObject(layer: string, options: unknown): { readonly [key: string]: unknown } {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    fail({ code: 'option', layer, option: 'options', expected: 'an object', received: describe(options) });
  return { ...options };
}

/** The options every layer takes. */
export interface BaseOptions {
  /** The layer's name; by default a unique snake_case name as in Keras (`dense_1`). */
  readonly name?: string;
  /** Whether training updates the layer's weights (default true); also a settable property (`getLayer`). */
  readonly trainable?: boolean;
}
