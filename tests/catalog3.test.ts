// The 3-D layers, Conv1DTranspose and SeparableConv1D at run time, on wasm: each computes what a plain loop over
// Keras's definition computes (and what tfjs computes, where tfjs has the layer), trains inside a small model
// (a Dense before it learns through it, so its gradient flows), and comes back from a save with the same
// predictions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnyTensor,
  AveragePooling3D,
  Conv1DTranspose,
  Conv3DTranspose,
  Cropping3D,
  clearSession,
  Dense,
  Flatten,
  GlobalAveragePooling3D,
  GlobalMaxPooling3D,
  Input,
  loadModel,
  MaxPooling3D,
  Model,
  SeparableConv1D,
  UpSampling3D,
  useBackend,
  ZeroPadding3D,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-catalog3-'));
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

function close(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [index, value] of expected.entries())
    expect(Math.abs((actual[index] ?? Number.NaN) - value)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(value)));
}

/** Row-major strides of a shape. */
const stridesOf = (shape: readonly number[]): number[] =>
  shape.map((_, axis) => shape.slice(axis + 1).reduce((product, dim) => product * dim, 1));

/** Every multi-index of a shape, in row-major order. */
function indices(shape: readonly number[]): number[][] {
  const total = shape.reduce((product, dim) => product * dim, 1);
  const steps = stridesOf(shape);
  return Array.from({ length: total }, (_, flat) =>
    shape.map((dim, axis) => Math.floor(flat / (steps[axis] ?? 1)) % dim),
  );
}

const at = (data: readonly number[], shape: readonly number[], index: readonly number[]): number =>
  data[index.reduce((sum, value, axis) => sum + value * (stridesOf(shape)[axis] ?? 0), 0)] ?? Number.NaN;

interface Transposed {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padding: 'valid' | 'same';
  readonly outputPadding?: readonly number[];
}

/**
 * TensorFlow's transposed convolution (Keras 3's TensorFlow backend), as a loop: output position o gets
 * x[i] * kernel[j, f, c] where o = i * stride + j * dilation - padBefore; sizes by Keras's rule
 * (keras/src/backend/common/backend_utils.py); 'same' pads max((n - 1) * stride + span - out, 0), half before.
 */
function transposedLoop(
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor,
  g: Transposed,
): { shape: number[]; data: number[] } {
  const [batch = 1, ...rest] = x.shape;
  const spatial = rest.slice(0, -1);
  const channels = rest.at(-1) ?? 1;
  const filters = kernel.shape.at(-2) ?? 1;
  const spans = g.kernel.map((size, axis) => (g.dilations[axis] ?? 1) * (size - 1) + 1);
  const out = spatial.map((n, axis) => {
    const [s = 1, span = 1, padded] = [g.strides[axis], spans[axis], g.outputPadding?.[axis]];
    if (g.padding === 'valid') return (n - 1) * s + span + (padded ?? Math.max(span, s) - span);
    return padded === undefined ? n * s : (n - 1) * s + (span % 2) + padded;
  });
  const before = spatial.map((n, axis) => {
    const [s = 1, span = 1, size = 1] = [g.strides[axis], spans[axis], out[axis]];
    return g.padding === 'same' ? Math.floor(Math.max((n - 1) * s + span - size, 0) / 2) : 0;
  });
  const shape = [batch, ...out, filters];
  const result = new Array<number>(shape.reduce((product, dim) => product * dim, 1)).fill(0);
  const [xs, ks, bs] = [values(x), values(kernel), values(bias)];
  const resultStrides = stridesOf(shape);
  for (const position of indices([batch, ...spatial, channels])) {
    const [b = 0, ...inner] = position;
    const c = inner.at(-1) ?? 0;
    const place = inner.slice(0, -1);
    const xv = at(xs, x.shape, position);
    for (const tap of indices(g.kernel)) {
      const o = place.map(
        (i, axis) => i * (g.strides[axis] ?? 1) + (tap[axis] ?? 0) * (g.dilations[axis] ?? 1) - (before[axis] ?? 0),
      );
      if (o.some((value, axis) => value < 0 || value >= (out[axis] ?? 0))) continue;
      for (let f = 0; f < filters; f++) {
        const flat = [b, ...o, f].reduce((sum, value, axis) => sum + value * (resultStrides[axis] ?? 0), 0);
        result[flat] = (result[flat] ?? 0) + xv * at(ks, kernel.shape, [...tap, f, c]);
      }
    }
  }
  return { shape, data: result.map((value, flat) => value + (bs[flat % filters] ?? 0)) };
}

