// Conv1D/2D/3D's `groups` (kerats issue 10). Keras 3: keras/src/layers/convolutional/base_conv.py (filters and the
// input's channels multiples of groups; kernel kernel_size + (channels // groups, filters)); the computation is a
// grouped convolution, checked here against each group's convolution written with tf ops.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expectType } from 'tsd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Conv1D,
  Conv2D,
  Conv3D,
  clearSession,
  Dense,
  Flatten,
  Input,
  KeratsError,
  l2,
  loadModel,
  Model,
  type SymbolicTensor,
  TimeDistributed,
  useBackend,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-groups-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  await useBackend('cpu');
});

/** The message of the KeratsError `build` throws. */
function message(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    if (error instanceof KeratsError) return error.message;
    throw error;
  }
  return 'no error';
}

const values = (tensor: tf.Tensor | undefined): number[] => Array.from(tensor?.dataSync() ?? []);

function expectClose(actual: tf.Tensor | undefined, expected: tf.Tensor, digits = 4): void {
  expect(actual?.shape).toEqual(expected.shape);
  const wanted = values(expected);
  const got = values(actual);
  expect(got).toHaveLength(wanted.length);
  for (const [index, value] of wanted.entries()) expect(got[index]).toBeCloseTo(value, digits);
}

/** Keras's count: prod(kernel) * (channels / groups) * filters, + filters for the bias. */
const kerasCount = (kernel: readonly number[], channels: number, filters: number, groups: number, bias = true) =>
  kernel.reduce((product, size) => product * size, 1) * (channels / groups) * filters + (bias ? filters : 0);

describe('groups: parameter counts follow Keras', () => {
  it('Conv2D(64, 3, { groups: 4 }) on [32, 32, 16] has 3*3*4*64 + 64 = 2368 parameters', () => {
    clearSession();
    const x = Input([32, 32, 16]);
    const y = Conv2D(64, 3, { groups: 4 })(x);
    expectType<SymbolicTensor<[30, 30, 64], 'float32', never>>(y);
    expect(y.shape).toEqual([30, 30, 64]);
    const model = Model({ inputs: x, outputs: y });
    expect(model.countParams()).toBe(2368);
    expect(kerasCount([3, 3], 16, 64, 4)).toBe(2368);
    const row = model.summaryLines().find((line) => line.startsWith(' conv2d'));
    expect(row?.replace(/ +/g, ' ').trim()).toBe('conv2d (Conv2D) (None, 30, 30, 64) 2368');
    expect(model.toLayersModel().countParams()).toBe(2368);
    expect(
      model
        .getLayer('conv2d')
        .getWeights()
        .map((weight) => weight.shape),
    ).toEqual([[3, 3, 4, 64], [64]]);
  });

  it('Conv1D and Conv3D, with and without a bias; groups: 1 is the plain convolution', () => {
    clearSession();
    const steps = Input([20, 12]);
    const volume = Input([6, 6, 6, 6]);
    const one = Conv1D(9, 5, { groups: 3, useBias: false })(steps);
    const three = Conv3D(4, [3, 2, 1], { groups: 2, padding: 'same' })(volume);
    const plain = Conv2D(8, 3, { groups: 1 })(Input([8, 8, 6]));
    expectType<SymbolicTensor<[16, 9], 'float32', never>>(one);
    expectType<SymbolicTensor<[6, 6, 6, 4], 'float32', never>>(three);
    expectType<SymbolicTensor<[6, 6, 8], 'float32', never>>(plain);
    expect(one.node.layer.countParams().trainable).toBe(kerasCount([5], 12, 9, 3, false));
    expect(one.node.layer.countParams().trainable).toBe(180);
    expect(three.node.layer.countParams().trainable).toBe(kerasCount([3, 2, 1], 6, 4, 2));
    expect(plain.node.layer.countParams().trainable).toBe(kerasCount([3, 3], 6, 8, 1));
    expect(plain.node.layer.spec.config.groups).toBe(1);
  });
});

function threeD(t: tf.Tensor): [number, number, number] {
  const [a = 0, b = 0, c = 0] = t.shape;
  return [a, b, c];
}
function fourD(t: tf.Tensor): [number, number, number, number] {
  const [a = 0, b = 0, c = 0, d = 0] = t.shape;
  return [a, b, c, d];
}
function fiveD(t: tf.Tensor): [number, number, number, number, number] {
  const [a = 0, b = 0, c = 0, d = 0, e = 0] = t.shape;
  return [a, b, c, d, e];
}

