// The layers of the catalog (issue 10) at run time: each predicts, trains inside a small model (a Dense before it
// learns through it, so its gradient flows), and comes back from a save with the same predictions, through
// loadModel and through tfjs's own loader.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tfjsActivation } from '../src/dsl/activation-functions.ts';
import { activations } from '../src/dsl/options.ts';
import {
  Activation,
  type ActivationName,
  type AnyTensor,
  AveragePooling1D,
  add,
  average,
  Conv2DTranspose,
  Conv3D,
  Cropping1D,
  Cropping2D,
  clearSession,
  concatenate,
  Dense,
  DepthwiseConv2D,
  dot,
  ELU,
  Flatten,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  Input,
  LayerNormalization,
  LeakyReLU,
  loadModel,
  Model,
  maximum,
  minimum,
  multiply,
  Permute,
  PReLU,
  ReLU,
  RepeatVector,
  SeparableConv2D,
  Softmax,
  subtract,
  UpSampling2D,
  useBackend,
  ZeroPadding1D,
  ZeroPadding2D,
} from '../src/index.ts';

const work = mkdtempSync(join(tmpdir(), 'kerats-catalog-'));
afterAll(() => rmSync(work, { recursive: true, force: true, maxRetries: 5 }));
beforeAll(async () => {
  await useBackend('cpu');
});

interface Row {
  readonly name: string;
  /** The input's shape; the model is Input -> Dense(last axis) -> the layer -> Flatten -> Dense(1). */
  readonly shape: readonly number[];
  readonly layer: (x: AnyTensor) => AnyTensor;
  /** The layer's output shape, as kerats declares it. */
  readonly output: readonly number[];
  /**
   * `false` where tf.loadLayersModel rebuilds tfjs's own layer, which lacks the option (Conv2DTranspose's
   * outputPadding and dilation): kerats' loadModel is checked, tfjs's loader is not.
   */
  readonly tfjsLoads?: false;
}

