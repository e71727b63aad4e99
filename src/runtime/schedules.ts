// Keras's learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py), as plain data so
// that they save with the compile settings and travel to worker threads. `step` is the optimizer's iteration
// count before the update (Keras calls the schedule with `optimizer.iterations`).
import type { JsonValue } from '../dsl/layer.ts';
import { describe, fail } from '../errors.ts';
import { isRecord } from '../json.ts';

/** `initialLearningRate · decayRate^(step / decaySteps)`, the exponent floored when `staircase`. */
export interface ExponentialDecay {
  readonly name: 'exponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  /** Default false. */
  readonly staircase?: boolean;
}

/** `values[0]` up to and including step `boundaries[0]`, `values[1]` up to `boundaries[1]`, and so on. */
export interface PiecewiseConstantDecay {
  readonly name: 'piecewiseConstantDecay';
  readonly boundaries: readonly number[];
  /** One more than the boundaries. */
  readonly values: readonly number[];
}

/** `(initial - end) · (1 - step / decaySteps)^power + end`, held at `end` after `decaySteps` unless `cycle`. */
export interface PolynomialDecay {
  readonly name: 'polynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  /** Default 0.0001. */
  readonly endLearningRate?: number;
  /** Default 1. */
  readonly power?: number;
  /** Default false. */
  readonly cycle?: boolean;
}

/**
 * A linear warm-up from `initialLearningRate` to `warmupTarget` over `warmupSteps` (when `warmupTarget` is
 * given), then a cosine decay over `decaySteps` down to `alpha` times the rate it started from.
 */
export interface CosineDecay {
  readonly name: 'cosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  /** The floor, as a fraction of the starting rate. Default 0. */
  readonly alpha?: number;
  readonly warmupTarget?: number;
  /** Default 0. */
  readonly warmupSteps?: number;
}

/** A learning rate that changes with the optimizer's step, as Keras's `keras.optimizers.schedules`. */
export type LearningRateSchedule = ExponentialDecay | PiecewiseConstantDecay | PolynomialDecay | CosineDecay;

export type ScheduleName = LearningRateSchedule['name'];

interface ScheduleRule {
  /** Option name: what it must be, checked with `valid`. Required options have no default. */
  readonly options: Readonly<Record<string, { readonly expected: string; readonly required: boolean }>>;
  valid(option: string, value: unknown): boolean;
  /** Checks between options (values are already valid one by one); returns a problem or undefined. */
  check?(schedule: Readonly<Record<string, unknown>>): { option: string; expected: string } | undefined;
  rate(schedule: Readonly<Record<string, unknown>>, step: number): number;
}

const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;
const nonNegative = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const finite = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
const flag = (value: unknown) => typeof value === 'boolean';
const num = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

const rateOption = { expected: 'a number >= 0', required: true };
const stepsOption = { expected: 'a number > 0', required: true };

function validBy(table: Readonly<Record<string, (value: unknown) => boolean>>) {
  return (option: string, value: unknown) => table[option]?.(value) ?? false;
}

