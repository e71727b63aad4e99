// Keras 3's optimizers, each the update rule of keras/src/optimizers/<name>.py, on one base that does what
// Keras's base_optimizer.py does around it: clip the gradients (clipnorm, globalClipnorm or clipvalue), decay the
// weights (`w -= w · weightDecay · lr`), read the learning rate (a number or a schedule at the step), update,
// count the step. kerats writes them all rather than wrapping tfjs's: tfjs has no AdamW, Nadam, Lion or
// AMSGrad, places Adam's epsilon after bias correction, and its optimizers take no schedule.
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../dsl/layer.ts';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';
import { type LearningRateSchedule, learningRateAt, resolveSchedule } from './schedules.ts';

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax' | 'nadam' | 'lion';
export const optimizerNames: readonly OptimizerName[] = [
  'sgd',
  'adam',
  'adamw',
  'rmsprop',
  'adagrad',
  'adadelta',
  'adamax',
  'nadam',
  'lion',
];

/** What every optimizer takes, as Keras's base optimizer. At most one of the three clipping options. */
export interface CommonOptimizerOptions {
  /** A number, or a schedule of the step. Default: the optimizer's Keras default (0.01 for sgd, else 0.001). */
  readonly learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: `w -= w · weightDecay · lr` before each update. Default 0 (adamw: 0.004). */
  readonly weightDecay?: number;
  /** Clip each weight's gradient to this L2 norm. */
  readonly clipnorm?: number;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  readonly clipvalue?: number;
  /** Scale all gradients together so that their joint L2 norm is at most this. */
  readonly globalClipnorm?: number;
}

interface AdamOptions {
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-7. */
  readonly epsilon?: number;
  /** Keep the maximum of past second moments (AMSGrad). Default false. */
  readonly amsgrad?: boolean;
}

/** Each optimizer's own options, as Keras's in camelCase, with Keras's defaults. */
export interface OptimizerOptions {
  readonly sgd: {
    /** Default 0. */
    readonly momentum?: number;
    /** Default false. */
    readonly nesterov?: boolean;
  };
  readonly adam: AdamOptions;
  readonly adamw: AdamOptions;
  readonly rmsprop: {
    /** Default 0.9. */
    readonly rho?: number;
    /** Default 0. */
    readonly momentum?: number;
    /** Default 1e-7. */
    readonly epsilon?: number;
    /** Normalize by the variance of the gradient rather than its second moment. Default false. */
    readonly centered?: boolean;
  };
  readonly adagrad: {
    /** Default 0.1. */
    readonly initialAccumulatorValue?: number;
    /** Default 1e-7. */
    readonly epsilon?: number;
  };
  readonly adadelta: {
    /** Default 0.95. */
    readonly rho?: number;
    /** Default 1e-7. */
    readonly epsilon?: number;
  };
  readonly adamax: Omit<AdamOptions, 'amsgrad'>;
  readonly nadam: Omit<AdamOptions, 'amsgrad'>;
  readonly lion: {
    /** Default 0.9. */
    readonly beta1?: number;
    /** Default 0.99. */
    readonly beta2?: number;
  };
}

/** An optimizer with its options: `{ name: 'adamw', learningRate: 1e-3, weightDecay: 0.01, clipnorm: 1 }`. */
export type OptimizerObject = {
  readonly [Name in OptimizerName]: { readonly name: Name } & CommonOptimizerOptions & OptimizerOptions[Name];
}[OptimizerName];

/** What compile takes for `optimizer`: a Keras name with Keras's defaults, or an object with options. */
export type OptimizerArg = OptimizerName | OptimizerObject;

/** A tensor of the optimizer's state and its name, as tfjs's `NamedTensor`. */
interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

type Settings = Readonly<Record<string, number | boolean>>;

/** One weight's update: its value (after weight decay), gradient and slots in; new value and slots out. */
interface Step {
  readonly variable: tf.Tensor;
  readonly gradient: tf.Tensor;
  readonly slots: readonly tf.Tensor[];
  readonly lr: number;
  /** The iteration count before this update (Keras's `optimizer.iterations`). */
  readonly iteration: number;
  readonly options: Settings;
}

