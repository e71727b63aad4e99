// The replacement gradient kernels (src/runtime/kernels.ts) against tfjs's stock cpu kernels, numerically.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearSession,
  Dense,
  GlobalAveragePooling2D,
  Input,
  Model,
  SeparableConv2D,
  useBackend,
} from '../src/index.ts';
import {
  conv2dFilterGradient,
  conv2dInputGradientByConv,
  maxPoolGradient,
  registerGradientKernels,
  registerGradients,
  unsortedSegmentSum,
} from '../src/runtime/kernels.ts';

const seed = Number(process.env.KERATS_SEED ?? 20261129);

/** The filter gradient by its definition, loop by loop: the reference where tfjs has no gradient (dilation > 1). */
function reference(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: [number, number],
  dilations: [number, number],
  pad: 'valid' | 'same',
): tf.Tensor {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, dilations, pad);
  const [kh, kw, channels, filters] = filterShape;
  const [batch, height, width] = x.shape;
  const xs = x.bufferSync();
  const dys = dy.bufferSync();
  const out = tf.buffer(filterShape);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < channels; c++)
        for (let o = 0; o < filters; o++) {
          let sum = 0;
          for (let b = 0; b < batch; b++)
            for (let p = 0; p < info.outHeight; p++)
              for (let q = 0; q < info.outWidth; q++) {
                const row = p * strides[0] + i * dilations[0] - info.padInfo.top;
                const col = q * strides[1] + j * dilations[1] - info.padInfo.left;
                if (row >= 0 && row < height && col >= 0 && col < width)
                  sum += xs.get(b, row, col, c) * dys.get(b, p, q, o);
              }
          out.set(sum, i, j, c, o);
        }
  return out.toTensor();
}

/** The input gradient by its definition: each output position sends dy back through the taps it read. */
function inputReference(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  dy: tf.Tensor4D,
  dilations: [number, number],
  pad: 'valid' | 'same',
): tf.Tensor {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filter.shape, 1, dilations, pad);
  const [kh, kw, channels, filters] = filter.shape;
  const [batch, height, width] = x.shape;
  const ws = filter.bufferSync();
  const dys = dy.bufferSync();
  const out = tf.buffer(x.shape);
  for (let b = 0; b < batch; b++)
    for (let p = 0; p < info.outHeight; p++)
      for (let q = 0; q < info.outWidth; q++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const row = p + i * dilations[0] - info.padInfo.top;
            const col = q + j * dilations[1] - info.padInfo.left;
            if (row < 0 || row >= height || col < 0 || col >= width) continue;
            for (let c = 0; c < channels; c++)
              for (let o = 0; o < filters; o++)
                out.set(out.get(b, row, col, c) + ws.get(i, j, c, o) * dys.get(b, p, q, o), b, row, col, c);
          }
  return out.toTensor();
}

/** The max-pool gradient by its definition: each window's dy goes to its first maximum, row by row. */
function maxPoolReference(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  pool: [number, number],
  strides: [number, number],
  pad: 'valid' | 'same',
): tf.Tensor {
  const info = tf.backend_util.computePool2DInfo(x.shape, pool, strides, 1, pad);
  const [batch, height, width, channels] = x.shape;
  const xs = x.bufferSync();
  const dys = dy.bufferSync();
  const out = tf.buffer(x.shape);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < channels; c++)
      for (let p = 0; p < info.outHeight; p++)
        for (let q = 0; q < info.outWidth; q++) {
          let best: [number, number] | undefined;
          for (let i = 0; i < pool[0]; i++)
            for (let j = 0; j < pool[1]; j++) {
              const row = p * strides[0] + i - info.padInfo.top;
              const col = q * strides[1] + j - info.padInfo.left;
              if (row < 0 || row >= height || col < 0 || col >= width) continue;
              if (best === undefined || xs.get(b, row, col, c) > xs.get(b, best[0], best[1], c)) best = [row, col];
            }
          if (best) out.set(out.get(b, best[0], best[1], c) + dys.get(b, p, q, c), b, best[0], best[1], c);
        }
  return out.toTensor();
}

