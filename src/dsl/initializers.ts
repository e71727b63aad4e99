// Weight initializers, as Keras 3 names them (keras/src/initializers/__init__.py): every layer's `...Initializer`
// option is checked and resolved here, saved as `{ className, config }`, and lowered to a tfjs initializer. Where
// tfjs computes otherwise (its truncated-normal variance scaling omits Keras's 1/0.8796 correction, it has no
// untruncated normal, its identity is square only), a kerats initializer class computes Keras's formula.
import * as tf from '@tensorflow/tfjs';
import { describe, fail, type OptionMessage } from '../errors.ts';
import { type ClassOptionKinds, classOption } from './class-option.ts';
import type { JsonValue } from './layer.ts';

/** The initializers by their camelCase names; each accepts the config keys listed (Keras's, in camelCase). */
const configKeys = {
  zeros: [],
  ones: [],
  constant: ['value'],
  randomNormal: ['mean', 'stddev', 'seed'],
  randomUniform: ['minval', 'maxval', 'seed'],
  truncatedNormal: ['mean', 'stddev', 'seed'],
  varianceScaling: ['scale', 'mode', 'distribution', 'seed'],
  glorotUniform: ['seed'],
  glorotNormal: ['seed'],
  heUniform: ['seed'],
  heNormal: ['seed'],
  lecunUniform: ['seed'],
  lecunNormal: ['seed'],
  orthogonal: ['gain', 'seed'],
  identity: ['gain'],
} as const;

type _Kind = keyof typeof configKeys;

/** Keras's other spellings (snake_case, its aliases, tfjs's leCun) of each initializer. */
const aliases = {
  random_normal: 'randomNormal',
  random_uniform: 'randomUniform',
  truncated_normal: 'truncatedNormal',
  variance_scaling: 'varianceScaling',
  glorot_uniform: 'glorotUniform',
  glorot_normal: 'glorotNormal',
  he_uniform: 'heUniform',
  he_normal: 'heNormal',
  lecun_uniform: 'lecunUniform',
  lecun_normal: 'lecunNormal',
  leCunUniform: 'lecunUniform',
  leCunNormal: 'lecunNormal',
  zero: 'zeros',
  one: 'ones',
  normal: 'randomNormal',
  uniform: 'randomUniform',
} as const satisfies { readonly [alias: string]: _Kind };

/** Keras's class names (`{ className: 'GlorotUniform' }`, as Keras saves them). */
const classNames = {
  Zeros: 'zeros',
  Ones: 'ones',
  Constant: 'constant',
  RandomNormal: 'randomNormal',
  RandomUniform: 'randomUniform',
  TruncatedNormal: 'truncatedNormal',
  VarianceScaling: 'varianceScaling',
  GlorotUniform: 'glorotUniform',
  GlorotNormal: 'glorotNormal',
  HeUniform: 'heUniform',
  HeNormal: 'heNormal',
  LecunUniform: 'lecunUniform',
  LecunNormal: 'lecunNormal',
  Orthogonal: 'orthogonal',
  Identity: 'identity',
} as const satisfies { readonly [className: string]: _Kind };

/** An initializer by name: camelCase (`'glorotUniform'`) or Keras's snake_case (`'glorot_uniform'`). */
export type InitializerName = _Kind | keyof typeof aliases;

/** An initializer's class name in `{ className, config }`: a name, or Keras's class name (`'GlorotUniform'`). */
export type InitializerClassName = InitializerName | keyof typeof classNames;

/** Keras's `{ class_name, config }`, in camelCase: `{ className: 'randomNormal', config: { stddev: 0.1 } }`. */
export interface InitializerObject {
  readonly className: InitializerClassName | (string & Record<never, never>);
  readonly config?: { readonly [key: string]: number | string | null };
}

/**
 * What a `...Initializer` option takes. Any string is accepted by the options type so that a name read at run time
 * compiles; a literal that is no initializer's name is a compile error (InitializerCheck) and a runtime one.
 */
