// Catalog part A (issue 10) at run time, on wasm: the merges, normalizations, noise and dropout layers,
// preprocessing and Masking each compute what a plain loop over Keras's definition computes; the noise and dropout
// layers pass their input at inference and show their statistics while training (a large seeded sample, bounds of
// five standard errors); ActivityRegularization's penalty is in the loss fit and evaluate report; Masking makes an
// RNN skip the masked steps; every layer trains inside a small model and comes back from a save.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActivityRegularization,
  AlphaDropout,
  type AnyTensor,
  CenterCrop,
  clearSession,
  Dense,
  Dot,
  Flatten,
  GaussianDropout,
  GaussianNoise,
  GroupNormalization,
  Input,
  LSTM,
  loadModel,
  Masking,
  Maximum,
  Minimum,
  Model,
  Rescaling,
  Resizing,
  SpatialDropout1D,
  SpatialDropout2D,
  UnitNormalization,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-catalog2-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

/** Deterministic data: a batch of `batch` with values in [-1, 1]. */
function data(shape: readonly number[], batch = 8, phase = 1.7): tf.Tensor {
  const size = shape.reduce((product, dim) => product * dim, batch);
  return tf.tensor(
    Array.from({ length: size }, (_, index) => Math.sin(index * phase)),
    [batch, ...shape],
  );
}

const values = (tensor: tf.Tensor | undefined): number[] => Array.from(tensor?.dataSync() ?? []);

function close(actual: readonly number[], expected: readonly number[], tolerance = 1e-4): void {
  expect(actual).toHaveLength(expected.length);
  for (const [index, value] of expected.entries())
    expect(Math.abs((actual[index] ?? Number.NaN) - value)).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(value)),
    );
}

const mean = (xs: readonly number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((sum, x) => sum + (x - m) ** 2, 0) / xs.length;
};

/** The layer alone in a model: its prediction on x, and its tfjs layer (to call it in training). */
async function alone(
  shape: readonly number[],
  layer: (x: AnyTensor) => AnyTensor,
  x: tf.Tensor,
): Promise<{ output: tf.Tensor; training: (input: tf.Tensor) => tf.Tensor }> {
  clearSession();
  const input = Input(shape);
  const out = layer(input);
  const model = Model({ inputs: input, outputs: out });
  const [output] = await model.predict(x);
  if (output === undefined) throw new Error('no output');
  const lowered = model.toLayersModel().getLayer(out.node.layer.name);
  const training = (value: tf.Tensor) => {
    const result = lowered.apply(value, { training: true });
    if (!(result instanceof tf.Tensor)) throw new Error('no tensor in training');
    return result;
  };
  return { output, training };
}

/** Two inputs of `shape` merged by `merge`: its prediction on [a, b]. */
async function merged(
  shapes: readonly [readonly number[], readonly number[]],
  merge: (a: AnyTensor, b: AnyTensor) => AnyTensor,
  inputs: readonly [tf.Tensor, tf.Tensor],
): Promise<tf.Tensor> {
  clearSession();
  const [a, b] = [Input(shapes[0]), Input(shapes[1])];
  const [output] = await Model({ inputs: [a, b], outputs: merge(a, b) }).predict([inputs[0], inputs[1]]);
  if (output === undefined) throw new Error('no output');
  return output;
}

