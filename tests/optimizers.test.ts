// Optimizers and schedules against Keras 3's update rules written out by hand (keras/src/optimizers/*.py and
// schedules/learning_rate_schedule.py), element by element in plain numbers; clipping, weight decay, the option
// checks, and optimizer state that saves and resumes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerArg } from '../src/index.ts';
import { clearSession, Dense, Input, KeratsError, learningRateAt, loadModel, Model, useBackend } from '../src/index.ts';
import { makeOptimizer } from '../src/runtime/optimizers.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-optimizers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

const start = [0.5, -1.5, 2, 0.1];
/** Three steps of gradients, one of them zero, one sign change. */
const gradients = [
  [0.3, -0.2, 1.5, 0],
  [-0.1, 0.4, 0.2, 0.05],
  [0.25, -0.3, -0.7, 0.01],
];

/** Runs kerats' optimizer three steps on `start` with `gradients`. */
function run(spec: unknown): number[] {
  const optimizer = makeOptimizer(spec);
  const variable = tf.variable(tf.tensor1d(start));
  for (const step of gradients) {
    const gradient = tf.tensor1d(step);
    optimizer.apply([variable], [gradient]);
    gradient.dispose();
  }
  const values = Array.from(variable.dataSync());
  variable.dispose();
  optimizer.dispose();
  return values;
}

/** A hand-written rule: per element, state in, new weight out. */
type Rule = (w: number, g: number, state: number[], t: number) => number;

function byHand(rule: Rule, slots: number, initial = 0): number[] {
  return start.map((w0, element) => {
    const state = Array.from({ length: slots }, () => initial);
    let w = w0;
    for (const [t, step] of gradients.entries()) w = rule(w, step[element] ?? 0, state, t + 1);
    return w;
  });
}

function close(actual: readonly number[], expected: readonly number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  for (const [index, value] of expected.entries()) expect(actual[index]).toBeCloseTo(value, digits);
}

const eps = 1e-7;