export type Initializer = InitializerName | InitializerObject | (string & Record<never, never>);

/** The names an error lists: the camelCase ones (each also in snake_case). */
const listed = Object.keys(configKeys);
const expectedNames = `one of ${listed.join(', ')} (or snake_case)`;

type _Join<Names extends readonly string[]> = Names extends readonly [
  infer First extends string,
  ...infer Rest extends string[],
]
  ? Rest extends []
    ? First
    : `${First}, ${_Join<Rest>}`
  : '';

type _Listed = [
  'zeros',
  'ones',
  'constant',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'lecunUniform',
  'lecunNormal',
  'orthogonal',
  'identity',
];

/** The expected part of an initializer name's message, as the runtime words it. */
export type InitializerExpected = `one of ${_Join<_Listed>} (or snake_case)`;

/** `unknown` for a good name (or one the compiler cannot see); the message for a literal that names none. */
type _NameCheck<Layer extends string, Option extends string, Name> = string extends Name
  ? unknown
  : Name extends InitializerClassName
    ? unknown
    : Name extends string
      ? { readonly error: OptionMessage<Layer, Option, InitializerExpected, `'${Name}'`> }
      : unknown;

/**
 * Checks the `...Initializer` options of an options literal; intersected with the options parameter, a name that
 * is no initializer's is a compile error at that property, whose text is the message.
 */
export type InitializerOptionsCheck<Layer extends string, Options> = {
  readonly [Key in keyof Options & `${string}Initializer`]?: Options[Key] extends string
    ? _NameCheck<Layer, Key, Options[Key]>
    : Options[Key] extends { readonly className: infer Name }
      ? { readonly className?: _NameCheck<Layer, `${Key}.className`, Name> }
      : unknown;
};

/** An initializer resolved: its camelCase name and its whole config (defaults filled in), as saved. */
export interface ResolvedInitializer {
  readonly className: _Kind;
  readonly config: { readonly [key: string]: JsonValue };
}

const classes: ClassOptionKinds<_Kind> = {
  kinds: listed.filter((name): name is _Kind => Object.hasOwn(configKeys, name)),
  aliases: { ...aliases, ...classNames },
  keys: (kind) => configKeys[kind],
  expectedNames,
  expected: 'an initializer name or { className, config }',
};

function numberIn(layer: string, option: string, value: unknown, fallback: number, positive = false): number {
  const given = value ?? fallback;
  if (typeof given !== 'number' || !Number.isFinite(given) || (positive && given <= 0))
    fail({
      code: 'option',
      layer,
      option,
      expected: positive ? 'a positive number' : 'a finite number',
      received: describe(given),
    });
  return given;
}

const modes = ['fan_in', 'fan_out', 'fan_avg'] as const;
const distributions = ['truncated_normal', 'untruncated_normal', 'uniform'] as const;

