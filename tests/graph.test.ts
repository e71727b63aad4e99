// The graph at run time: shared layers, Model's checks of what the compiler cannot see, the unused-layer
// warning, names, and the summary table.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Add,
  Concatenate,
  Conv1D,
  Conv2D,
  clearSession,
  Dense,
  Flatten,
  Input,
  KeratsError,
  LSTM,
  Model,
  TimeDistributed,
  useBackend,
} from '../src/index.ts';

beforeEach(() => clearSession());

/** Runs `action` and returns the KeratsError it throws. */
function thrown(action: () => unknown): KeratsError {
  try {
    action();
  } catch (error) {
    if (error instanceof KeratsError) return error;
    throw error;
  }
  throw new Error('expected a KeratsError, but nothing was thrown');
}

describe('shared layers', () => {
  it('a layer called twice shares its weights: counted once, shown as "multiple"', () => {
    const shared = Dense(32);
    const a = Input([16]);
    const b = Input([16]);
    const merged = Concatenate()([shared(a), shared(b)]);
    const model = Model({ inputs: [a, b], outputs: merged, onWarning: () => {} });
    expect(shared.core.nodes).toHaveLength(2);
    expect(model.countParams()).toBe(16 * 32 + 32);
    expect(model.summaryLines().find((line) => line.startsWith(' dense (Dense)'))).toMatch(
      /^ dense \(Dense\) +multiple +544 /,
    );
  });

  it('a second call on an input its weights do not fit fails, with both shapes', () => {
    const shared = Dense(32);
    shared(Input([16]));
    const error = thrown(() => shared(Input([8])));
    expect(error.data).toEqual({ code: 'layer-reuse', layer: 'Dense', name: 'dense', first: [16], received: [8] });
    expect(error.message).toBe(
      "Dense 'dense': called on [8], but its weights were built by its first call, on [16]; a shared layer needs inputs its weights fit",
    );
  });

  it('a second call on another shape whose weights fit is fine (Dense acts on the last axis)', () => {
    const shared = Dense(4);
    expect(shared(Input([16])).shape).toEqual([4]);
    expect(shared(Input([10, 16])).shape).toEqual([10, 4]);
  });
});

describe('a layer wrapped in TimeDistributed is the layer', () => {
  // Keras's TimeDistributed holds the layer itself (keras/src/layers/rnn/time_distributed.py): a Dense used on
  // its own in one model and per step in another has one kernel.
  beforeAll(async () => {
    await useBackend('cpu');
  });
  for (const order of ['wrapped model first', 'direct model first'] as const)
    it(`shares its weights with the layer's direct calls (${order})`, async () => {
      clearSession();
      const dense = Dense(2);
      const features = Input([3]);
      const direct = Model({ inputs: features, outputs: dense(features) });
      const steps = Input([4, 3]);
      const perStep = Model({ inputs: steps, outputs: TimeDistributed(dense)(steps) });
      const first = order === 'wrapped model first' ? perStep : direct;
      const second = order === 'wrapped model first' ? direct : perStep;
      first.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'meanSquaredError' });
      second.compile({ optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'meanSquaredError' });
      const row = tf.tensor2d([[1, 2, 3]]);
      const kernel = () => [...(direct.getLayer(dense.name).getWeights()[0]?.dataSync() ?? [])];
      const before = kernel();
      // Training the per-step model moves the kernel the direct model reads.
      await perStep.fit(tf.ones([8, 4, 3]), tf.zeros([8, 4, 2]), { epochs: 1, verbose: 0 });
      expect(kernel()).not.toEqual(before);
      const [ownCall] = await direct.predict(row);
      const [stepCall] = await perStep.predict(tf.reshape(tf.tile(row, [4, 1]), [1, 4, 3]));
      const stepRow = stepCall === undefined ? [] : [...tf.slice(stepCall, [0, 0, 0], [1, 1, 2]).dataSync()];
      expect(stepRow.map((value) => Math.round(value * 1e5))).toEqual(
        [...(ownCall?.dataSync() ?? [])].map((value) => Math.round(value * 1e5)),
      );
    });
});