const backends: readonly ('cpu' | 'wasm')[] = ['cpu', 'wasm'];

// The grouped computation is tf ops, so it runs on every backend; wasm is kerats' default one, cpu the reference.
for (const backend of backends)
  describe(`on ${backend}`, () => {
    beforeAll(async () => {
      expect(await useBackend(backend)).toBe(backend);
    });

    describe('groups: the computation is each group convolved apart, then concatenated', () => {
      /** The reference: the input's channel groups and the kernel's filter groups, paired, convolved and concatenated. */
      function reference(
        x: tf.Tensor,
        kernel: tf.Tensor,
        bias: tf.Tensor | undefined,
        groups: number,
        convolve: (x: tf.Tensor, kernel: tf.Tensor) => tf.Tensor,
      ): tf.Tensor {
        const parts = tf.split(x, groups, -1);
        const filters = tf.split(kernel, groups, -1);
        const outputs = parts.map((part, index) => convolve(part, filters[index] ?? kernel));
        const y = tf.concat(outputs, -1);
        return bias === undefined ? y : tf.add(y, bias);
      }

      /** A grouped Conv2D against the reference (its options as numbers, so one helper takes both cases). */
      async function checkConv2D(
        groups: number,
        strides: number,
        dilation: number,
        padding: 'valid' | 'same',
        relu: boolean,
      ) {
        clearSession();
        const x = Input([9, 9, 6]);
        const activation = relu ? 'relu' : 'linear';
        const conv = Conv2D(6, 3, { groups, strides, dilationRate: dilation, padding, activation, name: 'grouped' });
        const model = Model({ inputs: x, outputs: conv(x) });
        const [kernel, bias] = model.getLayer('grouped').getWeights();
        if (kernel === undefined) throw new Error('no kernel');
        expect(kernel.shape).toEqual([3, 3, 6 / groups, 6]);
        const data = tf.randomNormal([2, 9, 9, 6], 0, 1, 'float32', 3);
        const [actual] = await model.predict(data);
        const raw = reference(data, kernel, bias, groups, (part, filter) =>
          tf.conv2d(part.as4D(...fourD(part)), filter.as4D(...fourD(filter)), strides, padding, 'NHWC', dilation),
        );
        expectClose(actual, relu ? tf.relu(raw) : raw);
      }

      it('Conv2D (strided, and dilated with an activation)', async () => {
        await checkConv2D(3, 2, 1, 'same', false);
        await checkConv2D(2, 1, 2, 'valid', true);
        await checkConv2D(6, 1, 1, 'valid', false);
      });

      it('Conv1D (dilated) and Conv3D (strided)', async () => {
        clearSession();
        const steps = Input([12, 4]);
        const volume = Input([5, 6, 7, 4]);
        const model = Model({
          inputs: [steps, volume],
          outputs: [
            Conv1D(6, 3, { groups: 2, dilationRate: 2, name: 'one' })(steps),
            Conv3D(8, 2, { groups: 4, strides: [1, 2, 2], name: 'three' })(volume),
          ],
        });
        const a = tf.randomNormal([3, 12, 4], 0, 1, 'float32', 4);
        const b = tf.randomNormal([3, 5, 6, 7, 4], 0, 1, 'float32', 5);
        const [first, second] = await model.predict([a, b]);
        const [k1, b1] = model.getLayer('one').getWeights();
        const [k3, b3] = model.getLayer('three').getWeights();
        if (k1 === undefined || k3 === undefined) throw new Error('no kernel');
        expect(k1.shape).toEqual([3, 2, 6]);
        expect(k3.shape).toEqual([2, 2, 2, 1, 8]);
        expectClose(
          first,
          reference(a, k1, b1, 2, (part, filter) =>
            tf.conv1d(part.as3D(...threeD(part)), filter.as3D(...threeD(filter)), 1, 'valid', 'NWC', 2),
          ),
        );
        expectClose(
          second,
          reference(b, k3, b3, 4, (part, filter) =>
            tf.conv3d(part.as5D(...fiveD(part)), filter.as5D(...fiveD(filter)), [1, 2, 2], 'valid', 'NDHWC', 1),
          ),
        );
      });
    });

    describe('groups: training, saving and loading', () => {
      it('the loss falls (a dilated grouped Conv1D, a grouped Conv2D with a regularizer and a constraint)', async () => {
        clearSession();
        const x = Input([8, 8, 4], { name: 'image' });
        const conv = Conv2D(8, 3, {
          groups: 2,
          activation: 'relu',
          kernelRegularizer: l2(1e-3),
          kernelConstraint: 'nonNeg',
          name: 'grouped',
        })(x);
        const model = Model({ inputs: x, outputs: Dense(1)(Flatten()(conv)) }).compile({
          optimizer: { name: 'adam', learningRate: 0.01 },
          loss: 'meanSquaredError',
        });
        const images = tf.randomUniform([32, 8, 8, 4], 0, 1, 'float32', 7);
        const seqs = tf.randomUniform([32, 10, 4], 0, 1, 'float32', 8);
        const targets = tf.mean(images, [1, 2, 3]).reshape([32, 1]).mul(4).sub(2);
        const history = await model.fit(images, targets, { epochs: 10, batchSize: 8, verbose: 0 });
        const losses = history.history.loss ?? [];
        expect(losses).toHaveLength(10);
        expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) / 2);
        // The constraint held after each update; the regularizer's penalty is in the loss (evaluate sees it).
        for (const value of values(model.getLayer('grouped').getWeights()[0])) expect(value).toBeGreaterThanOrEqual(0);
        // The dilated grouped Conv1D trains too (its gradient is kerats' dilated conv2d one).
        const seq = Input([10, 4], { name: 'seq' });
        const conv1 = Conv1D(4, 3, { groups: 4, dilationRate: 2, name: 'grouped1' })(seq);
        const seqModel = Model({ inputs: seq, outputs: Dense(1)(Flatten()(conv1)) }).compile({
          optimizer: { name: 'adam', learningRate: 0.02 },
          loss: 'meanSquaredError',
        });
        const seqTargets = tf.sum(seqs, [1, 2]).reshape([32, 1]).div(10).sub(2);
        const seqHistory = await seqModel.fit(seqs, seqTargets, { epochs: 10, batchSize: 8, verbose: 0 });
        const seqLosses = seqHistory.history.loss ?? [];
        expect(seqLosses.at(-1)).toBeLessThan((seqLosses[0] ?? 0) / 2);
      });

      it('the regularizer adds its penalty once, as Keras: l2 * sum(kernel^2)', async () => {
        clearSession();
        const x = Input([5, 5, 4]);
        const model = Model({
          inputs: x,
          outputs: Flatten()(
            Conv2D(4, 3, { groups: 2, kernelRegularizer: l2(0.5), kernelInitializer: 'ones', useBias: false })(x),
          ),
        }).compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
        const data = tf.zeros([2, 5, 5, 4]);
        // Kernel [3, 3, 2, 4] of ones: 72 entries; the prediction is 0, so the loss is the penalty alone.
        expect((await model.evaluate(data, tf.zeros([2, 36]))).loss).toBeCloseTo(0.5 * 72, 4);
      });

      it('loadModel and plain tf.loadLayersModel rebuild it with the same predictions', async () => {
        clearSession();
        const x = Input([7, 7, 6]);
        const seq = Input([9, 6]);
        const volume = Input([4, 4, 4, 6]);
        const model = Model({
          inputs: [x, seq, volume],
          outputs: [
            Conv2D(9, [3, 2], {
              groups: 3,
              padding: 'same',
              activation: 'leaky_relu',
              // Strings in the configs, which tfjs's save and load rewrite (snake_case, camelCase).
              kernelInitializer: { className: 'varianceScaling', config: { mode: 'fan_out', distribution: 'uniform' } },
              biasInitializer: 'randomNormal',
              kernelConstraint: 'maxNorm',
              kernelRegularizer: 'l2',
            })(x),
            Conv1D(4, 2, { groups: 2, strides: 2 })(seq),
            Conv3D(6, 2, { groups: 6, useBias: false })(volume),
          ],
        });
        const directory = join(work, `grouped-${backend}`);
        await model.save(directory);
        const loaded = await loadModel(directory);
        expect(loaded.countParams()).toBe(model.countParams());
        expect(model.countParams()).toBe(
          kerasCount([3, 2], 6, 9, 3) + kerasCount([2], 6, 4, 2) + kerasCount([2, 2, 2], 6, 6, 6, false),
        );
        const data: [tf.Tensor, tf.Tensor, tf.Tensor] = [
          tf.randomNormal([2, 7, 7, 6], 0, 1, 'float32', 1),
          tf.randomNormal([2, 9, 6], 0, 1, 'float32', 2),
          tf.randomNormal([2, 4, 4, 4, 6], 0, 1, 'float32', 3),
        ];
        const before = await model.predict(data);
        const after = await loaded.predict(data);
        expect(after.map(values)).toEqual(before.map(values));
        expect(loaded.layers.find((layer) => layer.className === 'Conv2D')?.spec.config.groups).toBe(3);

        const json = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
        const [group] = json.weightsManifest;
        const bytes = readFileSync(join(directory, group.paths[0]));
        const weightData = new ArrayBuffer(bytes.byteLength);
        new Uint8Array(weightData).set(bytes);
        const plain = await tf.loadLayersModel(
          tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }),
        );
        expect(plain.countParams()).toBe(model.countParams());
        const direct = plain.predict(data);
        const outputs = Array.isArray(direct) ? direct : [direct];
        for (const [index, expected] of before.entries()) expectClose(outputs[index], expected, 5);
      });
    });
  });