interface UpdateRule {
  /** The learning rate and own options with Keras's defaults; the options the optimizer accepts. */
  readonly defaults: Settings;
  /** The state kept per weight, by Keras's names. */
  slots(options: Settings): readonly string[];
  /** A slot's starting value. Default 0. */
  initial?(options: Settings): number;
  update(step: Step): { readonly variable: tf.Tensor; readonly slots: readonly tf.Tensor[] };
}

const n = (options: Settings, name: string): number => {
  const value = options[name];
  return typeof value === 'number' ? value : 0;
};

/** Adam and AdamW: Keras's form, `alpha = lr · sqrt(1 - β2^t) / (1 - β1^t)`, epsilon added to sqrt(v). */
function adamUpdate({ variable, gradient, slots, lr, iteration, options }: Step) {
  const [m0, v0, vHat0] = slots;
  if (!m0 || !v0) throw new Error('adam: its slots were not made');
  const beta1 = n(options, 'beta1');
  const beta2 = n(options, 'beta2');
  const t = iteration + 1;
  const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
  const m = tf.add(m0, tf.mul(tf.sub(gradient, m0), 1 - beta1));
  const v = tf.add(v0, tf.mul(tf.sub(tf.square(gradient), v0), 1 - beta2));
  const vHat = vHat0 ? tf.maximum(vHat0, v) : undefined;
  const step = tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(vHat ?? v), n(options, 'epsilon')));
  return { variable: tf.sub(variable, step), slots: vHat ? [m, v, vHat] : [m, v] };
}

const adamDefaults = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false };
const adamSlots = (options: Settings) =>
  options.amsgrad === true ? ['momentum', 'velocity', 'velocity_hat'] : ['momentum', 'velocity'];

/** Nadam's momentum schedule, `u_t = β1 · (1 - 0.5 · 0.96^t)`, and their product up to step t. */
function nadamU(beta1: number, t: number): number {
  return beta1 * (1 - 0.5 * 0.96 ** t);
}
/** The product up to step t, carried on from the last one asked for (each update asks for the next). */
const nadamLast = { beta1: Number.NaN, t: 0, product: 1 };
function nadamProduct(beta1: number, t: number): number {
  if (nadamLast.beta1 !== beta1 || nadamLast.t > t) Object.assign(nadamLast, { beta1, t: 0, product: 1 });
  while (nadamLast.t < t) {
    nadamLast.t += 1;
    nadamLast.product *= nadamU(beta1, nadamLast.t);
  }
  return nadamLast.product;
}

