// BatchNormalization over any rank and any feature axis, numerically: kerats' tfjs twin against tfjs's own layer
// on the same data with the features moved last and the other axes flattened ([N, C], the case tfjs handles),
// in training (output, gradients, moving statistics) and in inference; then fit on wasm.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNormalization,
  Conv2D,
  clearSession,
  Dense,
  type DType,
  Flatten,
  Input,
  Model,
  type Shape,
  type SymbolicTensor,
  useBackend,
} from '../src/index.ts';
import { lowering } from '../src/runtime/graph.ts';

type Unnamed = SymbolicTensor<Shape, DType, never>;

const momentum = 0.9;
const epsilon = 0.01;

function close(actual: tf.Tensor | undefined, expected: tf.Tensor | undefined, what: string): void {
  if (actual === undefined || expected === undefined) throw new Error(`${what}: missing`);
  expect(actual.shape, what).toEqual(expected.shape);
  const worst = tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] ?? Number.NaN;
  expect(worst, what).toBeLessThan(1e-4);
}

/** The permutation that moves `axis` last, and its inverse. */
function moveLast(rank: number, axis: number): { forward: number[]; back: number[] } {
  const forward = [...Array(rank).keys()].filter((each) => each !== axis).concat(axis);
  const back = forward.map((_, index) => forward.indexOf(index));
  return { forward, back };
}

/** Output, input gradient, weight gradients and the moving statistics after one call. */
function step(layer: tf.layers.Layer, x: tf.Variable, dy: tf.Tensor, training: boolean, view = (t: tf.Tensor) => t) {
  const variables = layer.trainableWeights.map((weight) => weight.read()).filter((v) => v instanceof tf.Variable);
  let output: tf.Tensor | undefined;
  const { grads } = tf.variableGrads(() => {
    const result = layer.apply(view(x), { training });
    if (!(result instanceof tf.Tensor)) throw new Error('not one tensor');
    output = tf.keep(result);
    return tf.sum(tf.mul(result, view(dy)));
  }, [x, ...variables]);
  return {
    output,
    dx: grads[x.name],
    dWeights: variables.map((variable) => grads[variable.name]),
    moving: layer.getWeights().slice(-2),
  };
}

const cases: readonly (readonly [Shape, number, { center?: boolean; scale?: boolean }?])[] = [
  [[5], -1],
  [[4, 3], 1],
  [[4, 3], -1],
  [[4, 4, 3], -1],
  [[4, 4, 3], 1],
  [[4, 4, 3], 2],
  [[2, 3, 2, 3], -1],
  [[2, 3, 2, 3], 2],
  [[2, 2, 2, 2, 3], 1],
  [[4, 4, 3], 1, { center: false }],
  [[2, 3, 2, 3], -1, { scale: false }],
  [[4, 3], -1, { center: false }],
  [[5], -1, { scale: false }],
];