describe('Model checks what the types cannot see', () => {
  it('an unnamed input the outputs need but the model does not list', () => {
    const a = Input([4]);
    const b = Input([4]);
    const error = thrown(() => Model({ inputs: a, outputs: Add()([a, b]) }));
    expect(error.message).toBe(
      "Model: the outputs depend on input 'input_2', which is not in inputs ['input_1']; add it to inputs",
    );
  });

  it('an input that is not made by Input', () => {
    const x = Input([4]);
    const hidden = Dense(3)(x);
    const error = thrown(() => Model({ inputs: hidden, outputs: Dense(1)(hidden) }));
    expect(error.message).toBe(
      'Model: inputs must be a tensor made by Input, got SymbolicTensor(dense/0, shape=[3], dtype=float32) (built by Dense)',
    );
  });

  it('an input listed twice, and two layers with one name', () => {
    const x = Input([4]);
    expect(thrown(() => Model({ inputs: [x, x], outputs: Dense(1)(x) })).message).toBe(
      "Model: the input 'input_1' appears more than once; inputs must be unique",
    );
    const y = Dense(2, { name: 'head' })(Dense(3, { name: 'head' })(x));
    expect(thrown(() => Model({ inputs: x, outputs: y })).message).toBe(
      "Model: the layer name 'head' appears more than once; layer names must be unique",
    );
  });

  it('strides and a dilation both above 1, sizes the compiler cannot see (Keras and tfjs refuse them too)', () => {
    const stride: number = 2;
    const dilation: number = 3;
    expect(thrown(() => Conv2D(8, 3, { strides: stride, dilationRate: dilation })).message).toBe(
      'Conv2D: strides 2 and dilationRate 3 cannot both exceed 1; set one of them to 1',
    );
    expect(thrown(() => Conv2D(8, 3, { strides: [1, stride], dilationRate: [dilation, 1] })).message).toBe(
      'Conv2D: strides [1, 2] and dilationRate [3, 1] cannot both exceed 1; set one of them to 1',
    );
    expect(thrown(() => Conv1D(8, 3, { strides: stride, dilationRate: dilation })).message).toBe(
      'Conv1D: strides 2 and dilationRate 3 cannot both exceed 1; set one of them to 1',
    );
    // Either one alone is fine.
    expect(Conv2D(8, 3, { strides: stride }).className).toBe('Conv2D');
    expect(Conv1D(8, 3, { dilationRate: dilation }).className).toBe('Conv1D');
  });

  it('two Inputs with one name are one input twice, as the compiler sees them', () => {
    const first = Input([4], { name: 'x' });
    const second = Input([4], { name: 'x' });
    // @ts-expect-error the compiler gives the same sentence
    expect(thrown(() => Model({ inputs: [first, second], outputs: Add()([first, second]) })).message).toBe(
      "Model: the input 'x' appears more than once; inputs must be unique",
    );
  });

  it('what a JavaScript caller can pass that TypeScript would not allow', () => {
    expect(thrown(() => Reflect.apply(Dense, undefined, ['3'])).message).toBe(
      "Dense: units must be a positive integer, got '3'",
    );
    expect(thrown(() => Reflect.apply(Dense(3), undefined, [[1, 2, 3]])).message).toBe(
      'Dense: its input must be a symbolic tensor (from Input or a layer call), got [1, 2, 3]',
    );
    expect(thrown(() => Reflect.apply(Input, undefined, [[64, -1]])).message).toBe(
      'Input: shape[1] must be a positive integer or null, got -1',
    );
    expect(thrown(() => Reflect.apply(Input, undefined, [[4], { dtype: 'float64' }])).message).toBe(
      "Input: dtype must be one of 'float32', 'int32', got 'float64'",
    );
    expect(thrown(() => Reflect.apply(Model, undefined, [{ inputs: Input([2]), outputs: [] }])).message).toBe(
      'Model: outputs must be a symbolic tensor (from Input or a layer call), got an empty list',
    );
  });
});