const rules: Readonly<Record<OptimizerName, UpdateRule>> = {
  sgd: {
    defaults: { learningRate: 0.01, momentum: 0, nesterov: false },
    slots: (options) => (n(options, 'momentum') !== 0 ? ['momentum'] : []),
    update({ variable, gradient, slots, lr, options }) {
      const [m0] = slots;
      if (!m0) return { variable: tf.sub(variable, tf.mul(gradient, lr)), slots: [] };
      const momentum = n(options, 'momentum');
      const m = tf.sub(tf.mul(m0, momentum), tf.mul(gradient, lr));
      const next =
        options.nesterov === true
          ? tf.add(variable, tf.sub(tf.mul(m, momentum), tf.mul(gradient, lr)))
          : tf.add(variable, m);
      return { variable: next, slots: [m] };
    },
  },
  adam: { defaults: adamDefaults, slots: adamSlots, update: adamUpdate },
  adamw: { defaults: { ...adamDefaults, weightDecay: 0.004 }, slots: adamSlots, update: adamUpdate },
  rmsprop: {
    defaults: { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
    slots: (options) => [
      'velocity',
      ...(n(options, 'momentum') > 0 ? ['momentum'] : []),
      ...(options.centered === true ? ['average_gradient'] : []),
    ],
    update({ variable, gradient, slots, lr, options }) {
      const rho = n(options, 'rho');
      const momentum = n(options, 'momentum');
      const [velocity0, ...rest] = slots;
      if (!velocity0) throw new Error('rmsprop: its slots were not made');
      const momentum0 = momentum > 0 ? rest[0] : undefined;
      const average0 = options.centered === true ? rest.at(-1) : undefined;
      const velocity = tf.add(tf.mul(rho, velocity0), tf.mul(1 - rho, tf.square(gradient)));
      const average = average0 ? tf.add(tf.mul(rho, average0), tf.mul(1 - rho, gradient)) : undefined;
      const denominator = average
        ? tf.add(tf.sub(velocity, tf.square(average)), n(options, 'epsilon'))
        : tf.add(velocity, n(options, 'epsilon'));
      const increment = tf.div(tf.mul(lr, gradient), tf.sqrt(denominator));
      const moved = momentum0 ? tf.add(tf.mul(momentum, momentum0), increment) : undefined;
      return {
        variable: tf.sub(variable, moved ?? increment),
        slots: [velocity, ...(moved ? [moved] : []), ...(average ? [average] : [])],
      };
    },
  },
  adagrad: {
    defaults: { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
    slots: () => ['accumulator'],
    initial: (options) => n(options, 'initialAccumulatorValue'),
    update({ variable, gradient, slots, lr, options }) {
      const [accumulator0] = slots;
      if (!accumulator0) throw new Error('adagrad: its slots were not made');
      const accumulator = tf.add(accumulator0, tf.square(gradient));
      const step = tf.div(tf.mul(lr, gradient), tf.sqrt(tf.add(accumulator, n(options, 'epsilon'))));
      return { variable: tf.sub(variable, step), slots: [accumulator] };
    },
  },
  adadelta: {
    defaults: { learningRate: 0.001, rho: 0.95, epsilon: 1e-7 },
    slots: () => ['accumulated_grad', 'accumulated_delta_var'],
    update({ variable, gradient, slots, lr, options }) {
      const [grads0, deltas0] = slots;
      if (!grads0 || !deltas0) throw new Error('adadelta: its slots were not made');
      const rho = n(options, 'rho');
      const rms = (x: tf.Tensor) => tf.sqrt(tf.add(x, n(options, 'epsilon')));
      const grads = tf.add(tf.mul(rho, grads0), tf.mul(1 - rho, tf.square(gradient)));
      const delta = tf.neg(tf.div(tf.mul(rms(deltas0), gradient), rms(grads)));
      const deltas = tf.add(tf.mul(rho, deltas0), tf.mul(1 - rho, tf.square(delta)));
      return { variable: tf.add(variable, tf.mul(lr, delta)), slots: [grads, deltas] };
    },
  },
  adamax: {
    defaults: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    slots: () => ['momentum', 'norm'],
    update({ variable, gradient, slots, lr, iteration, options }) {
      const [m0, u0] = slots;
      if (!m0 || !u0) throw new Error('adamax: its slots were not made');
      const beta1 = n(options, 'beta1');
      const m = tf.add(m0, tf.mul(tf.sub(gradient, m0), 1 - beta1));
      const u = tf.maximum(tf.mul(n(options, 'beta2'), u0), tf.abs(gradient));
      const step = tf.div(tf.mul(lr, m), tf.mul(1 - beta1 ** (iteration + 1), tf.add(u, n(options, 'epsilon'))));
      return { variable: tf.sub(variable, step), slots: [m, u] };
    },
  },
  nadam: {
    defaults: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    slots: () => ['momentum', 'velocity'],
    update({ variable, gradient, slots, lr, iteration, options }) {
      const [m0, v0] = slots;
      if (!m0 || !v0) throw new Error('nadam: its slots were not made');
      const beta1 = n(options, 'beta1');
      const beta2 = n(options, 'beta2');
      const t = iteration + 1;
      // Keras keeps the product of the u's as a variable; it is a function of the step, so kerats computes it.
      const uT = nadamU(beta1, t);
      const uNext = nadamU(beta1, t + 1);
      const productT = nadamProduct(beta1, t);
      const productNext = productT * uNext;
      const m = tf.add(m0, tf.mul(tf.sub(gradient, m0), 1 - beta1));
      const v = tf.add(v0, tf.mul(tf.sub(tf.square(gradient), v0), 1 - beta2));
      const mHat = tf.add(tf.div(tf.mul(uNext, m), 1 - productNext), tf.div(tf.mul(1 - uT, gradient), 1 - productT));
      const vHat = tf.div(v, 1 - beta2 ** t);
      const step = tf.div(tf.mul(mHat, lr), tf.add(tf.sqrt(vHat), n(options, 'epsilon')));
      return { variable: tf.sub(variable, step), slots: [m, v] };
    },
  },
  lion: {
    defaults: { learningRate: 0.001, beta1: 0.9, beta2: 0.99 },
    slots: () => ['momentum'],
    update({ variable, gradient, slots, lr, options }) {
      const [m0] = slots;
      if (!m0) throw new Error('lion: its slots were not made');
      const beta1 = n(options, 'beta1');
      const beta2 = n(options, 'beta2');
      const direction = tf.sign(tf.add(tf.mul(m0, beta1), tf.mul(gradient, 1 - beta1)));
      const m = tf.add(tf.mul(m0, beta2), tf.mul(gradient, 1 - beta2));
      return { variable: tf.sub(variable, tf.mul(lr, direction)), slots: [m] };
    },
  },
};

/** What each option must be: its check and the words for it. */
const optionChecks: Readonly<
  Record<string, { readonly valid: (value: unknown) => boolean; readonly expected: string }>
> = {
  beta1: { valid: (value) => isNumber(value) && value >= 0 && value < 1, expected: 'a number in [0, 1)' },
  beta2: { valid: (value) => isNumber(value) && value >= 0 && value < 1, expected: 'a number in [0, 1)' },
  rho: { valid: (value) => isNumber(value) && value >= 0 && value < 1, expected: 'a number in [0, 1)' },
  momentum: { valid: (value) => isNumber(value) && value >= 0 && value <= 1, expected: 'a number in [0, 1]' },
  epsilon: { valid: (value) => isNumber(value) && value > 0, expected: 'a number > 0' },
  initialAccumulatorValue: { valid: (value) => isNumber(value) && value >= 0, expected: 'a number >= 0' },
  weightDecay: { valid: (value) => isNumber(value) && value >= 0, expected: 'a number >= 0' },
  clipnorm: { valid: (value) => isNumber(value) && value > 0, expected: 'a number > 0' },
  clipvalue: { valid: (value) => isNumber(value) && value > 0, expected: 'a number > 0' },
  globalClipnorm: { valid: (value) => isNumber(value) && value > 0, expected: 'a number > 0' },
  nesterov: { valid: (value) => typeof value === 'boolean', expected: 'true or false' },
  amsgrad: { valid: (value) => typeof value === 'boolean', expected: 'true or false' },
  centered: { valid: (value) => typeof value === 'boolean', expected: 'true or false' },
};

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

const common = ['learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm'];
const clipping = ['clipnorm', 'clipvalue', 'globalClipnorm'] as const;

export function isOptimizerArg(value: unknown): boolean {
  return typeof value === 'string' || isRecord(value);
}

/**
 * Checks an optimizer from a caller or a save and makes it. Every option is checked, unknown ones named with
 * the valid ones; the settings (as saved) list every option with its value.
 */
export function makeOptimizer(value: unknown): Optimizer {
  const spec = isRecord(value) ? value : { name: value };
  const name = optimizerNames.find((each) => each === spec.name);
  if (name === undefined)
    return fail({
      code: 'option',
      layer: 'compile',
      option: isRecord(value) ? 'optimizer.name' : 'optimizer',
      expected: `one of ${optimizerNames.join(', ')}`,
      received: describe(spec.name),
    });
  const rule = rules[name];
  const known = [...new Set([...common, ...Object.keys(rule.defaults)])];
  const options: Record<string, number | boolean> = { ...rule.defaults };
  let schedule: (LearningRateSchedule & JsonValue) | undefined;
  for (const [option, given] of Object.entries(spec)) {
    if (option === 'name' || given === undefined) continue;
    if (!known.includes(option))
      fail({
        code: 'option',
        layer: 'compile',
        option: `optimizer (${name})`,
        expected: `options among name, ${known.join(', ')}`,
        received: `'${option}'`,
      });
    if (option === 'learningRate') {
      if (isRecord(given)) schedule = resolveSchedule(given, 'optimizer.learningRate');
      else if (isNumber(given) && given >= 0) options.learningRate = given;
      else
        fail({
          code: 'option',
          layer: 'compile',
          option: 'optimizer.learningRate',
          expected: 'a number >= 0 or a schedule ({ name: exponentialDecay | cosineDecay | ..., ... })',
          received: describe(given),
        });
      continue;
    }
    const check = optionChecks[option];
    if (check !== undefined && !check.valid(given))
      fail({
        code: 'option',
        layer: 'compile',
        option: `optimizer.${option}`,
        expected: check.expected,
        received: describe(given),
      });
    if (typeof given === 'number' || typeof given === 'boolean') options[option] = given;
  }
  const clips = clipping.filter((option) => options[option] !== undefined);
  const [first, second] = clips;
  if (first !== undefined && second !== undefined)
    fail({
      code: 'option-conflict',
      layer: 'compile',
      options: [`optimizer.${first}`, `optimizer.${second}`],
      received: [describe(options[first]), describe(options[second])],
      rule: 'cannot both be set: Keras takes one of clipnorm, clipvalue and globalClipnorm',
    });
  const settings: Record<string, JsonValue> = { name, ...options, ...(schedule ? { learningRate: schedule } : {}) };
  return new Optimizer(name, rule, options, schedule, settings);
}

/**
 * A Keras optimizer at work: its options, its step count and the state it keeps per weight. Its state reads
 * and writes as tfjs's (`getWeights`: the step count as 'iter', then each weight's slots in weight order).
 */
export class Optimizer {
  /** Updates done, Keras's `optimizer.iterations`: the schedule's step. */
  iterations = 0;
  private slots: tf.Variable[][] | undefined;
  /** State read by setWeights before the first update, made into slots then. */
  private pending: tf.Tensor[] | undefined;
  private iterTensor: tf.Tensor | undefined;

  constructor(
    readonly name: OptimizerName,
    private readonly rule: UpdateRule,
    private options: Settings,
    private schedule: LearningRateSchedule | undefined,
    settings: Readonly<Record<string, JsonValue>>,
  ) {
    this.own = settings;
  }

  private own: Readonly<Record<string, JsonValue>>;

  /** The options as JSON, every default filled in: what save() writes and compile takes again. */
  get settings(): JsonValue {
    return this.own;
  }

  /** The learning rate of the next update. */
  get learningRate(): number {
    return this.schedule ? learningRateAt(this.schedule, this.iterations) : n(this.options, 'learningRate');
  }

  /**
   * Sets the learning rate, as Keras's `optimizer.learning_rate = value` (what ReduceLROnPlateau and
   * LearningRateScheduler do): the next update uses it, and a save records it. A schedule's rate cannot be set.
   */
  set learningRate(value: number) {
    if (this.schedule !== undefined)
      fail({
        code: 'usage',
        layer: 'optimizer.learningRate',
        problem: `the optimizer was compiled with a learning-rate schedule (${this.schedule.name}), so its learning rate is not settable (as in Keras); compile with a number to set it from a callback`,
      });
    if (!(isNumber(value) && value >= 0))
      fail({
        code: 'option',
        layer: 'optimizer',
        option: 'learningRate',
        expected: 'a finite number >= 0',
        received: describe(value),
      });
    this.options = { ...this.options, learningRate: value };
    this.own = { ...this.own, learningRate: value };
  }

  /** One update of `variables` by their `gradients`, as Keras's `optimizer.apply(grads, variables)`. */
  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    const slots = this.slotsFor(variables);
    const lr = this.learningRate;
    const { options } = this;
    tf.tidy(() => {
      const clipped = clip(gradients, options);
      const decay = n(options, 'weightDecay');
      for (const [index, variable] of variables.entries()) {
        const gradient = clipped[index];
        const own = slots[index];
        if (gradient === undefined || own === undefined) continue;
        const decayed = decay > 0 ? tf.sub(variable, tf.mul(variable, decay * lr)) : variable;
        const next = this.rule.update({
          variable: decayed,
          gradient: tf.cast(gradient, variable.dtype),
          slots: own,
          lr,
          iteration: this.iterations,
          options,
        });
        variable.assign(next.variable);
        for (const [slot, value] of next.slots.entries()) own[slot]?.assign(value);
      }
    });
    this.iterations += 1;
  }

  /** The slots of each variable: made at the first update (from state read before it, if any). */
  private slotsFor(variables: readonly tf.Variable[]): tf.Variable[][] {
    if (this.slots !== undefined) {
      if (this.slots.length !== variables.length)
        throw new Error(
          `${this.name}: it was built for ${this.slots.length} trainable weights and is given ${variables.length} (a layer's or model's trainable changed since compile?); call model.compile again after changing trainable, as in Keras`,
        );
      return this.slots;
    }
    const names = this.rule.slots(this.options);
    const pending = this.pending;
    if (pending !== undefined && pending.length !== names.length * variables.length)
      throw new Error(
        `${this.name}: the saved optimizer state has ${pending.length} tensors, but ${variables.length} weights with ${names.length} slots each need ${names.length * variables.length}; was it saved with other optimizer options?`,
      );
    const initial = this.rule.initial?.(this.options) ?? 0;
    // tidy disposes the starting values; the variables keep their data.
    this.slots = tf.tidy(() =>
      variables.map((variable, index) =>
        names.map((slot, at) => {
          const saved = pending?.[index * names.length + at];
          if (saved !== undefined && saved.shape.join(',') !== variable.shape.join(','))
            throw new Error(
              `${this.name}: the saved ${slot} of weight ${index} is [${saved.shape.join(', ')}], but the weight is [${variable.shape.join(', ')}]`,
            );
          return tf.variable(saved ?? tf.fill(variable.shape, initial, variable.dtype), false);
        }),
      ),
    );
    tf.dispose(pending);
    this.pending = undefined;
    return this.slots;
  }

  /** The step count as 'iter', then each weight's slots, as tensors this optimizer keeps (the caller copies). */
  async getWeights(): Promise<NamedTensor[]> {
    const names = this.rule.slots(this.options);
    this.iterTensor?.dispose();
    this.iterTensor = tf.scalar(this.iterations, 'int32');
    return [
      { name: 'iter', tensor: this.iterTensor },
      ...(this.slots ?? []).flatMap((own, index) =>
        own.map((variable, at) => ({ name: `${index}/${names[at] ?? at}`, tensor: variable })),
      ),
      ...(this.pending ?? []).map((tensor, index) => ({
        name: `${Math.floor(index / names.length)}/${names[index % names.length]}`,
        tensor,
      })),
    ];
  }

  /** Restores what getWeights gave: the step count, then the slots (made into variables at the next update). */
  async setWeights(state: readonly NamedTensor[]): Promise<void> {
    const [iter, ...slots] = state;
    this.iterations = iter ? Math.round((await iter.tensor.data())[0] ?? 0) : 0;
    tf.dispose(this.slots?.flat());
    tf.dispose(this.pending);
    this.slots = undefined;
    // State in another layout (tfjs's optimizers, which earlier kerats saves hold: all first moments, then all
    // second moments) would be read into the wrong slots: such state starts afresh, keeping the step count.
    const names = this.rule.slots(this.options);
    const ours = slots.every(
      (entry, index) => entry.name === `${Math.floor(index / names.length)}/${names[index % names.length]}`,
    );
    this.pending = ours ? slots.map((entry) => tf.clone(entry.tensor)) : undefined;
  }

  dispose(): void {
    tf.dispose(this.slots?.flat());
    tf.dispose(this.pending);
    this.iterTensor?.dispose();
    this.iterTensor = undefined;
    this.slots = undefined;
    this.pending = undefined;
  }
}

/** Keras's `_clip_gradients`: clipnorm per weight, else globalClipnorm over all, else clipvalue. */
function clip(gradients: readonly tf.Tensor[], options: Settings): readonly tf.Tensor[] {
  const clipnorm = n(options, 'clipnorm');
  const globalClipnorm = n(options, 'globalClipnorm');
  const clipvalue = n(options, 'clipvalue');
  if (clipnorm > 0)
    return gradients.map((gradient) => {
      const norm = tf.sqrt(tf.sum(tf.square(gradient)));
      return tf.div(tf.mul(gradient, clipnorm), tf.maximum(norm, clipnorm));
    });
  if (globalClipnorm > 0) {
    const norm = tf.sqrt(tf.addN(gradients.map((gradient) => tf.sum(tf.square(gradient)))));
    // Keras: the scale is min(1, clip / norm), and NaN when the norm is not finite.
    const scale = tf.add(tf.mul(globalClipnorm, tf.minimum(tf.div(1, norm), 1 / globalClipnorm)), tf.sub(norm, norm));
    return gradients.map((gradient) => tf.mul(gradient, scale));
  }
  if (clipvalue > 0) return gradients.map((gradient) => tf.clipByValue(gradient, -clipvalue, clipvalue));
  return gradients;
}