describe('values: the layer computes its definition', () => {
  it('Maximum and Minimum: the elementwise extremes (keras/src/layers/merging/maximum.py, minimum.py)', async () => {
    const [a, b] = [data([3, 4], 2, 1.7), data([3, 4], 2, 0.9)];
    const [as, bs] = [values(a), values(b)];
    close(
      values(
        await merged(
          [
            [3, 4],
            [3, 4],
          ],
          (x, y) => Maximum()([x, y]),
          [a, b],
        ),
      ),
      as.map((v, i) => Math.max(v, bs[i] ?? Number.NaN)),
    );
    close(
      values(
        await merged(
          [
            [3, 4],
            [3, 4],
          ],
          (x, y) => Minimum()([x, y]),
          [a, b],
        ),
      ),
      as.map((v, i) => Math.min(v, bs[i] ?? Number.NaN)),
    );
  });

  it('Dot over axis 2, plain and normalized: out[b, i, j] = sum over k (keras/src/layers/merging/dot.py)', async () => {
    const [a, b] = [data([3, 4], 2, 1.7), data([5, 4], 2, 0.9)];
    const [as, bs] = [values(a), values(b)];
    const row = (xs: number[], batch: number, rows: number, i: number) =>
      xs.slice((batch * rows + i) * 4, (batch * rows + i + 1) * 4);
    // normalize: each vector along the summed axis divided by its L2 norm first (ops.normalize, epsilon 1e-12).
    const unit = (v: number[]) => {
      const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
      return v.map((x) => x / Math.max(norm, 1e-12));
    };
    for (const normalize of [false, true]) {
      const expected: number[] = [];
      for (let batch = 0; batch < 2; batch++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 5; j++) {
            const [u, v] = [row(as, batch, 3, i), row(bs, batch, 5, j)];
            const [p, q] = normalize ? [unit(u), unit(v)] : [u, v];
            expected.push(p.reduce((sum, x, k) => sum + x * (q[k] ?? Number.NaN), 0));
          }
      const output = await merged(
        [
          [3, 4],
          [5, 4],
        ],
        (x, y) => Dot(2, { normalize })([x, y]),
        [a, b],
      );
      expect(output.shape).toEqual([2, 3, 5]);
      close(values(output), expected);
    }
  });

  it('GroupNormalization (2 groups of 3 channels): each group standardized over its steps and channels', async () => {
    // keras/src/layers/normalization/group_normalization.py: reshape to [..., groups, channels / groups], moments
    // over all but the batch and group axes, (x - mean) * rsqrt(variance + epsilon); gamma 1 and beta 0 untrained.
    const x = data([4, 6], 2);
    const { output } = await alone([4, 6], (input) => GroupNormalization({ groups: 2 })(input), x);
    const xs = values(x);
    const expected = new Array<number>(xs.length).fill(Number.NaN);
    for (let b = 0; b < 2; b++)
      for (let g = 0; g < 2; g++) {
        const cells: number[] = [];
        for (let t = 0; t < 4; t++) for (let c = g * 3; c < g * 3 + 3; c++) cells.push((b * 4 + t) * 6 + c);
        const group = cells.map((cell) => xs[cell] ?? Number.NaN);
        const [m, v] = [mean(group), variance(group)];
        for (const cell of cells) expected[cell] = ((xs[cell] ?? Number.NaN) - m) / Math.sqrt(v + 1e-3);
      }
    close(values(output), expected);
  });

  it('UnitNormalization over the last axis and over [1, 2]: x / ||x|| (unit_normalization.py)', async () => {
    const x = data([3, 4], 2);
    const xs = values(x);
    const last = await alone([3, 4], (input) => UnitNormalization()(input), x);
    const both = await alone([3, 4], (input) => UnitNormalization({ axis: [1, 2] })(input), x);
    const scaled = (size: number) =>
      xs.map((v, i) => {
        const start = Math.floor(i / size) * size;
        return v / Math.sqrt(xs.slice(start, start + size).reduce((sum, u) => sum + u * u, 0));
      });
    close(values(last.output), scaled(4));
    close(values(both.output), scaled(12));
  });

  it('Rescaling: x * scale + offset (keras/src/layers/preprocessing/rescaling.py)', async () => {
    const x = data([5], 2);
    const { output } = await alone([5], (input) => Rescaling(2, { offset: -1 })(input), x);
    close(
      values(output),
      values(x).map((v) => v * 2 - 1),
    );
  });

  it('CenterCrop [5, 6] to [3, 4]: rows 1-3, columns 1-4 (center_crop.py: (size - target) // 2 before)', async () => {
    const x = data([5, 6, 2], 2);
    const xs = values(x);
    const { output } = await alone([5, 6, 2], (input) => CenterCrop(3, 4)(input), x);
    const expected: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let h = 0; h < 3; h++)
        for (let w = 0; w < 4; w++)
          for (let c = 0; c < 2; c++) expected.push(xs[((b * 5 + h + 1) * 6 + w + 1) * 2 + c] ?? Number.NaN);
    expect(output.shape).toEqual([2, 3, 4, 2]);
    close(values(output), expected);
  });

  it('Resizing [4, 6] to [2, 3], nearest and bilinear, with half-pixel centers (resizing.py, tf.image.resize)', async () => {
    // Half-pixel centers at scale 2: output cell i reads source (i + 0.5) * 2 - 0.5 = 2i + 0.5, so bilinear is the
    // mean of cells 2i and 2i + 1 on each axis, and nearest reads floor((i + 0.5) * 2) = 2i + 1.
    const x = data([4, 6, 2], 2);
    const xs = values(x);
    const at = (b: number, h: number, w: number, c: number) => xs[((b * 4 + h) * 6 + w) * 2 + c] ?? Number.NaN;
    const nearest: number[] = [];
    const bilinear: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let h = 0; h < 2; h++)
        for (let w = 0; w < 3; w++)
          for (let c = 0; c < 2; c++) {
            nearest.push(at(b, 2 * h + 1, 2 * w + 1, c));
            bilinear.push(
              (at(b, 2 * h, 2 * w, c) +
                at(b, 2 * h + 1, 2 * w, c) +
                at(b, 2 * h, 2 * w + 1, c) +
                at(b, 2 * h + 1, 2 * w + 1, c)) /
                4,
            );
          }
    const near = await alone([4, 6, 2], (input) => Resizing(2, 3, { interpolation: 'nearest' })(input), x);
    const linear = await alone([4, 6, 2], (input) => Resizing(2, 3)(input), x);
    close(values(near.output), nearest);
    close(values(linear.output), bilinear);
  });

  it('Masking: a step whose features all equal maskValue becomes zeros, the others pass (masking.py)', async () => {
    const x = tf.tensor3d(
      [
        [
          [1, 2],
          [-1, -1],
          [-1, 3],
        ],
      ],
      [1, 3, 2],
    );
    const { output } = await alone([3, 2], (input) => Masking({ maskValue: -1 })(input), x);
    close(values(output), [1, 2, 0, 0, -1, 3]);
  });
});