const rows: readonly Row[] = [
  { name: 'GlobalMaxPooling1D', shape: [5, 3], layer: (x) => GlobalMaxPooling1D()(x), output: [3] },
  {
    name: 'GlobalMaxPooling1D keepdims',
    shape: [5, 3],
    layer: (x) => GlobalMaxPooling1D({ keepdims: true })(x),
    output: [1, 3],
  },
  { name: 'GlobalMaxPooling2D', shape: [4, 4, 3], layer: (x) => GlobalMaxPooling2D()(x), output: [3] },
  {
    name: 'GlobalMaxPooling2D keepdims',
    shape: [4, 4, 3],
    layer: (x) => GlobalMaxPooling2D({ keepdims: true })(x),
    output: [1, 1, 3],
  },
  { name: 'GlobalAveragePooling1D', shape: [5, 3], layer: (x) => GlobalAveragePooling1D()(x), output: [3] },
  {
    name: 'GlobalAveragePooling2D keepdims',
    shape: [4, 4, 3],
    layer: (x) => GlobalAveragePooling2D({ keepdims: true })(x),
    output: [1, 1, 3],
  },
  {
    name: 'AveragePooling1D same',
    shape: [5, 3],
    layer: (x) => AveragePooling1D(2, { padding: 'same' })(x),
    output: [3, 3],
  },
  { name: 'Flatten of rank 1', shape: [4], layer: (x) => Flatten()(x), output: [4] },
  { name: 'UpSampling2D nearest', shape: [3, 3, 2], layer: (x) => UpSampling2D([2, 3])(x), output: [6, 9, 2] },
  {
    name: 'UpSampling2D bilinear',
    shape: [3, 3, 2],
    layer: (x) => UpSampling2D(2, { interpolation: 'bilinear' })(x),
    output: [6, 6, 2],
  },
  {
    name: 'ZeroPadding2D',
    shape: [3, 3, 2],
    layer: (x) =>
      ZeroPadding2D([
        [1, 0],
        [2, 1],
      ])(x),
    output: [4, 6, 2],
  },
  { name: 'ZeroPadding1D', shape: [4, 2], layer: (x) => ZeroPadding1D([2, 1])(x), output: [7, 2] },
  { name: 'Cropping2D', shape: [5, 5, 2], layer: (x) => Cropping2D([1, 2])(x), output: [3, 1, 2] },
  { name: 'Cropping1D', shape: [6, 2], layer: (x) => Cropping1D([2, 1])(x), output: [3, 2] },
  { name: 'Permute', shape: [5, 3], layer: (x) => Permute([2, 1])(x), output: [3, 5] },
  { name: 'RepeatVector', shape: [4], layer: (x) => RepeatVector(3)(x), output: [3, 4] },
  { name: 'LayerNormalization', shape: [3, 4], layer: (x) => LayerNormalization()(x), output: [3, 4] },
  {
    name: 'LayerNormalization over two axes',
    shape: [3, 4],
    layer: (x) => LayerNormalization({ axis: [1, 2], center: false })(x),
    output: [3, 4],
  },
  {
    name: 'ReLU with every option',
    shape: [4],
    layer: (x) => ReLU({ maxValue: 1, negativeSlope: 0.1, threshold: 0.2 })(x),
    output: [4],
  },
  { name: 'LeakyReLU', shape: [4], layer: (x) => LeakyReLU()(x), output: [4] },
  { name: 'PReLU', shape: [3, 4], layer: (x) => PReLU({ sharedAxes: 1 })(x), output: [3, 4] },
  { name: 'ELU alpha', shape: [4], layer: (x) => ELU({ alpha: 0.5 })(x), output: [4] },
  { name: 'Softmax on axis 1', shape: [3, 4], layer: (x) => Softmax({ axis: 1 })(x), output: [3, 4] },
  {
    name: 'Conv2DTranspose strides 2, same',
    shape: [3, 3, 2],
    layer: (x) => Conv2DTranspose(3, 3, { strides: 2, padding: 'same' })(x),
    output: [6, 6, 3],
  },
  {
    name: 'Conv2DTranspose with outputPadding',
    shape: [3, 3, 2],
    layer: (x) => Conv2DTranspose(2, [3, 2], { strides: 2, outputPadding: [1, 0] })(x),
    output: [8, 6, 2],
    tfjsLoads: false,
  },
  {
    name: 'Conv2DTranspose dilated',
    shape: [3, 3, 2],
    layer: (x) => Conv2DTranspose(2, 2, { dilationRate: 2, activation: 'gelu' })(x),
    output: [5, 5, 2],
    tfjsLoads: false,
  },
  {
    name: 'DepthwiseConv2D',
    shape: [5, 5, 2],
    layer: (x) => DepthwiseConv2D(3, { depthMultiplier: 2, strides: 2, padding: 'same' })(x),
    output: [3, 3, 4],
  },
  {
    name: 'SeparableConv2D',
    shape: [5, 5, 2],
    layer: (x) => SeparableConv2D(3, 3, { activation: 'relu' })(x),
    output: [3, 3, 3],
  },
  {
    name: 'Conv3D',
    shape: [3, 4, 4, 1],
    layer: (x) => Conv3D(2, [2, 3, 3], { strides: [1, 2, 2], padding: 'same' })(x),
    output: [3, 2, 2, 2],
  },
  {
    name: 'Activation exponential',
    shape: [4],
    layer: (x) => Activation('exponential')(x),
    output: [4],
  },
];

/** Deterministic data: a batch of 8 with values in [-1, 1]. */
function data(shape: readonly number[]): tf.Tensor {
  const size = shape.reduce((product, dim) => product * dim, 8);
  return tf.tensor(
    Array.from({ length: size }, (_, index) => Math.sin(index * 1.7)),
    [8, ...shape],
  );
}

const values = (tensor: tf.Tensor | undefined): number[] => Array.from(tensor?.dataSync() ?? []);