describe('groups: inside TimeDistributed', () => {
  it('TimeDistributed(Conv2D(..., { groups })) convolves each frame with the grouped kernel', async () => {
    clearSession();
    const clip = Input([3, 6, 6, 4]);
    const frames = TimeDistributed(Conv2D(6, 3, { groups: 2 }), { name: 'frames' })(clip);
    expectType<SymbolicTensor<[3, 4, 4, 6], 'float32', never>>(frames);
    const model = Model({ inputs: clip, outputs: frames });
    expect(model.countParams()).toBe(kerasCount([3, 3], 4, 6, 2));
    const [kernel, bias] = model.getLayer('frames').getWeights();
    if (kernel === undefined || bias === undefined) throw new Error('no weights');
    expect(kernel.shape).toEqual([3, 3, 2, 6]);
    const data = tf.randomNormal([2, 3, 6, 6, 4], 0, 1, 'float32', 6);
    const [all] = await model.predict(data);
    if (all === undefined) throw new Error('no output');
    // Frame 1, each half of its channels by its half of the filters.
    const frame = tf.squeeze(tf.slice(data, [0, 1, 0, 0, 0], [2, 1, 6, 6, 4]), [1]).as4D(2, 6, 6, 4);
    const [x0, x1] = tf.split(frame, 2, -1);
    const [k0, k1] = tf.split(kernel.as4D(3, 3, 2, 6), 2, -1);
    if (x0 === undefined || x1 === undefined || k0 === undefined || k1 === undefined) throw new Error('no split');
    const expected = tf.add(
      tf.concat(
        [
          tf.conv2d(x0.as4D(2, 6, 6, 2), k0.as4D(3, 3, 2, 3), 1, 'valid'),
          tf.conv2d(x1.as4D(2, 6, 6, 2), k1.as4D(3, 3, 2, 3), 1, 'valid'),
        ],
        -1,
      ),
      bias,
    );
    expectClose(tf.squeeze(tf.slice(all, [0, 1, 0, 0, 0], [2, 1, 4, 4, 6]), [1]), expected, 5);
  });
});