describe('noise and dropout: the input at inference, their statistics while training', () => {
  const n = 20000;

  it('each passes its input unchanged at inference (predict)', async () => {
    const cases: readonly [readonly number[], (x: AnyTensor) => AnyTensor][] = [
      [[4, 3], (x) => SpatialDropout1D(0.5)(x)],
      [[2, 2, 3], (x) => SpatialDropout2D(0.5)(x)],
      [[4, 3], (x) => GaussianNoise(1)(x)],
      [[4, 3], (x) => GaussianDropout(0.5)(x)],
      [[4, 3], (x) => AlphaDropout(0.5)(x)],
    ];
    for (const [shape, layer] of cases) {
      const x = data(shape, 4);
      const { output } = await alone(shape, layer, x);
      expect(values(output)).toEqual(values(x));
    }
  });

  it('GaussianNoise(0.5) adds N(0, 0.5): mean and standard deviation within five standard errors', async () => {
    // keras/src/layers/regularization/gaussian_noise.py: inputs + normal(shape, mean 0, stddev).
    const { training } = await alone([n], (x) => GaussianNoise(0.5)(x), tf.zeros([1, n]));
    const noise = values(training(tf.zeros([1, n])));
    // Standard errors: of the mean 0.5 / sqrt(n) = 0.0035, of the standard deviation about 0.5 / sqrt(2n) = 0.0025.
    expect(Math.abs(mean(noise))).toBeLessThan(5 * (0.5 / Math.sqrt(n)));
    expect(Math.abs(Math.sqrt(variance(noise)) - 0.5)).toBeLessThan(5 * (0.5 / Math.sqrt(2 * n)));
  });

  it('GaussianDropout(0.3) multiplies by N(1, sqrt(rate / (1 - rate)))', async () => {
    // keras/src/layers/regularization/gaussian_dropout.py: stddev = sqrt(rate / (1 - rate)) = 0.6547 here.
    const stddev = Math.sqrt(0.3 / 0.7);
    const { training } = await alone([n], (x) => GaussianDropout(0.3)(x), tf.ones([1, n]));
    const out = values(training(tf.ones([1, n])));
    expect(Math.abs(mean(out) - 1)).toBeLessThan(5 * (stddev / Math.sqrt(n)));
    expect(Math.abs(Math.sqrt(variance(out)) - stddev)).toBeLessThan(5 * (stddev / Math.sqrt(2 * n)));
  });

  it('SpatialDropout1D and SpatialDropout2D drop whole channels, at the rate, the rest scaled by 1 / (1 - rate)', async () => {
    // keras/src/layers/regularization/spatial_dropout.py: noise shape [batch, 1, channels] and [batch, 1, 1, channels].
    const rate = 0.4;
    const checks: readonly [readonly number[], (x: AnyTensor) => AnyTensor][] = [
      [[5, 100], (x) => SpatialDropout1D(rate)(x)],
      [[2, 3, 100], (x) => SpatialDropout2D(rate)(x)],
    ];
    for (const [shape, layer] of checks) {
      const batch = 200;
      const x = tf.ones([batch, ...shape]);
      const { training } = await alone(shape, layer, x);
      const out = values(training(x));
      const channels = shape.at(-1) ?? 1;
      const cells = shape.slice(0, -1).reduce((product, dim) => product * dim, 1);
      let dropped = 0;
      for (let b = 0; b < batch; b++)
        for (let c = 0; c < channels; c++) {
          const channel = Array.from({ length: cells }, (_, cell) => out[(b * cells + cell) * channels + c]);
          const first = channel[0] ?? Number.NaN;
          // A channel is dropped everywhere or nowhere.
          expect(channel.every((v) => v === first)).toBe(true);
          if (first === 0) dropped++;
          else expect(first).toBeCloseTo(1 / (1 - rate), 5);
        }
      const draws = batch * channels;
      expect(Math.abs(dropped / draws - rate)).toBeLessThan(5 * Math.sqrt((rate * (1 - rate)) / draws));
    }
  });

  it("AlphaDropout(0.2) keeps a standard normal input's mean 0 and variance 1; dropped cells take one value", async () => {
    // keras/src/layers/regularization/alpha_dropout.py: alpha_p = -1.6733 * 1.0507; a = ((1 - rate) * (1 + rate *
    // alpha_p^2))^-0.5, b = -a * alpha_p * rate; out = a * (x * kept + alpha_p * (1 - kept)) + b.
    const rate = 0.2;
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    const x = tf.randomNormal([1, n], 0, 1, 'float32', 5);
    const xs = values(x);
    const { training } = await alone([n], (input) => AlphaDropout(rate)(input), x);
    const out = values(training(x));
    let dropped = 0;
    for (const [index, value] of out.entries()) {
      if (Math.abs(value - (a * alphaP + b)) < 1e-5) dropped++;
      else expect(value).toBeCloseTo(a * (xs[index] ?? Number.NaN) + b, 4);
    }
    expect(Math.abs(dropped / n - rate)).toBeLessThan(5 * Math.sqrt((rate * (1 - rate)) / n));
    // The sample's own mean and variance are off by their standard errors (1 / sqrt(n), sqrt(2 / n)) too.
    expect(Math.abs(mean(out))).toBeLessThan(5 * 2 * (1 / Math.sqrt(n)));
    expect(Math.abs(variance(out) - 1)).toBeLessThan(5 * 2 * Math.sqrt(2 / n));
  });
});

