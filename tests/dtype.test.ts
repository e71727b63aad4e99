// Declared dtypes are run-time dtypes: every layer given int32 tensors computes what it declares (the types'
// dtype, checked by type-tests/shapes.test-d.ts, is the tensor's .dtype here), and the layers that compute in
// floating point (convolutions, pools, activations, Dropout, BatchNormalization) take int32 as Keras does,
// in predict and in fit, rather than failing inside tfjs.
import * as tf from '@tensorflow/tfjs';
import { expectType } from 'tsd';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Activation,
  Add,
  Average,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv1D,
  Conv2D,
  clearSession,
  Dense,
  Dropout,
  type DType,
  Flatten,
  Input,
  MaxPooling1D,
  MaxPooling2D,
  Model,
  Multiply,
  type Shape,
  type SymbolicTensor,
  useBackend,
} from '../src/index.ts';

beforeAll(async () => {
  expect(await useBackend('wasm')).toBe('wasm');
});

const ints = (shape: readonly number[]) => tf.randomUniform([4, ...shape], 0, 5, 'int32', 7);
const floats = (shape: readonly number[]) => tf.randomNormal([4, ...shape], 0, 1, 'float32', 8);

const vector = () => Input([4], { dtype: 'int32' });
const steps = () => Input([6, 2], { dtype: 'int32' });
const image = () => Input([6, 6, 2], { dtype: 'int32' });

/** One model per flow: its int32 input (and a float32 one for the mixed merges), the output under test, and
 * the dtype Keras gives it. */
const flows: readonly (readonly [string, () => Flow, DType])[] = [
  ['Average of int32', () => one(vector(), (x) => Average()([x, x])), 'float32'],
  ['Add of int32', () => one(vector(), (x) => Add()([x, x])), 'int32'],
  ['Multiply of int32', () => one(vector(), (x) => Multiply()([x, x])), 'int32'],
  ['Add of int32 and float32', () => mixed((x, other) => Add()([x, other])), 'float32'],
  ['Multiply of int32 and float32', () => mixed((x, other) => Multiply()([x, other])), 'float32'],
  ['Dropout of int32', () => one(vector(), (x) => Dropout(0.5)(x)), 'float32'],
  ['BatchNormalization of int32', () => one(vector(), (x) => BatchNormalization()(x)), 'float32'],
  ["Activation('tanh') of int32", () => one(vector(), (x) => Activation('tanh')(x)), 'float32'],
  ["Activation('relu') of int32", () => one(vector(), (x) => Activation('relu')(x)), 'float32'],
  ["Activation('linear') of int32", () => one(vector(), (x) => Activation('linear')(x)), 'float32'],
  [
    "Dense({ activation: 'tanh' }) of int32",
    () => one(vector(), (x) => Dense(3, { activation: 'tanh' })(x)),
    'float32',
  ],
  ['Conv1D of int32', () => one(steps(), (x) => Conv1D(2, 3)(x)), 'float32'],
  ['Conv2D of int32', () => one(image(), (x) => Conv2D(2, 3, { activation: 'tanh' })(x)), 'float32'],
  ['MaxPooling1D of int32', () => one(steps(), (x) => MaxPooling1D(2)(x)), 'float32'],
  ['MaxPooling2D of int32', () => one(image(), (x) => MaxPooling2D(2)(x)), 'float32'],
  ['AveragePooling2D of int32', () => one(image(), (x) => AveragePooling2D(2)(x)), 'float32'],
  ['Flatten of int32', () => one(image(), (x) => Flatten()(x)), 'int32'],
  ['Concatenate of int32', () => one(vector(), (x) => Concatenate()([x, x])), 'int32'],
  ['Concatenate of int32 and float32', () => mixed((x, other) => Concatenate()([x, other])), 'float32'],
];

interface Flow {
  readonly output: Unnamed;
  readonly data: readonly tf.Tensor[];
  readonly predict: () => Promise<tf.Tensor[]>;
}

type Unnamed = SymbolicTensor<Shape, DType, never>;

function one(x: Unnamed, layer: (x: Unnamed) => Unnamed) {
  const output = layer(x);
  const data = ints(x.shape.map((dim) => dim ?? 1));
  return { output, data: [data], predict: () => Model({ inputs: x, outputs: output }).predict(data) };
}

function mixed(layer: (x: Unnamed, other: Unnamed) => Unnamed) {
  const x = vector();
  const other = Input([4]);
  const output = layer(x, other);
  const data = [ints([4]), floats([4])] as const;
  return { output, data, predict: () => Model({ inputs: [x, other], outputs: output }).predict(data) };
}

describe('predict returns the dtype each layer declares', () => {
  for (const [name, build, expected] of flows)
    it(name, async () => {
      clearSession();
      const { output: declared, data, predict } = build();
      const [result] = await predict();
      expect(result?.dtype).toBe(declared.dtype);
      expect(declared.dtype).toBe(expected);
      expect(result?.dataSync().every(Number.isFinite)).toBe(true);
      tf.dispose([result, ...data]);
    });

  it('Concatenate of int32 and float32 keeps the floats (tf.concat truncated them to int32)', async () => {
    clearSession();
    const ids = Input([1], { dtype: 'int32' });
    const values = Input([2]);
    const joined = Concatenate()([ids, values]);
    expectType<SymbolicTensor<[3], 'float32', never>>(joined);
    const [result] = await Model({ inputs: [ids, values], outputs: joined }).predict([
      tf.tensor2d([[3]], [1, 1], 'int32'),
      tf.tensor2d([[0.5, 1.5]]),
    ]);
    expect(Array.from(result?.dataSync() ?? [])).toEqual([3, 0.5, 1.5]);
  });
});

describe('int32 inputs train through the floating-point layers', () => {
  const cases = {
    Dropout: () => {
      const x = Input([4], { dtype: 'int32' });
      return { x, y: Dense(1)(Dropout(0.5)(x)), shape: [4] };
    },
    BatchNormalization: () => {
      const x = Input([4], { dtype: 'int32' });
      return { x, y: Dense(1)(BatchNormalization()(x)), shape: [4] };
    },
    "Activation('tanh')": () => {
      const x = Input([4], { dtype: 'int32' });
      return { x, y: Dense(1)(Activation('tanh')(x)), shape: [4] };
    },
    'Conv1D and MaxPooling1D': () => {
      const x = Input([6, 2], { dtype: 'int32' });
      return { x, y: Dense(1)(Flatten()(MaxPooling1D(2)(Conv1D(2, 3, { activation: 'tanh' })(x)))), shape: [6, 2] };
    },
    'Conv2D and AveragePooling2D': () => {
      const x = Input([6, 6, 2], { dtype: 'int32' });
      return { x, y: Dense(1)(Flatten()(AveragePooling2D(2)(Conv2D(2, 3)(x)))), shape: [6, 6, 2] };
    },
    MaxPooling2D: () => {
      const x = Input([6, 6, 2], { dtype: 'int32' });
      return { x, y: Dense(1)(Flatten()(MaxPooling2D(2)(x))), shape: [6, 6, 2] };
    },
  };
  for (const [name, build] of Object.entries(cases))
    it(name, async () => {
      const { x, y, shape } = build();
      const model = Model({ inputs: x, outputs: y }).compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const data = ints(shape);
      const target = tf.zeros([4, 1]);
      const history = await model.fit(data, target, { epochs: 1, verbose: 0 });
      expect(Number.isFinite(history.history.loss?.[0])).toBe(true);
      tf.dispose([data, target]);
    });
});