describe("each optimizer follows Keras 3's update rule", () => {
  it('sgd, plain', () => {
    close(
      run('sgd'),
      byHand((w, g) => w - 0.01 * g, 0),
    );
  });
  it('sgd with momentum: m = μm - lr·g; w += m', () => {
    close(
      run({ name: 'sgd', learningRate: 0.1, momentum: 0.9 }),
      byHand((w, g, s) => {
        s[0] = 0.9 * (s[0] ?? 0) - 0.1 * g;
        return w + s[0];
      }, 1),
    );
  });
  it('sgd with nesterov: w += μm - lr·g, m updated first', () => {
    close(
      run({ name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true }),
      byHand((w, g, s) => {
        s[0] = 0.9 * (s[0] ?? 0) - 0.1 * g;
        return w + 0.9 * s[0] - 0.1 * g;
      }, 1),
    );
  });
  const adam =
    (lr: number, amsgrad: boolean, decay = 0, beta2 = 0.999): Rule =>
    (w0, g, s, t) => {
      const w = w0 - w0 * decay * lr;
      const m = (s[0] ?? 0) + (g - (s[0] ?? 0)) * 0.1;
      const v = (s[1] ?? 0) + (g * g - (s[1] ?? 0)) * (1 - beta2);
      s[0] = m;
      s[1] = v;
      const vHat = amsgrad ? Math.max(s[2] ?? 0, v) : v;
      s[2] = vHat;
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - 0.9 ** t);
      return w - (m * alpha) / (Math.sqrt(vHat) + eps);
    };
  it('adam: alpha = lr·sqrt(1 - β2^t)/(1 - β1^t), epsilon outside the root', () => {
    close(run({ name: 'adam', learningRate: 0.1 }), byHand(adam(0.1, false), 3));
  });
  it('adam with amsgrad: the running maximum of v', () => {
    // Gradients that shrink make v fall, so the maximum matters.
    const amsgrad = run({ name: 'adam', learningRate: 0.1, beta2: 0.5, amsgrad: true });
    close(amsgrad, byHand(adam(0.1, true, 0, 0.5), 3));
    expect(amsgrad).not.toEqual(run({ name: 'adam', learningRate: 0.1, beta2: 0.5 }));
  });
  it('adamw: w -= w·wd·lr before the Adam step (default weightDecay 0.004)', () => {
    close(run({ name: 'adamw', learningRate: 0.1 }), byHand(adam(0.1, false, 0.004), 3));
    close(run({ name: 'adamw', learningRate: 0.1, weightDecay: 0.1 }), byHand(adam(0.1, false, 0.1), 3));
  });
  it('rmsprop, plain, with momentum, centered', () => {
    const rule =
      (momentum: number, centered: boolean): Rule =>
      (w, g, s) => {
        s[0] = 0.9 * (s[0] ?? 0) + 0.1 * g * g;
        s[2] = 0.9 * (s[2] ?? 0) + 0.1 * g;
        const denominator = centered ? (s[0] ?? 0) - (s[2] ?? 0) ** 2 + eps : (s[0] ?? 0) + eps;
        const increment = (0.01 * g) / Math.sqrt(denominator);
        if (momentum === 0) return w - increment;
        s[1] = momentum * (s[1] ?? 0) + increment;
        return w - s[1];
      };
    close(run({ name: 'rmsprop', learningRate: 0.01 }), byHand(rule(0, false), 3));
    close(run({ name: 'rmsprop', learningRate: 0.01, momentum: 0.5 }), byHand(rule(0.5, false), 3));
    close(run({ name: 'rmsprop', learningRate: 0.01, centered: true }), byHand(rule(0, true), 3), 4);
  });
  it('adagrad: the accumulator starts at 0.1', () => {
    close(
      run({ name: 'adagrad', learningRate: 0.1 }),
      byHand(
        (w, g, s) => {
          s[0] = (s[0] ?? 0) + g * g;
          return w - (0.1 * g) / Math.sqrt(s[0] + eps);
        },
        1,
        0.1,
      ),
    );
  });
  it('adadelta', () => {
    close(
      run({ name: 'adadelta', learningRate: 1 }),
      byHand((w, g, s) => {
        s[0] = 0.95 * (s[0] ?? 0) + 0.05 * g * g;
        const delta = -(Math.sqrt((s[1] ?? 0) + eps) * g) / Math.sqrt(s[0] + eps);
        s[1] = 0.95 * (s[1] ?? 0) + 0.05 * delta * delta;
        return w + delta;
      }, 2),
    );
  });
  it('adamax', () => {
    close(
      run({ name: 'adamax', learningRate: 0.1 }),
      byHand((w, g, s, t) => {
        s[0] = (s[0] ?? 0) + (g - (s[0] ?? 0)) * 0.1;
        s[1] = Math.max(0.999 * (s[1] ?? 0), Math.abs(g));
        return w - (0.1 * s[0]) / ((1 - 0.9 ** t) * (s[1] + eps));
      }, 2),
    );
  });
  it("nadam: Dozat's momentum schedule u_t = β1(1 - 0.5·0.96^t)", () => {
    const u = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** t);
    close(
      run({ name: 'nadam', learningRate: 0.1 }),
      byHand((w, g, s, t) => {
        // s[2] holds the product of the u's up to t - 1 (1 at the start).
        const before = t === 1 ? 1 : (s[2] ?? 1);
        const productT = before * u(t);
        s[2] = productT;
        const productNext = productT * u(t + 1);
        s[0] = (s[0] ?? 0) + (g - (s[0] ?? 0)) * 0.1;
        s[1] = (s[1] ?? 0) + (g * g - (s[1] ?? 0)) * 0.001;
        const mHat = (u(t + 1) * s[0]) / (1 - productNext) + ((1 - u(t)) * g) / (1 - productT);
        const vHat = s[1] / (1 - 0.999 ** t);
        return w - (mHat * 0.1) / (Math.sqrt(vHat) + eps);
      }, 3),
    );
  });
  it('lion: the sign of the interpolation, then the momentum', () => {
    close(
      run({ name: 'lion', learningRate: 0.1 }),
      byHand((w, g, s) => {
        const next = w - 0.1 * Math.sign(0.9 * (s[0] ?? 0) + 0.1 * g);
        s[0] = 0.99 * (s[0] ?? 0) + 0.01 * g;
        return next;
      }, 1),
    );
  });
});