describe("ActivityRegularization's penalty is in the reported loss", () => {
  it('evaluate and fit (learning rate 0) report the data loss + (l1 * sum |x| + l2 * sum x^2) / batch', async () => {
    clearSession();
    const input = Input([3]);
    const output = Dense(1)(ActivityRegularization({ l1: 0.01, l2: 0.1 })(input));
    const model = Model({ inputs: input, outputs: output }).compile({
      optimizer: { name: 'sgd', learningRate: 0 },
      loss: 'meanSquaredError',
    });
    const x = data([3], 4);
    const y = tf.tensor2d([[1], [-1], [0.5], [2]]);
    const [predicted] = await model.predict(x);
    const [ps, ys, xs] = [values(predicted), values(y), values(x)];
    const dataLoss = mean(ps.map((p, i) => (p - (ys[i] ?? Number.NaN)) ** 2));
    // keras/src/layers/layer.py: the activity regularizer's loss is divided by the batch size.
    const penalty =
      (0.01 * xs.reduce((sum, v) => sum + Math.abs(v), 0) + 0.1 * xs.reduce((sum, v) => sum + v * v, 0)) / 4;
    expect(penalty).toBeGreaterThan(0.01);
    const evaluated = (await model.evaluate(x, y, { batchSize: 4 })).loss ?? Number.NaN;
    expect(evaluated).toBeCloseTo(dataLoss + penalty, 4);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, shuffle: false });
    expect(history.history.loss[0]).toBeCloseTo(dataLoss + penalty, 4);
  });
});