/** The average pool and its gradient by their definition: each window's mean over the input cells it covers. */
function avgPoolReference(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  pool: [number, number],
  strides: [number, number],
  pad: 'valid' | 'same',
): { y: tf.Tensor; dx: tf.Tensor } {
  const info = tf.backend_util.computePool2DInfo(x.shape, pool, strides, 1, pad);
  const [batch, height, width, channels] = x.shape;
  const xs = x.bufferSync();
  const dys = dy.bufferSync();
  const y = tf.buffer(dy.shape);
  const dx = tf.buffer(x.shape);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < channels; c++)
      for (let p = 0; p < info.outHeight; p++)
        for (let q = 0; q < info.outWidth; q++) {
          const cells: [number, number][] = [];
          for (let i = 0; i < pool[0]; i++)
            for (let j = 0; j < pool[1]; j++) {
              const row = p * strides[0] + i - info.padInfo.top;
              const col = q * strides[1] + j - info.padInfo.left;
              if (row >= 0 && row < height && col >= 0 && col < width) cells.push([row, col]);
            }
          let sum = 0;
          for (const [row, col] of cells) {
            sum += xs.get(b, row, col, c);
            dx.set(dx.get(b, row, col, c) + dys.get(b, p, q, c) / cells.length, b, row, col, c);
          }
          y.set(sum / cells.length, b, p, q, c);
        }
  return { y: y.toTensor(), dx: dx.toTensor() };
}

type Triple = [number, number, number];

/**
 * The 3D max and average pools and their gradients by their definition, over NDHWC data: a window covers the input
 * cells inside the input ('same' pads max((out - 1) * stride + pool - in, 0), half before, as TensorFlow does); the
 * maximum is the first largest value (depth, row, column in order), the mean divides by the cells covered.
 */
function pool3DReference(
  x: tf.Tensor5D,
  dy: tf.Tensor5D,
  pool: Triple,
  strides: Triple,
  pad: 'valid' | 'same',
): { max: tf.Tensor; maxDx: tf.Tensor; avg: tf.Tensor; avgDx: tf.Tensor } {
  const [batch, ...rest] = x.shape;
  const inner = rest.slice(0, 3);
  const channels = rest[3];
  const out = inner.map((size, axis) =>
    pad === 'same'
      ? Math.ceil(size / (strides[axis] ?? 1))
      : Math.floor((size - (pool[axis] ?? 1)) / (strides[axis] ?? 1)) + 1,
  );
  const before = inner.map((size, axis) =>
    pad === 'same'
      ? Math.floor(Math.max(((out[axis] ?? 1) - 1) * (strides[axis] ?? 1) + (pool[axis] ?? 1) - size, 0) / 2)
      : 0,
  );
  const xs = x.bufferSync();
  const dys = dy.bufferSync();
  const [max, avg] = [tf.buffer(dy.shape), tf.buffer(dy.shape)];
  const [maxDx, avgDx] = [tf.buffer(x.shape), tf.buffer(x.shape)];
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < channels; c++)
      for (let d = 0; d < (out[0] ?? 1); d++)
        for (let p = 0; p < (out[1] ?? 1); p++)
          for (let q = 0; q < (out[2] ?? 1); q++) {
            const cells: Triple[] = [];
            for (let i = 0; i < pool[0]; i++)
              for (let j = 0; j < pool[1]; j++)
                for (let k = 0; k < pool[2]; k++) {
                  const cell: Triple = [
                    d * strides[0] + i - (before[0] ?? 1),
                    p * strides[1] + j - (before[1] ?? 1),
                    q * strides[2] + k - (before[2] ?? 1),
                  ];
                  if (cell.every((at, axis) => at >= 0 && at < (inner[axis] ?? 1))) cells.push(cell);
                }
            let best = cells[0];
            for (const cell of cells)
              if (best === undefined || xs.get(b, ...cell, c) > xs.get(b, ...best, c)) best = cell;
            if (best !== undefined) {
              max.set(xs.get(b, ...best, c), b, d, p, q, c);
              maxDx.set(maxDx.get(b, ...best, c) + dys.get(b, d, p, q, c), b, ...best, c);
            }
            let sum = 0;
            for (const cell of cells) {
              sum += xs.get(b, ...cell, c);
              avgDx.set(avgDx.get(b, ...cell, c) + dys.get(b, d, p, q, c) / cells.length, b, ...cell, c);
            }
            avg.set(sum / cells.length, b, d, p, q, c);
          }
  return { max: max.toTensor(), maxDx: maxDx.toTensor(), avg: avg.toTensor(), avgDx: avgDx.toTensor() };
}