describe('BatchNormalization on any rank and axis equals tfjs on the flattened features', () => {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    if (previous) await tf.setBackend(previous);
  });

  for (const [shape, axis, affine = {}] of cases)
    for (const training of [true, false])
      it(`input [${shape.join(', ')}], axis ${axis}${affine.center === false ? ', no beta' : ''}${affine.scale === false ? ', no gamma' : ''}, ${training ? 'training' : 'inference'}`, () => {
        clearSession();
        const dims = shape.map((dim) => dim ?? 1);
        const full = [3, ...dims];
        const index = axis < 0 ? axis + full.length : axis;
        const features = full[index] ?? 1;
        const { forward, back } = moveLast(full.length, index);
        const moved = forward.map((each) => full[each] ?? 1);

        const ours = BatchNormalization({ axis, momentum, epsilon, ...affine })(Input(dims)).node.layer.spec.lower(
          'ours',
          [],
          lowering,
        );
        // tfjs's own layer fails in training without gamma or beta; without one, it is the one that is 1 or 0.
        const theirs = tf.layers.batchNormalization({ axis: -1, momentum, epsilon, name: 'theirs' });
        const x = tf.variable(tf.randomNormal(full, 2, 3, 'float32', 1));
        ours.apply(x);
        theirs.apply(tf.zeros([1, features]));
        const enabled = [affine.scale !== false, affine.center !== false, true, true];
        const weights = [1.5, 0.5, 0.2, 2].map((mean, seed) =>
          enabled[seed]
            ? tf.abs(tf.randomNormal([features], mean, 0.3, 'float32', seed))
            : tf.fill([features], 1 - seed),
        );
        ours.setWeights(weights.filter((_, position) => enabled[position]));
        theirs.setWeights(weights);
        const dy = tf.randomNormal(full, 0, 1, 'float32', 2);

        const a = step(ours, x, dy, training);
        // tfjs's layer on [N, C]: the features last, every other axis flattened.
        const b = step(theirs, x, dy, training, (t) =>
          tf.reshape(tf.transpose(t, forward), [moved.slice(0, -1).reduce((p, q) => p * q, 1), features]),
        );
        const unflatten = (t: tf.Tensor | undefined) => t && tf.transpose(tf.reshape(t, moved), back);
        close(a.output, unflatten(b.output), 'output');
        close(a.dx, b.dx, 'input gradient');
        const theirGradients = b.dWeights.filter((_, position) => enabled[position]);
        for (const [position, grad] of a.dWeights.entries())
          close(grad, theirGradients[position], `gradient ${position}`);
        for (const [position, stat] of a.moving.entries())
          close(stat, b.moving[position], `moving statistic ${position}`);
        tf.dispose([x, dy, ...weights]);
      });
});

describe('BatchNormalization trains on wasm whatever its axis and rank', () => {
  beforeAll(async () => {
    expect(await useBackend('wasm')).toBe('wasm');
  });
  const models: Record<string, () => { x: Unnamed; y: Unnamed; shape: number[] }> = {
    'after a Conv2D, axis -1': () => {
      const x = Input([6, 6, 2]);
      return { x, y: BatchNormalization()(Conv2D(3, 3)(x)), shape: [6, 6, 2] };
    },
    'after a Conv2D, axis 1': () => {
      const x = Input([6, 6, 2]);
      return { x, y: BatchNormalization({ axis: 1 })(Conv2D(3, 3)(x)), shape: [6, 6, 2] };
    },
    'on [4, 3], axis 1': () => {
      const x = Input([4, 3]);
      return { x, y: BatchNormalization({ axis: 1 })(x), shape: [4, 3] };
    },
    'on [3, 4], without gamma and beta': () => {
      const x = Input([3, 4]);
      return { x, y: BatchNormalization({ center: false, scale: false })(Dense(4)(x)), shape: [3, 4] };
    },
    'on [2, 2, 2, 3] (rank 5 with the batch)': () => {
      const x = Input([2, 2, 2, 3]);
      return { x, y: BatchNormalization()(x), shape: [2, 2, 2, 3] };
    },
  };
  for (const [name, build] of Object.entries(models))
    it(name, async () => {
      clearSession();
      const { x, y, shape } = build();
      const model = Model({ inputs: x, outputs: Dense(1)(Flatten()(y)) }).compile({
        optimizer: { name: 'adam', learningRate: 0.01 },
        loss: 'meanSquaredError',
      });
      const data = tf.randomNormal([32, ...shape], 1, 2, 'float32', 4);
      const target = tf.ones([32, 1]);
      // 5 epochs: over 2 shuffled ones, with unseeded initial weights, the loss rose once in a full run
      // (0.40 -> 0.47, the Conv2D axis-1 case).
      const history = await model.fit(data, target, { epochs: 5, batchSize: 8, verbose: 0 });
      const losses = history.history.loss ?? [];
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0);
      const [prediction] = await model.predict(data);
      expect(prediction?.dataSync().every(Number.isFinite)).toBe(true);
      tf.dispose([data, target, prediction]);
    });
});