describe('gradient clipping and weight decay, as base_optimizer.py', () => {
  const sgd = (w: number, g: number) => w - 0.1 * g;
  it('clipnorm clips each gradient to that L2 norm', () => {
    const expected = start.map((w0, element) => {
      let w = w0;
      for (const step of gradients) {
        const norm = Math.hypot(...step);
        w = sgd(w, ((step[element] ?? 0) * 0.5) / Math.max(norm, 0.5));
      }
      return w;
    });
    close(run({ name: 'sgd', learningRate: 0.1, clipnorm: 0.5 }), expected);
  });
  it('globalClipnorm scales all the gradients together', () => {
    const optimizer = makeOptimizer({ name: 'sgd', learningRate: 1, globalClipnorm: 1 });
    const a = tf.variable(tf.tensor1d([0, 0]));
    const b = tf.variable(tf.tensor1d([0]));
    optimizer.apply([a, b], [tf.tensor1d([3, 0]), tf.tensor1d([4])]);
    // Joint norm 5: scaled by 1/5.
    close(Array.from(a.dataSync()), [-0.6, 0]);
    close(Array.from(b.dataSync()), [-0.8]);
    tf.dispose([a, b]);
    optimizer.dispose();
  });
  it('clipvalue clips each element', () => {
    const expected = start.map((w0, element) => {
      let w = w0;
      for (const step of gradients) w = sgd(w, Math.min(0.2, Math.max(-0.2, step[element] ?? 0)));
      return w;
    });
    close(run({ name: 'sgd', learningRate: 0.1, clipvalue: 0.2 }), expected);
  });
  it('weightDecay works on every optimizer: w -= w·wd·lr first', () => {
    close(
      run({ name: 'sgd', learningRate: 0.1, weightDecay: 0.5 }),
      byHand((w, g) => w - w * 0.05 - 0.1 * g, 0),
    );
  });
});

describe("learning-rate schedules, Keras's formulas", () => {
  it('exponentialDecay, smooth and staircase', () => {
    const schedule = { name: 'exponentialDecay', initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 } as const;
    expect(learningRateAt(schedule, 0)).toBeCloseTo(0.1, 10);
    expect(learningRateAt(schedule, 5)).toBeCloseTo(0.1 * 0.5 ** 0.5, 10);
    expect(learningRateAt({ ...schedule, staircase: true }, 15)).toBeCloseTo(0.05, 10);
  });
  it('piecewiseConstantDecay: the boundary step still takes the earlier value', () => {
    const schedule = { name: 'piecewiseConstantDecay', boundaries: [10, 20], values: [1, 0.5, 0.1] } as const;
    expect([0, 10, 11, 20, 21, 1000].map((step) => learningRateAt(schedule, step))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });
  it('polynomialDecay, held at the end or cycling', () => {
    const schedule = {
      name: 'polynomialDecay',
      initialLearningRate: 1,
      decaySteps: 10,
      endLearningRate: 0.1,
      power: 2,
    } as const;
    expect(learningRateAt(schedule, 5)).toBeCloseTo(0.9 * 0.25 + 0.1, 10);
    expect(learningRateAt(schedule, 50)).toBeCloseTo(0.1, 10);
    // Cycling: step 15 is in the second cycle, of 20 steps.
    expect(learningRateAt({ ...schedule, cycle: true }, 15)).toBeCloseTo(0.9 * (1 - 15 / 20) ** 2 + 0.1, 10);
  });
  it('cosineDecay with a linear warm-up', () => {
    const schedule = {
      name: 'cosineDecay',
      initialLearningRate: 0,
      decaySteps: 100,
      alpha: 0.1,
      warmupTarget: 0.2,
      warmupSteps: 10,
    } as const;
    expect(learningRateAt(schedule, 5)).toBeCloseTo(0.1, 10);
    expect(learningRateAt(schedule, 10)).toBeCloseTo(0.2, 10);
    const decayed = 0.2 * (0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.5)) + 0.1);
    expect(learningRateAt(schedule, 60)).toBeCloseTo(decayed, 10);
    expect(learningRateAt(schedule, 500)).toBeCloseTo(0.02, 10);
    expect(learningRateAt({ name: 'cosineDecay', initialLearningRate: 1, decaySteps: 10 }, 5)).toBeCloseTo(0.5, 10);
  });
  it('an optimizer reads its schedule at each step, from step 0', () => {
    const schedule = { name: 'piecewiseConstantDecay', boundaries: [0, 1], values: [1, 0.1, 0.01] } as const;
    close(
      run({ name: 'sgd', learningRate: schedule }),
      byHand((w, g, _, t) => w - ([1, 0.1, 0.01][t - 1] ?? 0) * g, 0),
    );
  });
});