/** A depthwise convolution's two gradients by their definition: output channel c * m + k reads input channel c. */
function depthwiseReference(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  dy: tf.Tensor4D,
  strides: [number, number],
  dilations: [number, number],
  pad: 'valid' | 'same',
): { dx: tf.Tensor; dw: tf.Tensor } {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filter.shape, strides, dilations, pad, undefined, true);
  const [kh, kw, channels, multiplier] = filter.shape;
  const [batch, height, width] = x.shape;
  const [xs, ws, dys] = [x.bufferSync(), filter.bufferSync(), dy.bufferSync()];
  const dx = tf.buffer(x.shape);
  const dw = tf.buffer(filter.shape);
  for (let b = 0; b < batch; b++)
    for (let p = 0; p < info.outHeight; p++)
      for (let q = 0; q < info.outWidth; q++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const row = p * strides[0] + i * dilations[0] - info.padInfo.top;
            const col = q * strides[1] + j * dilations[1] - info.padInfo.left;
            if (row < 0 || row >= height || col < 0 || col >= width) continue;
            for (let c = 0; c < channels; c++)
              for (let m = 0; m < multiplier; m++) {
                const g = dys.get(b, p, q, c * multiplier + m);
                dx.set(dx.get(b, row, col, c) + ws.get(i, j, c, m) * g, b, row, col, c);
                dw.set(dw.get(i, j, c, m) + xs.get(b, row, col, c) * g, i, j, c, m);
              }
          }
  return { dx: dx.toTensor(), dw: dw.toTensor() };
}

function close(actual: tf.Tensor, expected: tf.Tensor, tolerance = 1e-4): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let index = 0; index < e.length; index++)
    worst = Math.max(worst, Math.abs((a[index] ?? 0) - (e[index] ?? 0)) / (1 + Math.abs(e[index] ?? 0)));
  expect(worst).toBeLessThan(tolerance);
}

const convCase = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  size: fc.tuple(fc.integer({ min: 5, max: 12 }), fc.integer({ min: 5, max: 12 })),
  channels: fc.integer({ min: 1, max: 4 }),
  filters: fc.integer({ min: 1, max: 4 }),
  kernel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  stride: fc.integer({ min: 1, max: 3 }),
  dilation: fc.integer({ min: 1, max: 2 }),
  pad: fc.constantFrom<'valid' | 'same'>('valid', 'same'),
});

