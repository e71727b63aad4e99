// Weight constraints, as Keras 3 names them (keras/src/constraints/__init__.py): every layer's `...Constraint`
// option is checked and resolved here, saved as `{ className, config }`, and lowered to tfjs's constraint, which
// computes Keras's formula (keras/src/constraints/constraints.py). The training loop applies a weight's
// constraint after each optimizer update, as Keras's optimizer does (src/runtime/graph.ts).
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage } from '../errors.ts';
import { type ClassOptionKinds, classOption } from './class-option.ts';
import type { JsonValue } from './layer.ts';

const configKeys = {
  maxNorm: ['maxValue', 'axis'],
  nonNeg: [],
  unitNorm: ['axis'],
  minMaxNorm: ['minValue', 'maxValue', 'rate', 'axis'],
} as const;

type _Kind = keyof typeof configKeys;

/** Keras's snake_case and class names of each constraint. */
const aliases = {
  max_norm: 'maxNorm',
  non_neg: 'nonNeg',
  unit_norm: 'unitNorm',
  min_max_norm: 'minMaxNorm',
  MaxNorm: 'maxNorm',
  NonNeg: 'nonNeg',
  UnitNorm: 'unitNorm',
  MinMaxNorm: 'minMaxNorm',
} as const satisfies { readonly [alias: string]: _Kind };

/** A constraint by name: camelCase (`'nonNeg'`), Keras's snake_case (`'non_neg'`) or class name (`'NonNeg'`). */
export type ConstraintName = _Kind | keyof typeof aliases;

/** Keras's `{ class_name, config }`, in camelCase: `{ className: 'maxNorm', config: { maxValue: 3, axis: 0 } }`. */
export interface ConstraintObject {
  readonly className: ConstraintName | (string & Record<never, never>);
  readonly config?: { readonly [key: string]: number };
}

/** What a `...Constraint` option takes (any string compiles; a literal that names none is an error). */
export type Constraint = ConstraintName | ConstraintObject | (string & Record<never, never>);

export type ConstraintExpected = "one of 'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' (or their snake_case names)";
const expectedNames: ConstraintExpected =
  "one of 'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' (or their snake_case names)";

type _NameCheck<Layer extends string, Option extends string, Name> = string extends Name
  ? unknown
  : Name extends ConstraintName
    ? unknown
    : Name extends string
      ? { readonly error: OptionMessage<Layer, Option, ConstraintExpected, `'${Name}'`> }
      : unknown;

/** Checks the `...Constraint` options of an options literal, as InitializerOptionsCheck does initializers. */
export type ConstraintOptionsCheck<Layer extends string, Options> = {
  readonly [Key in keyof Options & `${string}Constraint`]?: Options[Key] extends string
    ? _NameCheck<Layer, Key, Options[Key]>
    : Options[Key] extends { readonly className: infer Name }
      ? { readonly className?: _NameCheck<Layer, `${Key}.className`, Name> }
      : unknown;
};

export interface ResolvedConstraint {
  readonly className: _Kind;
  readonly config: { readonly [key: string]: number };
}

const classes: ClassOptionKinds<_Kind> = {
  kinds: ['maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm'],
  aliases,
  keys: (kind) => configKeys[kind],
  expectedNames,
  expected: 'a constraint name or { className, config }',
};

/** Checks a constraint option and resolves it with Keras's defaults; undefined stays undefined (none). */
export function constraintOption(layer: string, option: string, value: unknown): ResolvedConstraint | undefined {
  if (value === undefined) return undefined;
  const { kind, given } = classOption(classes, layer, option, value);
  const read = (key: string, fallback: number, check: (value: number) => boolean, expected: string): number => {
    const found = given[key] ?? fallback;
    if (typeof found !== 'number' || !Number.isFinite(found) || !check(found))
      fail({ code: 'option', layer, option: `${option}.config.${key}`, expected, received: describe(found) });
    return found;
  };
  const axis = () => read('axis', 0, Number.isInteger, 'an integer (the weight axis the norms run along)');
  const nonNegative = (found: number) => found >= 0;
  switch (kind) {
    case 'nonNeg':
      return { className: kind, config: {} };
    case 'maxNorm':
      return {
        className: kind,
        config: { maxValue: read('maxValue', 2, nonNegative, 'a non-negative number'), axis: axis() },
      };
    case 'unitNorm':
      return { className: kind, config: { axis: axis() } };
    case 'minMaxNorm': {
      const minValue = read('minValue', 0, nonNegative, 'a non-negative number');
      const maxValue = read('maxValue', 1, (found) => found >= minValue, `a number at least minValue (${minValue})`);
      const rate = read('rate', 1, (found) => found >= 0 && found <= 1, 'a number in [0, 1]');
      return { className: kind, config: { minValue, maxValue, rate, axis: axis() } };
    }
  }
}