describe('every catalog layer predicts, trains and saves', () => {
  for (const row of rows) {
    it(row.name, async () => {
      clearSession();
      const input = Input(row.shape);
      const before = Dense(row.shape.at(-1) ?? 1)(input);
      const out = row.layer(before);
      expect(out.shape).toEqual(row.output);
      const model = Model({ inputs: input, outputs: Dense(1)(Flatten()(out)) }).compile({
        optimizer: { name: 'adam', learningRate: 0.05 },
        loss: 'meanSquaredError',
      });
      const x = data(row.shape);
      // Targets far from any initial output, so that every one of the 8 steps lowers the loss whatever the
      // random initial weights (targets of 0 and 1 start near the best a constant can do, and Adam's first steps
      // could then raise it).
      const y = tf.tensor2d(Array.from({ length: 8 }, (_, index) => [10 + (index % 2)]));
      const [first] = await model.predict(x);
      expect(first?.shape).toEqual([8, 1]);
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

      const directory = join(work, row.name.replaceAll(' ', '-'));
      await model.save(directory);
      const loaded = await loadModel(directory);
      const [again] = await loaded.predict(x);
      expect(values(again)).toEqual(values(trained));

      if (row.tfjsLoads === false) return;
      const json = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
      const [group] = json.weightsManifest;
      const bytes = readFileSync(join(directory, group.paths[0]));
      const weightData = new ArrayBuffer(bytes.byteLength);
      new Uint8Array(weightData).set(bytes);
      const plain = await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }),
      );
      const direct = plain.predict(x);
      const [expected, actual] = [values(trained), values(direct instanceof tf.Tensor ? direct : undefined)];
      expect(actual).toHaveLength(expected.length);
      for (const [index, value] of expected.entries()) expect(actual[index]).toBeCloseTo(value, 5);
    });
  }
});

// Keras 3's formulas (keras/src/activations/activations.py), written out for one number, or for a row (softmax).
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.log1p(Math.exp(x));
const hardSigmoid = (x: number) => Math.min(Math.max(x + 3, 0), 6) / 6;
const erf = (x: number) => {
  // Abramowitz and Stegun 7.1.26, within 1.5e-7.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
};
const [seluAlpha, seluScale] = [1.6732632423543772, 1.0507009873554805];
const elementwise: readonly (readonly [ActivationName, (x: number) => number])[] = [
  ['linear', (x) => x],
  ['relu', (x) => Math.max(x, 0)],
  ['relu6', (x) => Math.min(Math.max(x, 0), 6)],
  ['elu', (x) => (x > 0 ? x : Math.exp(x) - 1)],
  ['selu', (x) => seluScale * (x > 0 ? x : seluAlpha * (Math.exp(x) - 1))],
  ['sigmoid', sigmoid],
  // tfjs's name: Keras 2's formula.
  ['hardSigmoid', (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1)],
  ['softplus', softplus],
  ['softsign', (x) => x / (Math.abs(x) + 1)],
  ['tanh', Math.tanh],
  ['swish', (x) => x * sigmoid(x)],
  ['silu', (x) => x * sigmoid(x)],
  ['mish', (x) => x * Math.tanh(softplus(x))],
  ['gelu', (x) => 0.5 * x * (1 + erf(x / Math.SQRT2))],
  ['hard_sigmoid', hardSigmoid],
  ['hard_silu', (x) => x * hardSigmoid(x)],
  ['hard_swish', (x) => x * hardSigmoid(x)],
  ['leaky_relu', (x) => (x > 0 ? x : 0.2 * x)],
  ['exponential', Math.exp],
  // Keras 3.8+ (keras/src/backend/numpy/nn.py), at their default arguments.
  ['celu', (x) => Math.max(x, 0) + Math.expm1(Math.min(x, 0))],
  ['squareplus', (x) => (x + Math.sqrt(x * x + 4)) / 2],
  ['soft_shrink', (x) => (x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0)],
  ['sparse_plus', (x) => (x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) ** 2 : x)],
  ['tanh_shrink', (x) => x - Math.tanh(x)],
  ['sparse_sigmoid', (x) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1))],
  ['hard_tanh', (x) => Math.min(Math.max(x, -1), 1)],
  ['hard_shrink', (x) => (Math.abs(x) > 0.5 ? x : 0)],
  ['log_sigmoid', (x) => -softplus(-x)],
];
const row = [-4, -2.5, -1, -0.3, 0, 0.4, 1, 2.7, 4, 7];
const softmaxRow = (numbers: readonly number[]) => {
  const top = Math.max(...numbers);
  const exps = numbers.map((value) => Math.exp(value - top));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
};