describe('Masking: a downstream RNN skips the masked steps', () => {
  it('an LSTM over a sequence padded before or after with masked steps returns what it returns unpadded', async () => {
    clearSession();
    const input = Input([null, 2]);
    // One LSTM (one set of weights) called with the mask and without it.
    const lstm = LSTM(3);
    const model = Model({ inputs: input, outputs: [lstm(Masking({ maskValue: 0 })(input)), lstm(input)] });
    const steps = [
      [0.5, -1],
      [1, 0.25],
      [-0.75, 2],
    ];
    const [plain, plainUnmasked] = await model.predict(tf.tensor3d([steps]));
    const [after, afterUnmasked] = await model.predict(tf.tensor3d([[...steps, [0, 0], [0, 0]]]));
    const [before] = await model.predict(tf.tensor3d([[[0, 0], [0, 0], ...steps]]));
    const expected = values(plain);
    expect(expected.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    close(values(plainUnmasked), expected, 1e-5);
    close(values(after), expected, 1e-5);
    close(values(before), expected, 1e-5);
    // Unmasked, the same zeros change the result: the mask is what makes it equal.
    expect(values(afterUnmasked).some((v, i) => Math.abs(v - (expected[i] ?? Number.NaN)) > 1e-3)).toBe(true);
  });
});

interface Row {
  readonly name: string;
  /** The input's shape; the model is Input -> Dense(last axis) -> the layer -> Flatten -> Dense(1). */
  readonly shape: readonly number[];
  readonly layer: (x: AnyTensor) => AnyTensor;
  /** The layer's output shape and parameter count (Keras's). */
  readonly output: readonly number[];
  readonly params: number;
}

const rows: readonly Row[] = [
  { name: 'Maximum', shape: [3, 4], layer: (x) => Maximum()([x, Dense(4)(x)]), output: [3, 4], params: 0 },
  { name: 'Minimum', shape: [3, 4], layer: (x) => Minimum()([x, Dense(4)(x)]), output: [3, 4], params: 0 },
  {
    name: 'Dot normalized',
    shape: [3, 4],
    layer: (x) => Dot(2, { normalize: true })([x, Dense(4)(x)]),
    output: [3, 3],
    params: 0,
  },
  // gamma and beta, one per channel each (group_normalization.py).
  {
    name: 'GroupNormalization',
    shape: [3, 6],
    layer: (x) => GroupNormalization({ groups: 3 })(x),
    output: [3, 6],
    params: 12,
  },
  { name: 'UnitNormalization', shape: [3, 4], layer: (x) => UnitNormalization()(x), output: [3, 4], params: 0 },
  { name: 'SpatialDropout1D', shape: [3, 4], layer: (x) => SpatialDropout1D(0.2)(x), output: [3, 4], params: 0 },
  { name: 'SpatialDropout2D', shape: [3, 3, 4], layer: (x) => SpatialDropout2D(0.2)(x), output: [3, 3, 4], params: 0 },
  { name: 'GaussianNoise', shape: [3, 4], layer: (x) => GaussianNoise(0.1)(x), output: [3, 4], params: 0 },
  { name: 'GaussianDropout', shape: [3, 4], layer: (x) => GaussianDropout(0.2)(x), output: [3, 4], params: 0 },
  { name: 'AlphaDropout', shape: [3, 4], layer: (x) => AlphaDropout(0.2)(x), output: [3, 4], params: 0 },
  {
    name: 'ActivityRegularization',
    shape: [3, 4],
    layer: (x) => ActivityRegularization({ l1: 0.001, l2: 0.001 })(x),
    output: [3, 4],
    params: 0,
  },
  { name: 'Rescaling', shape: [3, 4], layer: (x) => Rescaling(0.5, { offset: 1 })(x), output: [3, 4], params: 0 },
  { name: 'CenterCrop', shape: [5, 6, 2], layer: (x) => CenterCrop(3, 4)(x), output: [3, 4, 2], params: 0 },
  { name: 'Resizing bilinear', shape: [4, 6, 2], layer: (x) => Resizing(2, 3)(x), output: [2, 3, 2], params: 0 },
  {
    name: 'Resizing nearest, cropToAspectRatio',
    shape: [4, 6, 2],
    layer: (x) => Resizing(3, 3, { interpolation: 'nearest', cropToAspectRatio: true })(x),
    output: [3, 3, 2],
    params: 0,
  },
  { name: 'Masking', shape: [3, 4], layer: (x) => Masking()(x), output: [3, 4], params: 0 },
];

describe('every layer trains on wasm and saves', () => {
  for (const row of rows) {
    it(row.name, async () => {
      clearSession();
      const input = Input(row.shape);
      const before = Dense(row.shape.at(-1) ?? 1)(input);
      const out = row.layer(before);
      expect(out.shape).toEqual(row.output);
      const { trainable, nonTrainable } = out.node.layer.countParams();
      expect(trainable + nonTrainable).toBe(row.params);
      const model = Model({ inputs: input, outputs: Dense(1)(Flatten()(out)) }).compile({
        optimizer: { name: 'adam', learningRate: 0.05 },
        loss: 'meanSquaredError',
      });
      const x = data(row.shape);
      // Targets far from any initial output, so that the loss falls whatever the random initial weights.
      const y = tf.tensor2d(Array.from({ length: 8 }, (_, index) => [10 + (index % 2)]));
      const [first] = await model.predict(x);
      // The Dense before the layer learns only if the gradient flows through the layer.
      const kernel = () => values(model.toLayersModel().getLayer(before.node.layer.name).getWeights()[0]);
      const untrained = kernel();
      const history = await model.fit(x, y, { epochs: 8, verbose: 0, shuffle: false });
      const losses = history.history.loss;
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(Math.min(...losses)).toBeLessThan(losses[0] ?? Number.NaN);
      const [trained] = await model.predict(x);
      expect(values(trained)).not.toEqual(values(first));
      expect(kernel()).not.toEqual(untrained);

      const directory = join(work, row.name.replaceAll(' ', '-').replaceAll(',', ''));
      await model.save(directory);
      const loaded = await loadModel(directory);
      const [again] = await loaded.predict(x);
      expect(values(again)).toEqual(values(trained));
    });
  }
});