/** A number the compiler cannot see (as from a config), so that the runtime's check is the one tested. */
const wide = (value: number): number => value;

describe('groups: bad values are refused, naming what was expected', () => {
  it('0, 2.5 and a non-divisor of filters, when the layer is made', () => {
    const cases: [() => unknown, string][] = [
      [() => Conv2D(8, 3, { groups: wide(0) }), 'Conv2D: groups must be a positive integer, got 0'],
      [() => Conv1D(8, 3, { groups: wide(2.5) }), 'Conv1D: groups must be a positive integer, got 2.5'],
      [() => Conv3D(8, 3, { groups: wide(3) }), 'Conv3D: groups must be a divisor of 8 (filters), got 3'],
    ];
    for (const [build, expected] of cases) expect(message(build)).toBe(expected);
  });

  it("a non-divisor of the input's channels, at the call", () => {
    const conv = Conv2D(8, 3, { groups: wide(4) });
    expect(message(() => conv(Input([32, 32, 6])))).toBe(
      'Conv2D: groups must be a divisor of 6 (the channels of the input [32, 32, 6]), got 4',
    );
    expect(message(() => Conv1D(4, 3, { groups: wide(2) })(Input([10, 3])))).toBe(
      'Conv1D: groups must be a divisor of 3 (the channels of the input [10, 3]), got 2',
    );
  });
});
