// The replacement gradient kernels (src/runtime/kernels.ts) against tfjs's stock cpu kernels, numerically.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