describe('unused layers', () => {
  it('a layer that reads the inputs but reaches no output is left out, with a warning', () => {
    const warnings: string[] = [];
    const x = Input([8]);
    const used = Dense(4)(x);
    Dense(100)(used); // computed, never used, like hidden1 in the shared-input seed
    const model = Model({ inputs: x, outputs: Dense(1)(used), onWarning: (warning) => warnings.push(warning) });
    expect(warnings).toEqual([
      "Model 'model': layer 'dense_1' (Dense) reads the model's inputs but reaches none of its outputs; it is left out of the model",
    ]);
    expect(model.layers.map((layer) => layer.name)).toEqual(['input_1', 'dense', 'dense_2']);
    expect(model.countParams()).toBe(8 * 4 + 4 + 4 + 1);
  });

  it('the shared-input seed warns about hidden1 and counts what Keras counts', async () => {
    const { model } = await import('../examples/shared-input.ts');
    expect(model.warnings).toHaveLength(1);
    expect(model.warnings[0]).toMatch(
      /layer 'dense(_\d+)?' \(Dense\) reads the model's inputs but reaches none of its outputs/,
    );
    expect(model.countParams()).toBe(453_642);
  });
});

describe('summary', () => {
  it('prints a chain as Keras does, without "Connected to"', () => {
    const x = Input([32]);
    const hidden = Dense(10, { activation: 'relu' })(x);
    const model = Model({ inputs: x, outputs: Dense(1, { activation: 'sigmoid' })(hidden) });
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    expect(lines).toEqual([
      'Model: "model"',
      '_________________________________________________________________',
      ' Layer (type)                Output Shape              Param #',
      '=================================================================',
      ' input_1 (InputLayer)        [(None, 32)]              0',
      '',
      ' dense (Dense)               (None, 10)                330',
      '',
      ' dense_1 (Dense)             (None, 1)                 11',
      '=================================================================',
      'Total params: 341',
      'Trainable params: 341',
      'Non-trainable params: 0',
      '_________________________________________________________________',
    ]);
  });

  it('prints a graph with "Connected to", wrapping long cells as Keras does', () => {
    const x = Input([100, 1]);
    const extract = LSTM(10, { returnSequences: true })(x);
    const classes = Dense(1)(LSTM(10)(extract));
    const tags = TimeDistributed(Dense(1))(extract);
    const model = Model({ inputs: x, outputs: [classes, tags], name: 'tagger' });
    expect(model.summaryLines()).toEqual([
      'Model: "tagger"',
      '__________________________________________________________________________________________________',
      ' Layer (type)                   Output Shape         Param #     Connected to',
      '==================================================================================================',
      ' input_1 (InputLayer)           [(None, 100, 1)]     0           []',
      '',
      " lstm (LSTM)                    (None, 100, 10)      480         ['input_1[0][0]']",
      '',
      " lstm_1 (LSTM)                  (None, 10)           840         ['lstm[0][0]']",
      '',
      " dense (Dense)                  (None, 1)            11          ['lstm_1[0][0]']",
      '',
      " time_distributed (TimeDistribu  (None, 100, 1)      11          ['lstm[0][0]']",
      ' ted)',
      '==================================================================================================',
      'Total params: 1,342',
      'Trainable params: 1,342',
      'Non-trainable params: 0',
      '__________________________________________________________________________________________________',
    ]);
  });

  it('counts non-trainable parameters apart', async () => {
    const { BatchNormalization } = await import('../src/index.ts');
    const x = Input([6, 6, 8]);
    const model = Model({ inputs: x, outputs: Flatten()(BatchNormalization()(x)) });
    const lines = model.summaryLines();
    expect(lines).toContain('Total params: 32');
    expect(lines).toContain('Trainable params: 16');
    expect(lines).toContain('Non-trainable params: 16');
  });
});