describe('replacement gradient kernels', () => {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    if (previous) await tf.setBackend(previous);
  });

  it('the Conv2D filter gradient equals its definition and the stock cpu kernel', () => {
    fc.assert(
      fc.property(convCase, ({ batch, size, channels, filters, kernel, stride, dilation, pad }) => {
        // tfjs allows strides > 1 or dilations > 1, not both.
        const strides: [number, number] = [stride, stride];
        const dilations: [number, number] = dilation > 1 ? [dilation, dilation] : [1, 1];
        if (stride > 1 && dilation > 1) return;
        tf.tidy(() => {
          const x = tf.randomNormal<tf.Rank.R4>([batch, ...size, channels], 0, 1, 'float32', 7);
          const filterShape: [number, number, number, number] = [...kernel, channels, filters];
          const out = tf.conv2d(x, tf.zeros<tf.Rank.R4>(filterShape), strides, pad, 'NHWC', dilations);
          const dy = tf.randomNormal<tf.Rank.R4>(out.shape, 0, 1, 'float32', 11);
          const gradient = conv2dFilterGradient(x, dy, filterShape, strides, dilations, pad);
          close(gradient, reference(x, dy, filterShape, strides, dilations, pad));
          // Where tfjs has a gradient (no dilation), it agrees too.
          if (dilation === 1)
            close(
              gradient,
              tf.grad((w) => tf.sum(tf.mul(tf.conv2d(x, w.as4D(...filterShape), strides, pad, 'NHWC', dilations), dy)))(
                tf.zeros(filterShape),
              ),
            );
        });
      }),
      { numRuns: 60, seed },
    );
  });

  it("the Conv2D input gradient as a convolution equals its definition and tfjs's gradient", () => {
    fc.assert(
      fc.property(convCase, ({ batch, size, channels, filters, kernel, stride, pad }) => {
        const strides: [number, number] = [stride, stride];
        tf.tidy(() => {
          const x = tf.randomNormal<tf.Rank.R4>([batch, ...size, channels], 0, 1, 'float32', 7);
          const filter = tf.randomNormal<tf.Rank.R4>([...kernel, channels, filters], 0, 1, 'float32', 9);
          const dy = tf.randomNormal<tf.Rank.R4>(tf.conv2d(x, filter, strides, pad).shape, 0, 1, 'float32', 11);
          const gradient = conv2dInputGradientByConv([batch, ...size, channels], dy, filter, strides, pad);
          if (gradient === undefined) throw new Error('no gradient for a valid or same padding');
          close(
            gradient,
            tf.grad((input) => tf.sum(tf.mul(tf.conv2d(input.as4D(...x.shape), filter, strides, pad), dy)))(x),
          );
          if (stride === 1) close(gradient, inputReference(x, filter, dy, [1, 1], pad));
        });
      }),
      { numRuns: 60, seed },
    );
  });

  it('the segment sum equals the stock cpu kernel, duplicates added', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 5 }),
        (segments, rows, width) => {
          tf.tidy(() => {
            const ids = tf.randomUniform<tf.Rank.R1>([rows], 0, segments, 'int32', 3);
            const x = tf.randomNormal([rows, width], 0, 1, 'float32', 5);
            close(unsortedSegmentSum(x, ids, segments), tf.unsortedSegmentSum(x, ids, segments));
          });
        },
      ),
      { numRuns: 60, seed },
    );
  });

  it('registered on wasm, they train an Embedding and a Conv2D, with the gradients cpu computes', async () => {
    const compute = () =>
      tf.tidy(() => {
        const table = tf.variable(tf.randomNormal([20, 3], 0, 1, 'float32', 1));
        const filter = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 3, 2], 0, 1, 'float32', 2));
        const ids = tf.tensor2d(
          [
            [1, 2, 2],
            [19, 0, 1],
          ],
          [2, 3],
          'int32',
        );
        const image = tf.randomNormal<tf.Rank.R4>([2, 6, 6, 3], 0, 1, 'float32', 4);
        const { grads } = tf.variableGrads(() =>
          tf.add(
            tf.sum(tf.square(tf.gather(table, ids))),
            tf.sum(tf.fused.conv2d({ x: image, filter, strides: 1, pad: 'same', activation: 'relu' })),
          ),
        );
        const result = [grads[table.name], grads[filter.name]].map((grad) => Array.from(grad?.dataSync() ?? []));
        table.dispose();
        filter.dispose();
        return result;
      });
    const onCpu = compute();
    await tf.setBackend('wasm');
    registerGradientKernels('wasm');
    const onWasm = compute();
    await tf.setBackend('cpu');
    for (const [index, values] of onCpu.entries())
      for (const [position, value] of values.entries()) expect(onWasm[index]?.[position]).toBeCloseTo(value, 3);
  });
  it('registered on wasm, transposed matMuls and strided Conv2D input gradients equal the stock cpu ones', async () => {
    const compute = () =>
      tf.tidy(() => {
        const a = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 1);
        const b = tf.randomNormal([3, 5, 6], 0, 1, 'float32', 2);
        const c = tf.randomNormal([4, 6], 0, 1, 'float32', 3);
        const image = tf.randomNormal<tf.Rank.R4>([2, 9, 8, 3], 0, 1, 'float32', 4);
        const filter = tf.randomNormal<tf.Rank.R4>([3, 2, 3, 5], 0, 1, 'float32', 5);
        const dy = tf.randomNormal<tf.Rank.R4>([2, 5, 4, 5], 0, 1, 'float32', 6);
        return [
          tf.matMul(a, b, true, false),
          tf.matMul(b, c, false, true),
          tf.matMul(c, a, true, true),
          tf.conv2dTranspose(dy, filter, [2, 9, 8, 3], 2, 'same'),
          tf.grad((x) => tf.sum(tf.conv2d(x.as4D(2, 9, 8, 3), filter, [2, 1], 'valid')))(image),
        ].map((tensor) => ({ shape: tensor.shape, values: Array.from(tensor.dataSync()) }));
      });
    const onCpu = compute();
    await tf.setBackend('wasm');
    registerGradientKernels('wasm');
    const onWasm = compute();
    await tf.setBackend('cpu');
    for (const [index, { shape, values }] of onCpu.entries()) {
      expect(onWasm[index]?.shape).toEqual(shape);
      for (const [position, value] of values.entries()) expect(onWasm[index]?.values[position]).toBeCloseTo(value, 3);
    }
  });
  it('the MaxPooling2D and MaxPooling1D gradients on signed values with ties equal their definition, on cpu and wasm', async () => {
    const poolCase = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      size: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
      channels: fc.integer({ min: 1, max: 3 }),
      pool: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      pad: fc.constantFrom<'valid' | 'same'>('valid', 'same'),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    const cases = fc
      .sample(poolCase, { numRuns: 40, seed })
      .filter(({ size, pool, pad }) => pad === 'same' || (size[0] >= pool[0] && size[1] >= pool[1]));
    // Small integers, mostly negative: whole windows below zero, and ties in most windows.
    const signed = (shape: number[], at: number) =>
      tf.sub(tf.randomUniform(shape, 0, 5, 'int32', at).toFloat(), tf.scalar(3));
    const compute = () =>
      cases.map(({ batch, size, channels, pool, strides, pad, seed: at }) =>
        tf.tidy(() => {
          const x = signed([batch, ...size, channels], at).as4D(batch, ...size, channels);
          const dy = tf.randomNormal<tf.Rank.R4>(tf.maxPool(x, pool, strides, pad).shape, 0, 1, 'float32', at + 1);
          const dx = tf.grad((input) => tf.sum(tf.mul(tf.maxPool(input.as4D(...x.shape), pool, strides, pad), dy)))(x);
          const steps = signed([batch, size[0], channels], at + 2);
          const layer = tf.layers.maxPooling1d({ poolSize: pool[0], strides: strides[0], padding: pad });
          const apply = (input: tf.Tensor) => {
            const output = layer.apply(input);
            if (!(output instanceof tf.Tensor)) throw new Error('maxPooling1d gave no tensor');
            return output;
          };
          const dySteps = tf.randomNormal(apply(steps).shape, 0, 1, 'float32', at + 3);
          const dxSteps = tf.grad((input) => tf.sum(tf.mul(apply(input), dySteps)))(steps);
          const reference = maxPoolReference(x, dy, pool, strides, pad);
          const stepsReference = maxPoolReference(
            steps.as4D(batch, size[0], 1, channels),
            dySteps.as4D(batch, dySteps.shape[1] ?? 0, 1, channels),
            [pool[0], 1],
            [strides[0], 1],
            pad,
          );
          const info = tf.backend_util.computePool2DInfo(x.shape, pool, strides, 1, pad);
          const direct = tf.tensor(maxPoolGradient(x.dataSync<'float32'>(), dy.dataSync<'float32'>(), info), x.shape);
          return [dx, reference, direct, dxSteps, stepsReference].map((tensor) => Array.from(tensor.dataSync()));
        }),
      );
    const onCpu = compute();
    await tf.setBackend('wasm');
    registerGradientKernels('wasm');
    const onWasm = compute();
    await tf.setBackend('cpu');
    expect(cases.length).toBeGreaterThan(20);
    // Equal up to float32 rounding, where overlapping windows add into one cell in another order.
    const same = (actual: number[] | undefined, expected: number[] | undefined) => {
      expect(actual?.length).toBe(expected?.length);
      for (const [position, value] of (expected ?? []).entries())
        expect(Math.abs((actual?.[position] ?? Number.NaN) - value)).toBeLessThan(1e-5 * (1 + Math.abs(value)));
    };
    for (const [index, [dx, reference, direct, dxSteps, stepsReference]] of onCpu.entries()) {
      same(dx, reference);
      same(direct, reference);
      same(dxSteps, stepsReference);
      const [wasmDx, , , wasmSteps] = onWasm[index] ?? [];
      same(wasmDx, reference);
      same(wasmSteps, stepsReference);
    }
  });
  it("the AveragePooling2D and AveragePooling1D gradients divide as the forward pool does, 'same' borders included", async () => {
    const poolCase = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      size: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
      channels: fc.integer({ min: 1, max: 3 }),
      pool: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      pad: fc.constantFrom<'valid' | 'same'>('valid', 'same'),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    const cases = fc
      .sample(poolCase, { numRuns: 40, seed })
      .filter(({ size, pool, pad }) => pad === 'same' || (size[0] >= pool[0] && size[1] >= pool[1]));
    const compute = () =>
      cases.map(({ batch, size, channels, pool, strides, pad, seed: at }) =>
        tf.tidy(() => {
          const x = tf.randomNormal<tf.Rank.R4>([batch, ...size, channels], 0, 1, 'float32', at);
          const y = tf.avgPool(x, pool, strides, pad);
          const dy = tf.randomNormal<tf.Rank.R4>(y.shape, 0, 1, 'float32', at + 1);
          const dx = tf.grad((input) => tf.sum(tf.mul(tf.avgPool(input.as4D(...x.shape), pool, strides, pad), dy)))(x);
          const steps = tf.randomNormal([batch, size[0], channels], 0, 1, 'float32', at + 2);
          const layer = tf.layers.averagePooling1d({ poolSize: pool[0], strides: strides[0], padding: pad });
          const apply = (input: tf.Tensor) => {
            const output = layer.apply(input);
            if (!(output instanceof tf.Tensor)) throw new Error('averagePooling1d gave no tensor');
            return output;
          };
          const dySteps = tf.randomNormal(apply(steps).shape, 0, 1, 'float32', at + 3);
          const dxSteps = tf.grad((input) => tf.sum(tf.mul(apply(input), dySteps)))(steps);
          const reference = avgPoolReference(x, dy, pool, strides, pad);
          const stepsReference = avgPoolReference(
            steps.as4D(batch, size[0], 1, channels),
            dySteps.as4D(batch, dySteps.shape[1] ?? 0, 1, channels),
            [pool[0], 1],
            [strides[0], 1],
            pad,
          );
          return [y, reference.y, dx, reference.dx, dxSteps, stepsReference.dx].map((tensor) =>
            Array.from(tensor.dataSync()),
          );
        }),
      );
    registerGradientKernels('cpu');
    const onCpu = compute();
    await tf.setBackend('wasm');
    registerGradientKernels('wasm');
    const onWasm = compute();
    await tf.setBackend('cpu');
    expect(
      cases.some(({ size, pool, strides, pad }) => pad === 'same' && size[0] % strides[0] !== 0 && pool[0] > 1),
    ).toBe(true);
    const same = (actual: number[] | undefined, expected: number[] | undefined) => {
      expect(actual?.length).toBe(expected?.length);
      for (const [position, value] of (expected ?? []).entries())
        expect(Math.abs((actual?.[position] ?? Number.NaN) - value)).toBeLessThan(1e-5 * (1 + Math.abs(value)));
    };
    for (const results of [onCpu, onWasm])
      for (const [y, yReference, dx, dxReference, dxSteps, stepsReference] of results) {
        // The forward pool is the reference's (so its count is the one the gradient must divide by).
        same(y, yReference);
        same(dx, dxReference);
        same(dxSteps, stepsReference);
      }
  });
  it('the 3D pools and their gradients on signed values equal their definition, on cpu and wasm', async () => {
    const size = fc.integer({ min: 1, max: 5 });
    const window = fc.integer({ min: 1, max: 3 });
    const poolCase = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      size: fc.tuple(size, size, size),
      channels: fc.integer({ min: 1, max: 3 }),
      pool: fc.tuple(window, window, window),
      strides: fc.tuple(window, window, window),
      pad: fc.constantFrom<'valid' | 'same'>('valid', 'same'),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    const cases = fc
      .sample(poolCase, { numRuns: 40, seed })
      .filter(({ size, pool, pad }) => pad === 'same' || size.every((dim, axis) => dim >= (pool[axis] ?? 1)));
    // Mostly negative values: whole windows below zero (wasm's MaxPool3D pooled them to about 0).
    const compute = () =>
      cases.map(({ batch, size, channels, pool, strides, pad, seed: at }) =>
        tf.tidy(() => {
          const x = tf
            .sub(tf.randomNormal([batch, ...size, channels], 0, 1, 'float32', at), 1.5)
            .as5D(batch, ...size, channels);
          const y = tf.maxPool3d(x, pool, strides, pad);
          const dy = tf.randomNormal<tf.Rank.R5>(y.shape, 0, 1, 'float32', at + 1);
          const input = (v: tf.Tensor) => v.as5D(batch, ...size, channels);
          const maxDx = tf.grad((v) => tf.sum(tf.mul(tf.maxPool3d(input(v), pool, strides, pad), dy)))(x);
          const avg = tf.avgPool3d(x, pool, strides, pad);
          const avgDx = tf.grad((v) => tf.sum(tf.mul(tf.avgPool3d(input(v), pool, strides, pad), dy)))(x);
          const reference = pool3DReference(x, dy, pool, strides, pad);
          return [y, reference.max, maxDx, reference.maxDx, avg, reference.avg, avgDx, reference.avgDx].map((tensor) =>
            Array.from(tensor.dataSync()),
          );
        }),
      );
    registerGradientKernels('cpu');
    const onCpu = compute();
    await tf.setBackend('wasm');
    registerGradientKernels('wasm');
    const onWasm = compute();
    await tf.setBackend('cpu');
    expect(cases.length).toBeGreaterThan(20);
    // The cases that broke the stock kernels: 'same' borders, and windows of unequal height and width.
    expect(
      cases.some(
        ({ pad, size, pool, strides }) =>
          pad === 'same' && size.some((dim, axis) => dim % (strides[axis] ?? 1) !== 0 && (pool[axis] ?? 1) > 1),
      ),
    ).toBe(true);
    expect(cases.some(({ pool }) => pool[1] !== pool[2])).toBe(true);
    const same = (actual: number[] | undefined, expected: number[] | undefined, label: string) => {
      expect(actual?.length, label).toBe(expected?.length);
      for (const [position, value] of (expected ?? []).entries())
        expect(Math.abs((actual?.[position] ?? Number.NaN) - value), `${label} at ${position}`).toBeLessThan(
          1e-5 * (1 + Math.abs(value)),
        );
    };
    for (const [backend, results] of [
      ['cpu', onCpu],
      ['wasm', onWasm],
    ] as const)
      for (const [
        index,
        [max, maxReference, maxDx, maxDxReference, avg, avgReference, avgDx, avgDxReference],
      ] of results.entries()) {
        const label = `${backend} ${JSON.stringify(cases[index])}`;
        same(max, maxReference, `MaxPool3D ${label}`);
        same(maxDx, maxDxReference, `MaxPool3DGrad ${label}`);
        same(avg, avgReference, `AvgPool3D ${label}`);
        same(avgDx, avgDxReference, `AvgPool3DGrad ${label}`);
      }
  });
  it('the depthwise gradients (wasm has no kernel; tfjs no gradient with dilations) equal their definition and cpu', async () => {
    const depthwiseCase = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      size: fc.tuple(fc.integer({ min: 4, max: 9 }), fc.integer({ min: 4, max: 9 })),
      channels: fc.integer({ min: 1, max: 3 }),
      multiplier: fc.integer({ min: 1, max: 3 }),
      kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      strides: fc.oneof(
        fc.constant<[number, number]>([1, 1]),
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      ),
      dilations: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })),
      pad: fc.constantFrom<'valid' | 'same'>('valid', 'same'),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    // tfjs (as Keras) takes strides above 1 or dilations above 1, not both.
    const cases = fc
      .sample(depthwiseCase, { numRuns: 50, seed })
      .map((c) => (c.strides.some((s) => s > 1) ? { ...c, dilations: [1, 1] satisfies [number, number] } : c))
      .filter(
        ({ size, kernel, dilations, pad }) =>
          pad === 'same' || size.every((dim, axis) => dim >= ((kernel[axis] ?? 1) - 1) * (dilations[axis] ?? 1) + 1),
      );
    const compute = () =>
      cases.map(({ batch, size, channels, multiplier, kernel, strides, dilations, pad, seed: at }) =>
        tf.tidy(() => {
          const x = tf.randomNormal<tf.Rank.R4>([batch, ...size, channels], 0, 1, 'float32', at);
          const filter = tf.randomNormal<tf.Rank.R4>([...kernel, channels, multiplier], 0, 1, 'float32', at + 1);
          const y = tf.depthwiseConv2d(x, filter, strides, pad, 'NHWC', dilations);
          const dy = tf.randomNormal<tf.Rank.R4>(y.shape, 0, 1, 'float32', at + 2);
          const [dx, dw] = tf.grads((input: tf.Tensor, w: tf.Tensor) =>
            tf.sum(
              tf.mul(
                tf.depthwiseConv2d(input.as4D(...x.shape), w.as4D(...filter.shape), strides, pad, 'NHWC', dilations),
                dy,
              ),
            ),
          )([x, filter]);
          if (dx === undefined || dw === undefined) throw new Error('no gradient');
          const reference = depthwiseReference(x, filter, dy, strides, dilations, pad);
          return [dx, reference.dx, dw, reference.dw].map((tensor) => ({
            shape: tensor.shape,
            values: Array.from(tensor.dataSync()),
          }));
        }),
      );
    registerGradients();
    const onCpu = compute();
    await tf.setBackend('wasm');
    registerGradientKernels('wasm');
    const onWasm = compute();
    await tf.setBackend('cpu');
    expect(cases.length).toBeGreaterThan(30);
    expect(cases.filter(({ dilations }) => dilations.some((d) => d > 1)).length).toBeGreaterThan(5);
    expect(cases.filter(({ strides }) => strides.some((s) => s > 1)).length).toBeGreaterThan(5);
    expect(cases.filter(({ multiplier }) => multiplier > 1).length).toBeGreaterThan(5);
    const same = (
      actual: { shape: number[]; values: number[] } | undefined,
      expected: { shape: number[]; values: number[] } | undefined,
    ) => {
      expect(actual?.shape).toEqual(expected?.shape);
      for (const [position, value] of (expected?.values ?? []).entries())
        expect(Math.abs((actual?.values[position] ?? Number.NaN) - value)).toBeLessThan(1e-4 * (1 + Math.abs(value)));
    };
    for (const [index, [dx, dxReference, dw, dwReference]] of onCpu.entries()) {
      same(dx, dxReference);
      same(dw, dwReference);
      const [wasmDx, , wasmDw] = onWasm[index] ?? [];
      // wasm against the stock cpu kernels (dilation 1) or kerats' gradient on cpu (dilated), and the definition.
      same(wasmDx, dx);
      same(wasmDw, dw);
      same(wasmDx, dxReference);
      same(wasmDw, dwReference);
    }
  });
  it('a SeparableConv2D model trains on wasm: the loss falls and its depthwise kernel moves', async () => {
    expect(await useBackend('wasm')).toBe('wasm');
    clearSession();
    const input = Input([8, 8, 3]);
    const separable = SeparableConv2D(4, 3, { depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' })(
      input,
    );
    const model = Model({ inputs: input, outputs: Dense(1)(GlobalAveragePooling2D()(separable)) }).compile({
      optimizer: { name: 'adam', learningRate: 0.05 },
      loss: 'meanSquaredError',
    });
    const x = tf.tensor4d(
      Array.from({ length: 8 * 8 * 8 * 3 }, (_, index) => Math.sin(index * 1.3)),
      [8, 8, 8, 3],
    );
    const y = tf.tensor2d(Array.from({ length: 8 }, (_, index) => [3 + (index % 2)]));
    const depthwise = () =>
      Array.from(model.toLayersModel().getLayer(separable.node.layer.name).getWeights()[0]?.dataSync() ?? []);
    const untrained = depthwise();
    // 30 steps: with 8, from unseeded weights, the loss stayed above half its start once in a full run (7.1 -> 8.4).
    const history = await model.fit(x, y, { epochs: 30, verbose: 0, shuffle: false });
    const losses = history.history.loss;
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(Math.min(...losses)).toBeLessThan((losses[0] ?? Number.NaN) / 2);
    expect(depthwise()).not.toEqual(untrained);
    await useBackend('cpu');
  });
  it('the Conv2D gradient with a dilation (tfjs has none) equals its definition, for the input and the filter', () => {
    registerGradients();
    const dilated = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      size: fc.tuple(fc.integer({ min: 7, max: 12 }), fc.integer({ min: 7, max: 12 })),
      channels: fc.integer({ min: 1, max: 3 }),
      filters: fc.integer({ min: 1, max: 3 }),
      kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      dilations: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      pad: fc.constantFrom<'valid' | 'same'>('valid', 'same'),
    });
    fc.assert(
      fc.property(dilated, ({ batch, size, channels, filters, kernel, dilations, pad }) => {
        tf.tidy(() => {
          const x = tf.randomNormal<tf.Rank.R4>([batch, ...size, channels], 0, 1, 'float32', 7);
          const filterShape: [number, number, number, number] = [...kernel, channels, filters];
          const w = tf.randomNormal<tf.Rank.R4>(filterShape, 0, 1, 'float32', 9);
          const out = tf.conv2d(x, w, 1, pad, 'NHWC', dilations);
          const dy = tf.randomNormal<tf.Rank.R4>(out.shape, 0, 1, 'float32', 11);
          const [dx, dw] = tf.grads((input: tf.Tensor, filter: tf.Tensor) =>
            tf.sum(
              tf.mul(tf.conv2d(input.as4D(...x.shape), filter.as4D(...filterShape), 1, pad, 'NHWC', dilations), dy),
            ),
          )([x, w]);
          if (dx === undefined || dw === undefined) throw new Error('no gradient');
          close(dw, reference(x, dy, filterShape, [1, 1], dilations, pad));
          close(dx, inputReference(x, w, dy, dilations, pad));
        });
      }),
      { numRuns: 40, seed },
    );
  });
});
