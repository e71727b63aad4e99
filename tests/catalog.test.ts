// The layers of the catalog (issue 10) at run time: each predicts, trains inside a small model (a Dense before it
// learns through it, so its gradient flows), and comes back from a save with the same predictions, through
// loadModel and through tfjs's own loader.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnyTensor,
  AveragePooling1D,
  Cropping1D,
  Cropping2D,
  clearSession,
  Dense,
  Flatten,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  Input,
  loadModel,
  Model,
  Permute,
  RepeatVector,
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
      const y = tf.tensor2d(Array.from({ length: 8 }, (_, index) => [index % 2]));
      const [first] = await model.predict(x);
      expect(first?.shape).toEqual([8, 1]);
      // The Dense before the layer learns only if the gradient flows through the layer.
      const kernel = () => values(model.toLayersModel().getLayer(before.node.layer.name).getWeights()[0]);
      const untrained = kernel();
      const history = await model.fit(x, y, { epochs: 8, verbose: 0, shuffle: false });
      const losses = history.history.loss;
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1) ?? Number.NaN).toBeLessThan(losses[0] ?? Number.NaN);
      const [trained] = await model.predict(x);
      expect(values(trained)).not.toEqual(values(first));
      expect(kernel()).not.toEqual(untrained);

      const directory = join(work, row.name.replaceAll(' ', '-'));
      await model.save(directory);
      const loaded = await loadModel(directory);
      const [again] = await loaded.predict(x);
      expect(values(again)).toEqual(values(trained));

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