/** The layer alone in a model, its weights and its prediction on x. */
async function alone(
  shape: readonly number[],
  layer: (x: AnyTensor) => AnyTensor,
  x: tf.Tensor,
): Promise<{ weights: tf.Tensor[]; output: tf.Tensor }> {
  clearSession();
  const input = Input(shape);
  const out = layer(input);
  const model = Model({ inputs: input, outputs: out });
  const [output] = await model.predict(x);
  if (output === undefined) throw new Error('no output');
  return { weights: model.getLayer(out.node.layer.name).getWeights(), output };
}

describe('values: the layer computes its definition', () => {
  const transposedCases: readonly (Transposed & { readonly label: string })[] = [
    { label: 'stride 2, same', kernel: [3], strides: [2], dilations: [1], padding: 'same' },
    { label: 'stride 3, valid, kernel below stride', kernel: [2], strides: [3], dilations: [1], padding: 'valid' },
    { label: 'outputPadding, same', kernel: [4], strides: [2], dilations: [1], padding: 'same', outputPadding: [1] },
    { label: 'outputPadding, valid', kernel: [3], strides: [3], dilations: [1], padding: 'valid', outputPadding: [2] },
    { label: 'dilated, same', kernel: [3], strides: [1], dilations: [2], padding: 'same' },
  ];
  for (const g of transposedCases)
    it(`Conv1DTranspose ${g.label}: the loop`, async () => {
      const x = data([5, 2], 2);
      const { weights, output } = await alone(
        [5, 2],
        (input) =>
          Conv1DTranspose(3, g.kernel[0] ?? 1, {
            strides: g.strides[0] ?? 1,
            dilationRate: g.dilations[0] ?? 1,
            padding: g.padding,
            ...(g.outputPadding === undefined ? {} : { outputPadding: g.outputPadding[0] ?? 0 }),
          })(input),
        x,
      );
      const [kernel, bias] = weights;
      if (kernel === undefined || bias === undefined) throw new Error('no weights');
      expect(kernel.shape).toEqual([g.kernel[0], 3, 2]);
      // A random kernel; the bias is zero until trained, so give it values too.
      const expected = transposedLoop(x, kernel, bias, g);
      expect(output.shape).toEqual(expected.shape);
      close(values(output), expected.data);
    });

  const cases3D: readonly (Transposed & { readonly label: string; readonly tfjs: boolean })[] = [
    {
      label: 'strides [1, 2, 2], same',
      kernel: [2, 3, 3],
      strides: [1, 2, 2],
      dilations: [1, 1, 1],
      padding: 'same',
      tfjs: true,
    },
    {
      label: 'strides 2, valid',
      kernel: [2, 2, 3],
      strides: [2, 2, 2],
      dilations: [1, 1, 1],
      padding: 'valid',
      tfjs: true,
    },
    // tfjs's conv3dTranspose shifts this one by a step (its 'same' padding goes negative); TensorFlow's does not.
    {
      label: 'kernel below stride, same',
      kernel: [1, 1, 2],
      strides: [2, 2, 3],
      dilations: [1, 1, 1],
      padding: 'same',
      tfjs: false,
    },
    {
      label: 'outputPadding',
      kernel: [2, 2, 2],
      strides: [2, 2, 2],
      dilations: [1, 1, 1],
      padding: 'valid',
      outputPadding: [1, 0, 1],
      tfjs: false,
    },
    { label: 'dilated', kernel: [2, 2, 2], strides: [1, 1, 1], dilations: [2, 1, 2], padding: 'same', tfjs: false },
  ];
  for (const g of cases3D)
    it(`Conv3DTranspose ${g.label}: the loop${g.tfjs ? ' and tfjs' : ''}`, async () => {
      const x = data([2, 3, 3, 2], 2);
      const { weights, output } = await alone(
        [2, 3, 3, 2],
        (input) =>
          Conv3DTranspose(2, [g.kernel[0] ?? 1, g.kernel[1] ?? 1, g.kernel[2] ?? 1], {
            strides: [g.strides[0] ?? 1, g.strides[1] ?? 1, g.strides[2] ?? 1],
            dilationRate: [g.dilations[0] ?? 1, g.dilations[1] ?? 1, g.dilations[2] ?? 1],
            padding: g.padding,
            ...(g.outputPadding === undefined
              ? {}
              : { outputPadding: [g.outputPadding[0] ?? 0, g.outputPadding[1] ?? 0, g.outputPadding[2] ?? 0] }),
          })(input),
        x,
      );
      const [kernel, bias] = weights;
      if (kernel === undefined || bias === undefined) throw new Error('no weights');
      const expected = transposedLoop(x, kernel, bias, g);
      expect(output.shape).toEqual(expected.shape);
      close(values(output), expected.data);
      if (!g.tfjs) return;
      const [, d = 1, h = 1, w = 1, f = 1] = expected.shape;
      // tfjs's op on its plain-JS cpu backend: wasm's Conv3DBackpropInputV2 kernel gives other numbers (by 0.07 to
      // 0.09 here) than both the loop and the cpu kernel.
      await useBackend('cpu');
      const direct = tf.add(
        tf.conv3dTranspose(
          x.as5D(2, 2, 3, 3, 2),
          kernel.as5D(g.kernel[0] ?? 1, g.kernel[1] ?? 1, g.kernel[2] ?? 1, 2, 2),
          [2, d, h, w, f],
          [g.strides[0] ?? 1, g.strides[1] ?? 1, g.strides[2] ?? 1],
          g.padding,
        ),
        bias,
      );
      const reference = values(direct);
      await useBackend('wasm');
      close(values(output), reference);
    });

  it('SeparableConv1D (depthMultiplier 2, strides 2, same): the loop', async () => {
    const x = data([6, 3], 2);
    const { weights, output } = await alone(
      [6, 3],
      (input) => SeparableConv1D(4, 3, { depthMultiplier: 2, strides: 2, padding: 'same' })(input),
      x,
    );
    const [depthwise, pointwise] = weights;
    if (depthwise === undefined || pointwise === undefined) throw new Error('no weights');
    expect([depthwise.shape, pointwise.shape]).toEqual([
      [3, 3, 2],
      [1, 6, 4],
    ]);
    // 'same' with stride 2 on 6 steps: 3 outputs, padding max((3 - 1) * 2 + 3 - 6, 0) = 1, none before.
    const [xs, ds, ps] = [values(x), values(depthwise), values(pointwise)];
    const expected: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let o = 0; o < 3; o++) {
        const mid = Array.from({ length: 6 }, (_, channel) => {
          const [c, m] = [Math.floor(channel / 2), channel % 2];
          let sum = 0;
          for (let j = 0; j < 3; j++) {
            const step = o * 2 + j;
            if (step < 6) sum += (xs[(b * 6 + step) * 3 + c] ?? 0) * (ds[(j * 3 + c) * 2 + m] ?? 0);
          }
          return sum;
        });
        for (let f = 0; f < 4; f++)
          expected.push(mid.reduce((sum, v, channel) => sum + v * (ps[channel * 4 + f] ?? 0), 0));
      }
    expect(output.shape).toEqual([2, 3, 4]);
    close(values(output), expected);
  });

  it('MaxPooling3D and AveragePooling3D: the loop and tfjs', async () => {
    const x = data([4, 4, 4, 2], 1);
    const max = await alone([4, 4, 4, 2], (input) => MaxPooling3D(2)(input), x);
    const mean = await alone([4, 4, 4, 2], (input) => AveragePooling3D([2, 2, 2], { strides: 2 })(input), x);
    const xs = values(x);
    const pools = indices([2, 2, 2, 2]).map(([d = 0, h = 0, w = 0, c = 0]) =>
      indices([2, 2, 2]).map(([i = 0, j = 0, k = 0]) =>
        at(xs, [1, 4, 4, 4, 2], [0, 2 * d + i, 2 * h + j, 2 * w + k, c]),
      ),
    );
    close(
      values(max.output),
      pools.map((pool) => Math.max(...pool)),
    );
    close(
      values(mean.output),
      pools.map((pool) => pool.reduce((sum, v) => sum + v, 0) / 8),
    );
    close(values(max.output), values(tf.maxPool3d(x.as5D(1, 4, 4, 4, 2), 2, 2, 'valid')));
  });

  it('GlobalMaxPooling3D and GlobalAveragePooling3D (keepdims): the loop', async () => {
    const x = data([2, 3, 2, 2], 2);
    const max = await alone([2, 3, 2, 2], (input) => GlobalMaxPooling3D()(input), x);
    const mean = await alone([2, 3, 2, 2], (input) => GlobalAveragePooling3D({ keepdims: true })(input), x);
    const xs = values(x);
    const per = (b: number, c: number) => indices([2, 3, 2]).map((place) => at(xs, [2, 2, 3, 2, 2], [b, ...place, c]));
    expect(max.output.shape).toEqual([2, 2]);
    expect(mean.output.shape).toEqual([2, 1, 1, 1, 2]);
    const pairs = indices([2, 2]).map(([b = 0, c = 0]) => per(b, c));
    close(
      values(max.output),
      pairs.map((pool) => Math.max(...pool)),
    );
    close(
      values(mean.output),
      pairs.map((pool) => pool.reduce((sum, v) => sum + v, 0) / pool.length),
    );
  });

  it('ZeroPadding3D, Cropping3D and UpSampling3D: the loop', async () => {
    const shape = [2, 3, 2, 2];
    const x = data(shape, 1);
    const xs = values(x);
    const source = (index: readonly number[]) => at(xs, [1, ...shape], [0, ...index]);
    const padded = await alone(
      shape,
      (input) =>
        ZeroPadding3D([
          [1, 0],
          [0, 2],
          [1, 1],
        ])(input),
      x,
    );
    expect(padded.output.shape).toEqual([1, 3, 5, 4, 2]);
    close(
      values(padded.output),
      indices([3, 5, 4, 2]).map(([d = 0, h = 0, w = 0, c = 0]) =>
        d < 1 || h >= 3 || w < 1 || w >= 3 ? 0 : source([d - 1, h, w - 1, c]),
      ),
    );
    const cropped = await alone(
      shape,
      (input) =>
        Cropping3D([
          [1, 0],
          [1, 1],
          [0, 1],
        ])(input),
      x,
    );
    expect(cropped.output.shape).toEqual([1, 1, 1, 1, 2]);
    close(
      values(cropped.output),
      [0, 1].map((c) => source([1, 1, 0, c])),
    );
    const up = await alone(shape, (input) => UpSampling3D([2, 1, 3])(input), x);
    expect(up.output.shape).toEqual([1, 4, 3, 6, 2]);
    close(
      values(up.output),
      indices([4, 3, 6, 2]).map(([d = 0, h = 0, w = 0, c = 0]) => source([Math.floor(d / 2), h, Math.floor(w / 3), c])),
    );
  });
});