/** A tfjs constraint object; tfjs does not export its class's name. */
export type TfConstraint = ReturnType<typeof tf.constraints.nonNeg>;

/** tfjs's constraint of a resolved one (tfjs's MaxNorm, NonNeg, UnitNorm and MinMaxNorm compute Keras's formulas). */
function builtIn(className: unknown, config: { readonly [key: string]: unknown }): TfConstraint {
  const num = (key: string, fallback: number) => {
    const value = config[key];
    return typeof value === 'number' ? value : fallback;
  };
  switch (className) {
    case 'maxNorm':
      return tf.constraints.maxNorm({ maxValue: num('maxValue', 2), axis: num('axis', 0) });
    case 'unitNorm':
      return tf.constraints.unitNorm({ axis: num('axis', 0) });
    case 'minMaxNorm':
      return tf.constraints.minMaxNorm({
        minValue: num('minValue', 0),
        maxValue: num('maxValue', 1),
        rate: num('rate', 1),
        axis: num('axis', 0),
      });
    default:
      return tf.constraints.nonNeg();
  }
}

const nonNegConstraint = tf.constraints.nonNeg();

/** tfjs's Constraint class, which its layers test with instanceof (tfjs exports only its factories). */
const ConstraintBase = ((): (abstract new () => TfConstraint) => {
  const base: unknown = Object.getPrototypeOf(nonNegConstraint.constructor);
  const isBase = (value: unknown): value is abstract new () => TfConstraint =>
    typeof value === 'function' && nonNegConstraint instanceof value;
  if (!isBase(base)) throw new Error('kerats: tfjs has no Constraint class above NonNeg');
  return base;
})();

let projecting = false;

/**
 * Runs `project` with the constraints active. tfjs applies a weight's constraint whenever the weight is written
 * (loading, setWeights); Keras only after an optimizer update, so kerats' constraints pass values through
 * unchanged except inside this call, which the training loop makes after each update.
 */
export function withConstraints<T>(project: () => T): T {
  projecting = true;
  try {
    return project();
  } finally {
    projecting = false;
  }
}

/** A Keras constraint for tfjs, active only inside withConstraints; registered, so a saved topology loads. */
class KeratsConstraint extends ConstraintBase {
  static readonly className = 'KeratsConstraint';
  private readonly inner: TfConstraint;

  constructor(private readonly settings: tf.serialization.ConfigDict) {
    super();
    this.inner = builtIn(settings.kind, settings);
  }

  override apply(weight: tf.Tensor): tf.Tensor {
    return projecting ? this.inner.apply(weight) : weight;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.settings };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
tf.serialization.registerClass(KeratsConstraint);

/** The tfjs constraint of a resolved one. */
export function tfjsConstraint({ className, config }: ResolvedConstraint): TfConstraint {
  return new KeratsConstraint({ kind: className, ...config });
}

/** Resolves each `...Constraint` option named in `keys`: the resolved ones (for the config), and tfjs's. */
export function constraintOptions<const Key extends string>(
  layer: string,
  options: { readonly [key: string]: unknown },
  keys: readonly Key[],
): {
  readonly config: { readonly [key: string]: JsonValue };
  readonly tfjs: { readonly [Name in Key]?: TfConstraint };
} {
  const config: { [key: string]: JsonValue } = {};
  const tfjs: { [Name in Key]?: TfConstraint } = {};
  for (const key of keys) {
    const resolved = constraintOption(layer, key, options[key]);
    if (resolved === undefined) continue;
    config[key] = { className: resolved.className, config: resolved.config };
    tfjs[key] = tfjsConstraint(resolved);
  }
  return { config, tfjs };
}
