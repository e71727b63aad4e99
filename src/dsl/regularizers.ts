// Weight and activity regularizers, as Keras 3 names them (keras/src/regularizers/__init__.py: each class by its
// name and its snake_case name, `L1`/`l1`, `L2`/`l2`, `L1L2`/`l1l2`): every layer's `...Regularizer` option is
// checked and resolved here, saved as `{ className, config }`, and lowered to tfjs's L1L2, which computes Keras's
// formula (keras/src/regularizers/regularizers.py: l1 * sum(|x|) + l2 * sum(x^2)). The runtime adds the penalties
// of the trainable weights, and each activity penalty divided by the batch size, to the loss (src/runtime/graph.ts).
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage } from '../errors.ts';
import { type ClassOptionKinds, classOption } from './class-option.ts';
import type { JsonValue } from './layer.ts';

/** Each regularizer's factors and Keras's defaults: `'l1'` is L1(0.01), `'l2'` L2(0.01), `'l1l2'` L1L2(0, 0). */
const defaults = {
  l1: { l1: 0.01 },
  l2: { l2: 0.01 },
  l1l2: { l1: 0, l2: 0 },
} as const;

type _Kind = keyof typeof defaults;

/** Keras's class names of each regularizer (its snake_case names are the camelCase ones). */
const aliases = { L1: 'l1', L2: 'l2', L1L2: 'l1l2' } as const satisfies { readonly [alias: string]: _Kind };

/** A regularizer by name: `'l1'`, `'l2'`, `'l1l2'`, or Keras's class name (`'L2'`). */
export type RegularizerName = _Kind | keyof typeof aliases;

/** Keras's `{ class_name, config }`, in camelCase: `{ className: 'l2', config: { l2: 0.001 } }`. */
export interface RegularizerObject {
  readonly className: RegularizerName | (string & Record<never, never>);
  readonly config?: { readonly [key: string]: number };
}

/** What a `...Regularizer` option takes (any string compiles; a literal that names none is an error). */
export type Regularizer = RegularizerName | RegularizerObject | (string & Record<never, never>);

export type RegularizerExpected = "one of 'l1', 'l2', 'l1l2' (or Keras's class names 'L1', 'L2', 'L1L2')";
const expectedNames: RegularizerExpected = "one of 'l1', 'l2', 'l1l2' (or Keras's class names 'L1', 'L2', 'L1L2')";

type _NameCheck<Layer extends string, Option extends string, Name> = string extends Name
  ? unknown
  : Name extends RegularizerName
    ? unknown
    : Name extends string
      ? { readonly error: OptionMessage<Layer, Option, RegularizerExpected, `'${Name}'`> }
      : unknown;

/** Checks the `...Regularizer` options of an options literal, as ConstraintOptionsCheck does constraints. */
export type RegularizerOptionsCheck<Layer extends string, Options> = {
  readonly [Key in keyof Options & `${string}Regularizer`]?: Options[Key] extends string
    ? _NameCheck<Layer, Key, Options[Key]>
    : Options[Key] extends { readonly className: infer Name }
      ? { readonly className?: _NameCheck<Layer, `${Key}.className`, Name> }
      : unknown;
};

/** A regularizer with its factors filled in (a type, not an interface: a config holds it as JSON). */
export type ResolvedRegularizer = {
  readonly className: _Kind;
  readonly config: { readonly l1?: number; readonly l2?: number };
};

/**
 * Keras's `regularizers.L1(l1 = 0.01)`: a penalty of `l1 * sum(|x|)`.
 * @example Dense(64, { kernelRegularizer: l1(0.001) })
 */
export function l1(factor = 0.01): { readonly className: 'l1'; readonly config: { readonly l1: number } } {
  return { className: 'l1', config: { l1: factor } };
}

/**
 * Keras's `regularizers.L2(l2 = 0.01)`: a penalty of `l2 * sum(x^2)`.
 * @example Dense(64, { kernelRegularizer: l2(1e-4) })
 */
export function l2(factor = 0.01): { readonly className: 'l2'; readonly config: { readonly l2: number } } {
  return { className: 'l2', config: { l2: factor } };
}

/**
 * Keras's `regularizers.L1L2(l1 = 0, l2 = 0)`: a penalty of `l1 * sum(|x|) + l2 * sum(x^2)`.
 * @example Dense(64, { kernelRegularizer: l1l2({ l1: 1e-5, l2: 1e-4 }) })
 */
export function l1l2(factors: { readonly l1?: number; readonly l2?: number } = {}): {
  readonly className: 'l1l2';
  readonly config: { readonly l1: number; readonly l2: number };
} {
  return { className: 'l1l2', config: { l1: factors.l1 ?? 0, l2: factors.l2 ?? 0 } };
}

const classes: ClassOptionKinds<_Kind> = {
  kinds: ['l1', 'l2', 'l1l2'],
  aliases,
  keys: (kind) => Object.keys(defaults[kind]),
  expectedNames,
  expected: "a regularizer name ('l1', 'l2', 'l1l2'), l2(factor) or { className, config }",
};