interface Row {
  readonly name: string;
  /** The input's shape; the model is Input -> Dense(last axis) -> the layer -> Flatten -> Dense(1). */
  readonly shape: readonly number[];
  readonly layer: (x: AnyTensor) => AnyTensor;
  /** The layer's output shape and parameter count (Keras's: kernel, and bias where there is one). */
  readonly output: readonly number[];
  readonly params: number;
}

const rows: readonly Row[] = [
  // kernel 3 * 3 filters * 2 channels + 3.
  {
    name: 'Conv1DTranspose strides 2, same, outputPadding',
    shape: [5, 2],
    layer: (x) => Conv1DTranspose(3, 3, { strides: 2, padding: 'same', outputPadding: 1 })(x),
    output: [10, 3],
    params: 21,
  },
  {
    name: 'Conv1DTranspose dilated',
    shape: [5, 2],
    layer: (x) => Conv1DTranspose(3, 2, { dilationRate: 2, activation: 'relu' })(x),
    output: [7, 3],
    params: 15,
  },
  // depthwise 3 * 2 * 2, pointwise 4 * 3, bias 3.
  {
    name: 'SeparableConv1D',
    shape: [5, 2],
    layer: (x) => SeparableConv1D(3, 3, { depthMultiplier: 2, strides: 2, padding: 'same', activation: 'tanh' })(x),
    output: [3, 3],
    params: 27,
  },
  {
    name: 'SeparableConv1D dilated',
    shape: [6, 2],
    layer: (x) => SeparableConv1D(3, 2, { dilationRate: 2 })(x),
    output: [4, 3],
    params: 13,
  },
  // kernel 2 * 3 * 1 * 2 filters * 2 channels + 2.
  {
    name: 'Conv3DTranspose',
    shape: [2, 3, 3, 2],
    layer: (x) => Conv3DTranspose(2, [2, 3, 1], { strides: [1, 2, 2], padding: 'same' })(x),
    output: [2, 6, 6, 2],
    params: 26,
  },
  {
    name: 'Conv3DTranspose outputPadding',
    shape: [2, 3, 3, 2],
    layer: (x) => Conv3DTranspose(2, 2, { strides: 2, outputPadding: [1, 0, 1] })(x),
    output: [5, 6, 7, 2],
    params: 34,
  },
  {
    name: 'Conv3DTranspose dilated',
    shape: [2, 3, 3, 2],
    layer: (x) => Conv3DTranspose(2, 2, { dilationRate: [2, 1, 2], useBias: false })(x),
    output: [4, 4, 5, 2],
    params: 32,
  },
  {
    name: 'MaxPooling3D same',
    shape: [3, 5, 4, 2],
    layer: (x) => MaxPooling3D(2, { padding: 'same' })(x),
    output: [2, 3, 2, 2],
    params: 0,
  },
  {
    name: 'AveragePooling3D strides 1',
    shape: [3, 5, 4, 2],
    layer: (x) => AveragePooling3D([1, 2, 2], { strides: 1 })(x),
    output: [3, 4, 3, 2],
    params: 0,
  },
  { name: 'GlobalMaxPooling3D', shape: [3, 5, 4, 2], layer: (x) => GlobalMaxPooling3D()(x), output: [2], params: 0 },
  {
    name: 'GlobalAveragePooling3D keepdims',
    shape: [3, 5, 4, 2],
    layer: (x) => GlobalAveragePooling3D({ keepdims: true })(x),
    output: [1, 1, 1, 2],
    params: 0,
  },
  {
    name: 'ZeroPadding3D',
    shape: [3, 5, 4, 2],
    layer: (x) =>
      ZeroPadding3D([
        [1, 0],
        [0, 2],
        [1, 1],
      ])(x),
    output: [4, 7, 6, 2],
    params: 0,
  },
  { name: 'Cropping3D', shape: [3, 5, 4, 2], layer: (x) => Cropping3D([1, 0, 1])(x), output: [1, 5, 2, 2], params: 0 },
  {
    name: 'UpSampling3D',
    shape: [3, 5, 4, 2],
    layer: (x) => UpSampling3D([2, 1, 3])(x),
    output: [6, 5, 12, 2],
    params: 0,
  },
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