async function apply(layer: (x: AnyTensor) => AnyTensor, rows: readonly (readonly number[])[]): Promise<number[]> {
  clearSession();
  const input = Input([rows[0]?.length ?? 0]);
  const [output] = await Model({ inputs: input, outputs: layer(input) }).predict(tf.tensor2d(rows.map((r) => [...r])));
  return values(output);
}

function close(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  // float32: relative to the value's size (exp(7) is 1096.63...).
  for (const [index, value] of expected.entries())
    expect(Math.abs((actual[index] ?? Number.NaN) - value)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(value)));
}

describe("activations compute Keras 3's formulas", () => {
  it('every name Keras accepts in activation: (glu, which halves the last axis, and threshold excepted) is covered here', () => {
    const covered = new Set([...elementwise.map(([name]) => name), 'softmax', 'log_softmax', 'sparsemax']);
    expect(activations.filter((name) => !covered.has(name))).toEqual([]);
  });
  for (const [name, formula] of elementwise)
    it(name, async () => close(await apply((x) => Activation(name)(x), [row]), row.map(formula)));
  it('sparsemax: the projection onto the simplex, and its gradient (the Jacobian on the support)', async () => {
    // [0.6, 0.4, -1]: support {0.6, 0.4}, tau = 0, so [0.6, 0.4, 0]; [0.1, 0.2, 0.3]: all kept, tau = -2 / 15.
    close(
      await apply(
        (x) => Activation('sparsemax')(x),
        [
          [0.6, 0.4, -1],
          [0.1, 0.2, 0.3],
        ],
      ),
      [0.6, 0.4, 0, 0.1 + 2 / 15, 0.2 + 2 / 15, 0.3 + 2 / 15],
    );
    // d/dx of sum(w * sparsemax(x)) on the support {0, 1}: w - mean(w over the support), 0 elsewhere.
    const weights = tf.tensor1d([1, 3, 5]);
    const sparse = tf.layers.activation({ activation: tfjsActivation('sparsemax') });
    const grad = tf.grad((x: tf.Tensor) => {
      const out = sparse.apply(x);
      if (!(out instanceof tf.Tensor)) throw new Error('not a tensor');
      return tf.sum(tf.mul(out, weights));
    })(tf.tensor2d([[0.6, 0.4, -1]]));
    close([...grad.dataSync()], [-1, 1, 0]);
  });
  it("glu (the Activation layer only): a * sigmoid(b) for the last axis's halves a and b; an odd axis is refused", async () => {
    const glu = [1, -2, 0.5, 3, 0, -1];
    close(await apply((x) => Activation('glu')(x), [glu]), [1 * sigmoid(3), -2 * sigmoid(0), 0.5 * sigmoid(-1)]);
    clearSession();
    const odd: number = 5;
    expect(() => Activation('glu')(Input([odd]))).toThrow(
      'Activation: glu splits the last axis in two halves, so it must be even, got [5]',
    );
    const saved = join(work, 'glu');
    clearSession();
    const input = Input([4]);
    const model = Model({ inputs: input, outputs: Activation('glu')(input) });
    await model.save(saved);
    const loaded = await loadModel(saved);
    expect(loaded.outputs.map((output) => output.shape)).toEqual([[2]]);
  });
  it('softmax and log_softmax', async () => {
    close(await apply((x) => Activation('softmax')(x), [row]), softmaxRow(row));
    close(await apply((x) => Activation('log_softmax')(x), [row]), softmaxRow(row).map(Math.log));
  });
  it('ReLU with maxValue, negativeSlope and threshold', async () => {
    const relu = (x: number) => (x >= 1 ? 1 : x > 0.5 ? x : 0.1 * (x - 0.5));
    close(await apply((x) => ReLU({ maxValue: 1, negativeSlope: 0.1, threshold: 0.5 })(x), [row]), row.map(relu));
  });
  it('LeakyReLU (0.3 by default) and ELU with alpha', async () => {
    close(
      await apply((x) => LeakyReLU()(x), [row]),
      row.map((x) => (x > 0 ? x : 0.3 * x)),
    );
    close(
      await apply((x) => ELU({ alpha: 0.5 })(x), [row]),
      row.map((x) => (x > 0 ? x : 0.5 * (Math.exp(x) - 1))),
    );
  });
  it('Softmax along axis 1 of [2, 3]: each column sums to 1', async () => {
    clearSession();
    const input = Input([2, 3]);
    const data = [
      [
        [1, 2, 3],
        [4, 0, -1],
      ],
    ];
    const [output] = await Model({ inputs: input, outputs: Softmax({ axis: 1 })(input) }).predict(tf.tensor3d(data));
    const [a, b, c, d, e, f] = values(output);
    const columns = [0, 1, 2].map((column) => softmaxRow([data[0]?.[0]?.[column] ?? 0, data[0]?.[1]?.[column] ?? 0]));
    close(
      [a, d, b, e, c, f].map((value) => value ?? Number.NaN),
      columns.flat(),
    );
  });
});