const rules: Readonly<Record<ScheduleName, ScheduleRule>> = {
  exponentialDecay: {
    options: {
      initialLearningRate: rateOption,
      decaySteps: stepsOption,
      decayRate: { expected: 'a number >= 0', required: true },
      staircase: { expected: 'true or false', required: false },
    },
    valid: validBy({ initialLearningRate: nonNegative, decaySteps: positive, decayRate: nonNegative, staircase: flag }),
    rate(schedule, step) {
      const p = step / num(schedule.decaySteps, 1);
      return (
        num(schedule.initialLearningRate, 0) * num(schedule.decayRate, 1) ** (schedule.staircase ? Math.floor(p) : p)
      );
    },
  },
  piecewiseConstantDecay: {
    options: {
      boundaries: { expected: 'a list of increasing numbers', required: true },
      values: { expected: 'a list of numbers >= 0, one more than the boundaries', required: true },
    },
    valid: validBy({
      boundaries: (value) =>
        Array.isArray(value) &&
        value.every((each: unknown, index) => finite(each) && (index === 0 || num(each, 0) > num(value[index - 1], 0))),
      values: (value) => Array.isArray(value) && value.length > 0 && value.every(nonNegative),
    }),
    check(schedule) {
      const boundaries = Array.isArray(schedule.boundaries) ? schedule.boundaries.length : 0;
      const values = Array.isArray(schedule.values) ? schedule.values.length : 0;
      return values === boundaries + 1
        ? undefined
        : { option: 'values', expected: `${boundaries + 1} numbers (one more than the ${boundaries} boundaries)` };
    },
    rate(schedule, step) {
      const boundaries = Array.isArray(schedule.boundaries) ? schedule.boundaries : [];
      const values = Array.isArray(schedule.values) ? schedule.values : [];
      // Keras: the value of the first boundary not below the step (`step <= boundary`), else the last.
      const index = boundaries.findIndex((boundary) => step <= num(boundary, 0));
      return num(values[index === -1 ? boundaries.length : index], 0);
    },
  },
  polynomialDecay: {
    options: {
      initialLearningRate: rateOption,
      decaySteps: stepsOption,
      endLearningRate: { expected: 'a number >= 0', required: false },
      power: { expected: 'a number', required: false },
      cycle: { expected: 'true or false', required: false },
    },
    valid: validBy({
      initialLearningRate: nonNegative,
      decaySteps: positive,
      endLearningRate: nonNegative,
      power: finite,
      cycle: flag,
    }),
    rate(schedule, step) {
      const initial = num(schedule.initialLearningRate, 0);
      const end = num(schedule.endLearningRate, 0.0001);
      let decaySteps = num(schedule.decaySteps, 1);
      let at = step;
      if (schedule.cycle) decaySteps *= step === 0 ? 1 : Math.ceil(step / decaySteps);
      else at = Math.min(step, decaySteps);
      return (initial - end) * (1 - at / decaySteps) ** num(schedule.power, 1) + end;
    },
  },
  cosineDecay: {
    options: {
      initialLearningRate: rateOption,
      decaySteps: stepsOption,
      alpha: { expected: 'a number in [0, 1]', required: false },
      warmupTarget: { expected: 'a number >= 0', required: false },
      warmupSteps: { expected: 'a number >= 0', required: false },
    },
    valid: validBy({
      initialLearningRate: nonNegative,
      decaySteps: positive,
      alpha: (value) => nonNegative(value) && num(value, 0) <= 1,
      warmupTarget: nonNegative,
      warmupSteps: nonNegative,
    }),
    rate(schedule, step) {
      const initial = num(schedule.initialLearningRate, 0);
      const decaySteps = num(schedule.decaySteps, 1);
      const alpha = num(schedule.alpha, 0);
      const decay = (at: number, from: number) =>
        from * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * (at / decaySteps))) + alpha);
      if (typeof schedule.warmupTarget !== 'number') return decay(Math.min(step, decaySteps), initial);
      const warmupSteps = num(schedule.warmupSteps, 0);
      const at = Math.min(step, decaySteps + warmupSteps);
      if (at < warmupSteps) return (schedule.warmupTarget - initial) * (at / warmupSteps) + initial;
      return decay(at - warmupSteps, schedule.warmupTarget);
    },
  },
};

export const scheduleNames: readonly ScheduleName[] = [
  'exponentialDecay',
  'piecewiseConstantDecay',
  'polynomialDecay',
  'cosineDecay',
];

/** The learning rate a schedule gives at an optimizer step, as Keras's `schedule(step)`. */
export function learningRateAt(schedule: LearningRateSchedule, step: number): number {
  return rules[schedule.name].rate({ ...schedule }, step);
}

/** Checks a schedule from a caller or a save (`where` names it in messages) and returns it as JSON. */
export function resolveSchedule(value: unknown, where: string): LearningRateSchedule & JsonValue {
  const spec = isRecord(value) ? value : {};
  const name = scheduleNames.find((each) => each === spec.name);
  if (name === undefined)
    return fail({
      code: 'option',
      layer: 'compile',
      option: `${where}.name`,
      expected: `one of ${scheduleNames.join(', ')}`,
      received: describe(spec.name),
    });
  const rule = rules[name];
  const result: Record<string, JsonValue> = { name };
  for (const [option, value] of Object.entries(spec)) {
    if (option === 'name' || value === undefined) continue;
    const known = rule.options[option];
    if (known === undefined)
      fail({
        code: 'option',
        layer: 'compile',
        option: `${where}`,
        expected: `options among name, ${Object.keys(rule.options).join(', ')}`,
        received: `'${option}'`,
      });
    if (!rule.valid(option, value))
      fail({
        code: 'option',
        layer: 'compile',
        option: `${where}.${option}`,
        expected: known.expected,
        received: describe(value),
      });
    result[option] = Array.isArray(value) ? value.map(Number) : typeof value === 'boolean' ? value : Number(value);
  }
  for (const [option, { expected, required }] of Object.entries(rule.options))
    if (required && !(option in result))
      fail({ code: 'option', layer: 'compile', option: `${where}.${option}`, expected, received: 'nothing' });
  const problem = rule.check?.(result);
  if (problem)
    fail({
      code: 'option',
      layer: 'compile',
      option: `${where}.${problem.option}`,
      expected: problem.expected,
      received: describe(result[problem.option]),
    });
  return isSchedule(result)
    ? result
    : fail({ code: 'option', layer: 'compile', option: where, expected: 'a schedule', received: describe(value) });
}

function isSchedule(value: Record<string, JsonValue>): value is Record<string, JsonValue> & LearningRateSchedule {
  return typeof value.name === 'string' && Object.hasOwn(rules, value.name);
}