describe('optimizer options are checked at compile, with the valid values', () => {
  const model = () => {
    clearSession();
    const x = Input([2]);
    return Model({ inputs: x, outputs: Dense(1)(x) });
  };
  const cases: [unknown, string][] = [
    [
      'adamm',
      "compile: optimizer must be one of sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam, lion, got 'adamm'",
    ],
    [{ name: 'adam', beta1: 1 }, 'compile: optimizer.beta1 must be a number in [0, 1), got 1'],
    [
      { name: 'sgd', momentum: 0.9, amsgrad: true },
      "compile: optimizer (sgd) must be options among name, learningRate, weightDecay, clipnorm, clipvalue, globalClipnorm, momentum, nesterov, got 'amsgrad'",
    ],
    [
      { name: 'adam', learningRate: -1 },
      'compile: optimizer.learningRate must be a number >= 0 or a schedule ({ name: exponentialDecay | cosineDecay | ..., ... }), got -1',
    ],
    [
      { name: 'adam', clipnorm: 1, clipvalue: 0.5 },
      'compile: optimizer.clipnorm 1 and optimizer.clipvalue 0.5 cannot both be set: Keras takes one of clipnorm, clipvalue and globalClipnorm',
    ],
    [
      { name: 'adam', learningRate: { name: 'cosine', decaySteps: 1 } },
      "compile: optimizer.learningRate.name must be one of exponentialDecay, piecewiseConstantDecay, polynomialDecay, cosineDecay, got 'cosine'",
    ],
    [
      { name: 'adam', learningRate: { name: 'cosineDecay', initialLearningRate: 0.1 } },
      'compile: optimizer.learningRate.decaySteps must be a number > 0, got nothing',
    ],
    [
      { name: 'adam', learningRate: { name: 'piecewiseConstantDecay', boundaries: [1, 2], values: [1, 0.5] } },
      'compile: optimizer.learningRate.values must be 3 numbers (one more than the 2 boundaries), got [1, 0.5]',
    ],
  ];
  for (const [optimizer, message] of cases)
    it(message, () => {
      const error = (() => {
        try {
          model().runtime.compile({ optimizer, loss: 'mse' });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(KeratsError);
      expect(error instanceof Error ? error.message : '').toBe(message);
    });
});

describe('optimizer state in and out', () => {
  it('reads back what it wrote, before and after its first update; state in another layout starts afresh', async () => {
    const variable = tf.variable(tf.tensor1d([1, 2]));
    const first = makeOptimizer({ name: 'adam', learningRate: 0.1 });
    first.apply([variable], [tf.tensor1d([0.5, -0.5])]);
    const state = (await first.getWeights()).map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
    expect(state.map(({ name }) => name)).toEqual(['iter', '0/momentum', '0/velocity']);
    // Loaded, then saved again before any update: the same state.
    const second = makeOptimizer({ name: 'adam', learningRate: 0.1 });
    await second.setWeights(state);
    const again = await second.getWeights();
    expect(again.map(({ name }) => name)).toEqual(['iter', '0/momentum', '0/velocity']);
    expect(Array.from(again[1]?.tensor.dataSync() ?? [])).toEqual(Array.from(state[1]?.tensor.dataSync() ?? []));
    // tfjs's layout (names like 'dense/kernel/m'): the step count is kept, the moments start at zero.
    const third = makeOptimizer({ name: 'adam', learningRate: 0.1 });
    await third.setWeights([
      { name: 'iter', tensor: tf.scalar(7, 'int32') },
      { name: 'dense/kernel/m', tensor: tf.ones([2]) },
      { name: 'dense/kernel/v', tensor: tf.ones([2]) },
    ]);
    expect(third.iterations).toBe(7);
    expect((await third.getWeights()).map(({ name }) => name)).toEqual(['iter']);
    tf.dispose([variable, ...state.map(({ tensor }) => tensor)]);
  });
});

describe('the types refuse what compile refuses', () => {
  it("an option of another optimizer, a Python spelling, a bad schedule's name", () => {
    const cases: OptimizerArg[] = [
      // @ts-expect-error amsgrad is Adam's, not SGD's.
      { name: 'sgd', amsgrad: true },
      // @ts-expect-error Keras's beta_1 is beta1.
      { name: 'adam', beta_1: 0.9 },
      // @ts-expect-error there is no 'cosine' schedule (cosineDecay).
      { name: 'adam', learningRate: { name: 'cosine', initialLearningRate: 0.1, decaySteps: 10 } },
      // @ts-expect-error not an optimizer.
      'adamm',
    ];
    for (const optimizer of cases) expect(() => makeOptimizer(optimizer)).toThrow(KeratsError);
  });
});

describe('optimizer state saves and resumes', () => {
  const x = tf.tensor2d([
    [0.1, 0.2],
    [0.3, -0.4],
    [-0.5, 0.6],
    [0.7, 0.8],
    [0.9, -1],
    [-1.1, 1.2],
  ]);
  const y = tf.tensor2d([[1], [0], [1], [0], [1], [0]]);
  const optimizers = [
    { name: 'adam', learningRate: 0.05, amsgrad: true },
    { name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true },
    {
      name: 'nadam',
      learningRate: { name: 'exponentialDecay', initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5 },
    },
    { name: 'rmsprop', momentum: 0.5, centered: true },
  ] as const;
  for (const optimizer of optimizers)
    it(`${optimizer.name}: 2 epochs equal 1 epoch, save, load, 1 epoch`, async () => {
      clearSession();
      const input = Input([2]);
      const built = Model({
        inputs: input,
        outputs: Dense(1, { activation: 'sigmoid' })(Dense(4, { activation: 'relu' })(input)),
      });
      const initial = join(work, `initial-${optimizer.name}`);
      await built.save(initial);
      const args = { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 } as const;
      const straight = (await loadModel(initial)).compile({ optimizer, loss: 'binaryCrossentropy' });
      await straight.fit(x, y, args);
      const first = (await loadModel(initial)).compile({ optimizer, loss: 'binaryCrossentropy' });
      await first.fit(x, y, { ...args, epochs: 1 });
      const middle = join(work, `middle-${optimizer.name}`);
      await first.save(middle);
      const resumed = await loadModel(middle);
      await resumed.fit(x, y, { ...args, epochs: 1 });
      const expected = straight
        .toLayersModel()
        .getWeights()
        .flatMap((weight) => Array.from(weight.dataSync()));
      const actual = resumed
        .toLayersModel()
        .getWeights()
        .flatMap((weight) => Array.from(weight.dataSync()));
      close(actual, expected, 5);
      // And the resumed optimizer did resume: a fresh one lands elsewhere.
      const fresh = (await loadModel(middle)).compile({ optimizer, loss: 'binaryCrossentropy' });
      await fresh.fit(x, y, { ...args, epochs: 1 });
      const other = fresh
        .toLayersModel()
        .getWeights()
        .flatMap((weight) => Array.from(weight.dataSync()));
      expect(other.some((value, index) => Math.abs(value - (expected[index] ?? 0)) > 1e-4)).toBe(true);
    });
});