describe("Keras's functional merge forms (keras.layers.add, concatenate, ...)", () => {
  it('each is one call of a new layer: the same values as the layer, a layer of the class in the model', async () => {
    clearSession();
    const a = Input([4], { name: 'a' });
    const b = Input([4], { name: 'b' });
    const outputs = [
      add([a, b]),
      subtract([a, b]),
      multiply([a, b]),
      average([a, b]),
      maximum([a, b]),
      minimum([a, b]),
      concatenate([a, b], -1, { name: 'joined' }),
      dot([a, b], 1),
    ];
    const model = Model({ inputs: [a, b], outputs });
    expect(model.layers.slice(2).map((layer) => layer.className)).toEqual([
      'Add',
      'Subtract',
      'Multiply',
      'Average',
      'Maximum',
      'Minimum',
      'Concatenate',
      'Dot',
    ]);
    expect(model.getLayer('joined').className).toBe('Concatenate');
    const x = [1, -2, 3, 0.5];
    const y = [2, 1, -1, 0.5];
    const results = (await model.predict([tf.tensor2d([x]), tf.tensor2d([y])])).map((out) => [...out.dataSync()]);
    const pairs = x.map((value, index) => [value, y[index] ?? 0] as const);
    expect(results).toEqual([
      pairs.map(([p, q]) => p + q),
      pairs.map(([p, q]) => p - q),
      pairs.map(([p, q]) => p * q),
      pairs.map(([p, q]) => (p + q) / 2),
      pairs.map(([p, q]) => Math.max(p, q)),
      pairs.map(([p, q]) => Math.min(p, q)),
      [...x, ...y],
      [pairs.reduce((sum, [p, q]) => sum + p * q, 0)],
    ]);
  });

  it("a mistake the compiler cannot see gets the layer's sentence when built", () => {
    clearSession();
    const rows: number[] = [4, 5];
    expect(() => concatenate([Input([rows[0] ?? 0, 2]), Input([rows[1] ?? 0, 3])])).toThrow(
      'Concatenate: inputs disagree on axis 1: [4, 2] vs [5, 3] (only axis -1 may differ; Flatten first?)',
    );
  });
});