/** Checks a regularizer option and resolves it with Keras's defaults; undefined stays undefined (none). */
export function regularizerOption(layer: string, option: string, value: unknown): ResolvedRegularizer | undefined {
  if (value === undefined || value === null) return undefined;
  const { kind, given } = classOption(classes, layer, option, value);
  const factors: { readonly [key: string]: number } = defaults[kind];
  const keys = Object.keys(factors);
  const config: { [key: string]: number } = {};
  for (const key of keys) {
    // Keras's validate_float_arg: a finite, non-negative number (None is the default).
    const found = given[key] ?? factors[key];
    if (typeof found !== 'number' || !Number.isFinite(found) || found < 0)
      fail({
        code: 'option',
        layer,
        option: `${option}.config.${key}`,
        expected: 'a non-negative number',
        received: describe(found),
      });
    config[key] = found;
  }
  return { className: kind, config };
}

/** The penalty of a regularizer on a tensor, Keras's `regularizer(x)`: l1 * sum(|x|) + l2 * sum(x^2). */
export function penalty({ config }: ResolvedRegularizer, x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const value = tf.cast(x, 'float32');
    let total: tf.Scalar = tf.scalar(0);
    if ((config.l1 ?? 0) !== 0) total = tf.add(total, tf.mul(config.l1 ?? 0, tf.sum(tf.abs(value))));
    if ((config.l2 ?? 0) !== 0) total = tf.add(total, tf.mul(config.l2 ?? 0, tf.sum(tf.square(value))));
    return total;
  });
}

/**
 * An activity penalty as Keras 3's Layer.__call__ adds it: the regularizer of the output divided by the batch
 * size (divide_no_nan: an empty batch adds 0), so that its weight beside the weight penalties is the same at any
 * batch size.
 */
export function activityPenalty(regularizer: ResolvedRegularizer, output: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const batch = output.shape[0] ?? 1;
    const value = penalty(regularizer, output);
    return batch === 0 ? tf.zerosLike(value) : tf.div(value, batch);
  });
}

/** A tfjs regularizer object; tfjs does not export its class's name. */
export type TfRegularizer = ReturnType<typeof tf.regularizers.l1l2>;

/** tfjs's L1L2 of a resolved regularizer (Keras's formula; it is registered, so a saved topology loads). */
export function tfjsRegularizer({ config }: ResolvedRegularizer): TfRegularizer {
  return tf.regularizers.l1l2({ l1: config.l1 ?? 0, l2: config.l2 ?? 0 });
}

/**
 * Resolves each `...Regularizer` option named in `keys`: the resolved ones (for the config), tfjs's (for the
 * tfjs layer's arguments), and the activity regularizer apart (tfjs refuses to call a layer with one; kerats'
 * runtime adds its penalty itself).
 */
export function regularizerOptions<const Key extends string>(
  layer: string,
  options: { readonly [key: string]: unknown },
  keys: readonly Key[],
): {
  readonly config: { readonly [key: string]: JsonValue };
  readonly tfjs: { readonly [Name in Exclude<Key, 'activityRegularizer'>]?: TfRegularizer };
  readonly activity: ResolvedRegularizer | undefined;
} {
  const config: { [key: string]: JsonValue } = {};
  const tfjs: { [Name in Exclude<Key, 'activityRegularizer'>]?: TfRegularizer } = {};
  let activity: ResolvedRegularizer | undefined;
  for (const key of keys) {
    const resolved = regularizerOption(layer, key, options[key]);
    if (resolved === undefined) continue;
    config[key] = { className: resolved.className, config: { ...resolved.config } };
    if (isWeightOption(key)) tfjs[key] = tfjsRegularizer(resolved);
    else activity = resolved;
  }
  return { config, tfjs, activity };
}

/**
 * Resolves each `...Regularizer` option named in `keys`, for a defined layer's config (whose weights name them:
 * WeightDef's `regularizer`).
 */
export function resolvedRegularizers<const Key extends string>(
  layer: string,
  options: { readonly [key: string]: unknown },
  keys: readonly Key[],
): { readonly [Name in Key]?: ResolvedRegularizer } {
  const resolved: { [Name in Key]?: ResolvedRegularizer } = {};
  for (const key of keys) {
    const found = regularizerOption(layer, key, options[key]);
    if (found !== undefined) resolved[key] = found;
  }
  return resolved;
}

function isWeightOption<Key extends string>(key: Key): key is Exclude<Key, 'activityRegularizer'> {
  return key !== 'activityRegularizer';
}

/**
 * Refuses the activity regularizer of Bidirectional's layer: Keras calls each direction's layer, adding the penalty
 * of each direction's outputs before they merge, which the Bidirectional's graph node does not see.
 */
export function refuseWrappedActivity(wrapper: string, inner: { readonly activityRegularizer?: ResolvedRegularizer }) {
  if (inner.activityRegularizer !== undefined)
    fail({
      code: 'option',
      layer: wrapper,
      option: 'layer.activityRegularizer',
      expected:
        "absent (Keras adds each direction's activity penalty before the merge; kerats does not compute it yet)",
      received: describe(inner.activityRegularizer.className),
    });
}