function choice<const Allowed extends string>(
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

/** The variance scaling each named initializer is (Keras's GlorotUniform is VarianceScaling(1, fan_avg, uniform)). */
const scalings: { readonly [Kind in _Kind]?: { scale: number; mode: string; distribution: string } } = {
  glorotUniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  glorotNormal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  heUniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  heNormal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  lecunUniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  lecunNormal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};

/**
 * Checks an initializer option (a name or `{ className, config }`) and resolves it with Keras's defaults. Every
 * layer's `...Initializer` options go through here; undefined stays undefined (the layer's default).
 */
export function initializerOption(layer: string, option: string, value: unknown): ResolvedInitializer | undefined {
  if (value === undefined) return undefined;
  const { kind, given } = classOption(classes, layer, option, value);
  const at = (key: string) => `${option}.config.${key}`;
  if (given.seed !== undefined && given.seed !== null && !Number.isInteger(given.seed))
    fail({ code: 'option', layer, option: at('seed'), expected: 'an integer', received: describe(given.seed) });
  const seed = typeof given.seed === 'number' ? { seed: given.seed } : {};
  const config = ((): { readonly [key: string]: JsonValue } => {
    switch (kind) {
      case 'zeros':
      case 'ones':
        return {};
      case 'constant':
        return { value: numberIn(layer, at('value'), given.value, 0) };
      case 'randomNormal':
      case 'truncatedNormal':
        return {
          mean: numberIn(layer, at('mean'), given.mean, 0),
          stddev: numberIn(layer, at('stddev'), given.stddev, 0.05, true),
          ...seed,
        };
      case 'randomUniform': {
        const minval = numberIn(layer, at('minval'), given.minval, -0.05);
        const maxval = numberIn(layer, at('maxval'), given.maxval, 0.05);
        if (maxval <= minval)
          fail({
            code: 'option',
            layer,
            option: at('maxval'),
            expected: `above minval (${minval})`,
            received: describe(maxval),
          });
        return { minval, maxval, ...seed };
      }
      case 'varianceScaling': {
        const distribution = given.distribution === 'normal' ? 'truncated_normal' : given.distribution;
        return {
          scale: numberIn(layer, at('scale'), given.scale, 1, true),
          mode: choice(layer, at('mode'), given.mode ?? 'fan_in', modes),
          distribution: choice(layer, at('distribution'), distribution ?? 'truncated_normal', distributions),
          ...seed,
        };
      }
      case 'orthogonal':
        return { gain: numberIn(layer, at('gain'), given.gain, 1), ...seed };
      case 'identity':
        return { gain: numberIn(layer, at('gain'), given.gain, 1) };
      default:
        return seed;
    }
  })();
  return { className: kind, config };
}

/** A tfjs initializer object (`tf.initializers.constant({ value: 0.5 })`); tfjs does not export its class's name. */
export type TfInitializer = ReturnType<typeof tf.initializers.constant>;

const zerosInitializer = tf.initializers.zeros();

/** tfjs's Initializer class, which its layers test with instanceof (tfjs exports only its factories). */
const InitializerBase = ((): (abstract new () => TfInitializer) => {
  const base: unknown = Object.getPrototypeOf(zerosInitializer.constructor);
  const isBase = (value: unknown): value is abstract new () => TfInitializer =>
    typeof value === 'function' && zerosInitializer instanceof value;
  if (!isBase(base)) throw new Error('kerats: tfjs has no Initializer class above Zeros');
  return base;
})();

function numberOf(config: tf.serialization.ConfigDict, key: string, fallback: number): number {
  const value = config[key];
  return typeof value === 'number' ? value : fallback;
}

/** Keras's fans of a weight shape (keras/src/initializers/random_initializers.py compute_fans). */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0] ?? 1, shape[0] ?? 1];
  const receptive = shape.slice(0, -2).reduce((product, dim) => product * dim, 1);
  return [(shape.at(-2) ?? 1) * receptive, (shape.at(-1) ?? 1) * receptive];
}

/**
 * Keras 3's VarianceScaling (and the Glorot, He and LeCun initializers, which are ones) and Identity, computed as
 * Keras does. Registered, so that a saved tfjs topology loads with tf.loadLayersModel once kerats is imported.
 */
class KeratsInitializer extends InitializerBase {
  static readonly className = 'KeratsInitializer';

  constructor(private readonly settings: tf.serialization.ConfigDict) {
    super();
  }

  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    const { settings } = this;
    const seedValue = settings.seed;
    const seed = typeof seedValue === 'number' ? seedValue : undefined;
    if (settings.kind === 'identity') {
      const [rows, columns] = shape;
      if (shape.length !== 2 || rows === undefined || columns === undefined)
        throw new Error(`kerats: the identity initializer makes 2-D weights only, not [${shape.join(', ')}]`);
      return tf.tidy(() =>
        tf.mul(
          tf.eye(rows, columns, undefined, dtype === 'int32' ? 'int32' : 'float32'),
          numberOf(settings, 'gain', 1),
        ),
      );
    }
    const [fanIn, fanOut] = fans(shape);
    const mode = settings.mode;
    const fan = mode === 'fan_out' ? fanOut : mode === 'fan_avg' ? (fanIn + fanOut) / 2 : fanIn;
    const scale = numberOf(settings, 'scale', 1) / Math.max(1, fan);
    const type = dtype === 'int32' ? 'int32' : 'float32';
    if (settings.distribution === 'uniform') {
      const limit = Math.sqrt(3 * scale);
      return tf.randomUniform(shape, -limit, limit, type, seed);
    }
    if (settings.distribution === 'untruncated_normal') return tf.randomNormal(shape, 0, Math.sqrt(scale), type, seed);
    // The stddev of a unit normal truncated at 2: Keras divides by it so that the truncated values have `scale`.
    return tf.truncatedNormal(shape, 0, Math.sqrt(scale) / 0.87962566103423978, type, seed);
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
tf.serialization.registerClass(KeratsInitializer);

function optionalSeed(config: ResolvedInitializer['config']): { seed?: number } {
  return typeof config.seed === 'number' ? { seed: config.seed } : {};
}

function num(config: ResolvedInitializer['config'], key: string): number {
  const value = config[key];
  return typeof value === 'number' ? value : 0;
}

/** The tfjs initializer of a resolved one: tfjs's own where it computes as Keras does, kerats' otherwise. */
export function tfjsInitializer({ className, config }: ResolvedInitializer): TfInitializer {
  switch (className) {
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
    case 'constant':
      return tf.initializers.constant({ value: num(config, 'value') });
    case 'randomNormal':
      return tf.initializers.randomNormal({
        mean: num(config, 'mean'),
        stddev: num(config, 'stddev'),
        ...optionalSeed(config),
      });
    case 'truncatedNormal':
      return tf.initializers.truncatedNormal({
        mean: num(config, 'mean'),
        stddev: num(config, 'stddev'),
        ...optionalSeed(config),
      });
    case 'randomUniform':
      return tf.initializers.randomUniform({
        minval: num(config, 'minval'),
        maxval: num(config, 'maxval'),
        ...optionalSeed(config),
      });
    case 'orthogonal':
      return tf.initializers.orthogonal({ gain: num(config, 'gain'), ...optionalSeed(config) });
    case 'identity':
      return new KeratsInitializer({ kind: 'identity', gain: num(config, 'gain') });
    case 'varianceScaling':
      return new KeratsInitializer({ kind: 'varianceScaling', ...toConfigDict(config) });
    default: {
      const scaling = scalings[className] ?? { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' };
      return new KeratsInitializer({ kind: 'varianceScaling', ...scaling, ...optionalSeed(config) });
    }
  }
}

function toConfigDict(config: ResolvedInitializer['config']): tf.serialization.ConfigDict {
  const dict: tf.serialization.ConfigDict = {};
  for (const [key, value] of Object.entries(config)) if (typeof value !== 'object' || value === null) dict[key] = value;
  return dict;
}

/** Resolves each `...Initializer` option named in `keys`: the resolved ones (for the config), and tfjs's. */
export function initializerOptions<const Key extends string>(
  layer: string,
  options: { readonly [key: string]: unknown },
  keys: readonly Key[],
): {
  readonly config: { readonly [key: string]: JsonValue };
  readonly tfjs: { readonly [Name in Key]?: TfInitializer };
} {
  const config: { [key: string]: JsonValue } = {};
  const tfjs: { [Name in Key]?: TfInitializer } = {};
  for (const key of keys) {
    const resolved = initializerOption(layer, key, options[key]);
    if (resolved === undefined) {
      // Keras's default kernel is glorot_uniform; tfjs's layers default theirs to glorotNormal. tfjs's own
      // GlorotUniform computes Keras's formula and keeps a saved tfjs model loadable by stock tfjs.
      if (key === 'kernelInitializer') tfjs[key] = tf.initializers.glorotUniform({});
      continue;
    }
    config[key] = { className: resolved.className, config: resolved.config };
    tfjs[key] = tfjsInitializer(resolved);
  }
  return { config, tfjs };
}
