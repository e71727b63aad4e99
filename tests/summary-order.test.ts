// summary()'s row order, as Keras's (keras/src/ops/function.py, map_graph): by decreasing depth (the longest path
// from a layer to an output), ties in the order a depth-first walk from the outputs first reaches the layers.
// Checked against three summaries published on keras.io for models with parallel branches, and on the cases
// where that order differs from the order the layers were made in.
import { describe, expect, it } from 'vitest';
import {
  Activation,
  Add,
  type AnyTensor,
  AveragePooling1D,
  BatchNormalization,
  Concatenate,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  clearSession,
  Dense,
  Embedding,
  Flatten,
  Input,
  LSTM,
  MaxPooling1D,
  MaxPooling2D,
  Model,
  SeparableConv2D,
  UpSampling2D,
} from '../src/index.ts';

interface Row {
  readonly name: string;
  readonly params: number;
  readonly connectedTo: readonly string[];
}

/**
 * The rows of a summary with a "Connected to" column, read back from its lines: each row starts with its name at
 * column 1; Param # is columns 53 to 65 of its first line; Connected to is column 65 on, over all its lines.
 */
function rows(lines: readonly string[]): Row[] {
  const table = lines.slice(lines.findIndex((line) => line.startsWith('=')) + 1, lines.lastIndexOf('='.repeat(98)));
  const found: { name: string; params: number; connected: string }[] = [];
  for (const line of table) {
    const start = /^ (\S+) \(/.exec(line);
    if (start?.[1] !== undefined)
      found.push({ name: start[1], params: Number(line.slice(53, 65).trim()), connected: line.slice(65) });
    else {
      const last = found.at(-1);
      if (last !== undefined) last.connected += line.slice(65);
    }
  }
  return found.map(({ name, params, connected }) => ({
    name,
    params,
    connectedTo: [...connected.matchAll(/'([^']+)'/g)].map((match) => match[1] ?? ''),
  }));
}

const names = (model: { summaryLines(): string[] }): string[] => rows(model.summaryLines()).map((row) => row.name);

describe("summary rows in Keras's order", () => {
  it("keras.io's RNN guide encoder-decoder: the decoder's input before the encoder's embedding, its states after its input", () => {
    // keras.io/guides/working_with_rnns ("RNN state reuse"), published summary (keras-io
    // guides/md/working_with_rnns.md). Its layers are numbered from earlier cells of the guide (embedding_2,
    // dense_2): those names are given here so that the rows can be compared whole.
    clearSession();
    const encoderInput = Input([null], { dtype: 'int32' });
    const encoderEmbedded = Embedding(1000, 64, { name: 'embedding_2' })(encoderInput);
    const [, stateH, stateC] = LSTM(64, { returnState: true, name: 'encoder' })(encoderEmbedded);
    const decoderInput = Input([null], { dtype: 'int32' });
    const decoderEmbedded = Embedding(2000, 64, { name: 'embedding_3' })(decoderInput);
    const decoderOutput = LSTM(64, { name: 'decoder' })(decoderEmbedded, { initialState: [stateH, stateC] });
    const output = Dense(10, { name: 'dense_2' })(decoderOutput);
    const model = Model({ inputs: [encoderInput, decoderInput], outputs: output });
    expect(rows(model.summaryLines())).toEqual([
      { name: 'input_1', params: 0, connectedTo: [] },
      { name: 'input_2', params: 0, connectedTo: [] },
      { name: 'embedding_2', params: 64000, connectedTo: ['input_1[0][0]'] },
      { name: 'embedding_3', params: 128000, connectedTo: ['input_2[0][0]'] },
      { name: 'encoder', params: 33024, connectedTo: ['embedding_2[0][0]'] },
      { name: 'decoder', params: 33024, connectedTo: ['embedding_3[0][0]', 'encoder[0][1]', 'encoder[0][2]'] },
      { name: 'dense_2', params: 650, connectedTo: ['decoder[0][0]'] },
    ]);
    // The order the layers were made in would put embedding_2 (made second) before input_2 (made fourth).
    expect(model.layers.map((layer) => layer.name)).toEqual(names(model));
  });

  it("keras.io's speaker recognition Conv1D ResNet: each block's last convolution before its shortcut", () => {
    // keras.io/examples/audio/speaker_recognition_using_cnn, published summary (keras-io
    // examples/audio/md/speaker_recognition_using_cnn.md), line for line: the shortcut `s` is made first but is the
    // Add's second input, so Keras lists it after the main path's last convolution at the same depth.
    clearSession();
    const residualBlock = (input: AnyTensor, filters: number, convNum = 3): AnyTensor => {
      const s = Conv1D(filters, 1, { padding: 'same' })(input);
      let x = input;
      for (let i = 0; i < convNum - 1; i++) {
        x = Conv1D(filters, 3, { padding: 'same' })(x);
        x = Activation('relu')(x);
      }
      x = Conv1D(filters, 3, { padding: 'same' })(x);
      x = Add()([x, s]);
      x = Activation('relu')(x);
      return MaxPooling1D(2, { strides: 2 })(x);
    };
    const inputs = Input([8000, 1], { name: 'input' });
    let x = residualBlock(inputs, 16, 2);
    x = residualBlock(x, 32, 2);
    x = residualBlock(x, 64, 3);
    x = residualBlock(x, 128, 3);
    x = residualBlock(x, 128, 3);
    x = AveragePooling1D(3, { strides: 3 })(x);
    x = Flatten()(x);
    x = Dense(256, { activation: 'relu' })(x);
    x = Dense(128, { activation: 'relu' })(x);
    const outputs = Dense(5, { activation: 'softmax', name: 'output' })(x);
    const model = Model({ inputs, outputs });
    const published = `input 0 | conv1d_1 64 input | activation 0 conv1d_1 | conv1d_2 784 activation | conv1d 32 input |
      add 0 conv1d_2 conv1d | activation_1 0 add | max_pooling1d 0 activation_1 |
      conv1d_4 1568 max_pooling1d | activation_2 0 conv1d_4 | conv1d_5 3104 activation_2 | conv1d_3 544 max_pooling1d |
      add_1 0 conv1d_5 conv1d_3 | activation_3 0 add_1 | max_pooling1d_1 0 activation_3 |
      conv1d_7 6208 max_pooling1d_1 | activation_4 0 conv1d_7 | conv1d_8 12352 activation_4 | activation_5 0 conv1d_8 |
      conv1d_9 12352 activation_5 | conv1d_6 2112 max_pooling1d_1 | add_2 0 conv1d_9 conv1d_6 | activation_6 0 add_2 |
      max_pooling1d_2 0 activation_6 | conv1d_11 24704 max_pooling1d_2 | activation_7 0 conv1d_11 |
      conv1d_12 49280 activation_7 | activation_8 0 conv1d_12 | conv1d_13 49280 activation_8 |
      conv1d_10 8320 max_pooling1d_2 | add_3 0 conv1d_13 conv1d_10 | activation_9 0 add_3 |
      max_pooling1d_3 0 activation_9 | conv1d_15 49280 max_pooling1d_3 | activation_10 0 conv1d_15 |
      conv1d_16 49280 activation_10 | activation_11 0 conv1d_16 | conv1d_17 49280 activation_11 |
      conv1d_14 16512 max_pooling1d_3 | add_4 0 conv1d_17 conv1d_14 | activation_12 0 add_4 |
      max_pooling1d_4 0 activation_12 | average_pooling1d 0 max_pooling1d_4 | flatten 0 average_pooling1d |
      dense 2720000 flatten | dense_1 32896 dense | output 645 dense_1`;
    expect(rows(model.summaryLines())).toEqual(
      published.split('|').map((row): Row => {
        const [name = '', params = '', ...connected] = row.trim().split(/\s+/);
        return { name, params: Number(params), connectedTo: connected.map((from) => `${from}[0][0]`) };
      }),
    );
    expect(model.summaryLines()).toContain('Total params: 3,088,597');
  });

  it("keras.io's U-Net-like segmentation model (oxford_pets_image_segmentation): both branches of every block", () => {
    // keras.io/examples/vision/oxford_pets_image_segmentation, published summary (keras-io
    // examples/vision/md/oxford_pets_image_segmentation.md) of get_model((160, 160), 3), line for line.
    clearSession();
    const inputs = Input([160, 160, 3]);
    let x: AnyTensor = Conv2D(32, 3, { strides: 2, padding: 'same' })(inputs);
    x = BatchNormalization()(x);
    x = Activation('relu')(x);
    let previousBlockActivation = x;
    for (const filters of [64, 128, 256]) {
      x = Activation('relu')(x);
      x = SeparableConv2D(filters, 3, { padding: 'same' })(x);
      x = BatchNormalization()(x);
      x = Activation('relu')(x);
      x = SeparableConv2D(filters, 3, { padding: 'same' })(x);
      x = BatchNormalization()(x);
      x = MaxPooling2D(3, { strides: 2, padding: 'same' })(x);
      const residual = Conv2D(filters, 1, { strides: 2, padding: 'same' })(previousBlockActivation);
      x = Add()([x, residual]);
      previousBlockActivation = x;
    }
    for (const filters of [256, 128, 64, 32]) {
      x = Activation('relu')(x);
      x = Conv2DTranspose(filters, 3, { padding: 'same' })(x);
      x = BatchNormalization()(x);
      x = Activation('relu')(x);
      x = Conv2DTranspose(filters, 3, { padding: 'same' })(x);
      x = BatchNormalization()(x);
      x = UpSampling2D(2)(x);
      let residual = UpSampling2D(2)(previousBlockActivation);
      residual = Conv2D(filters, 1, { padding: 'same' })(residual);
      x = Add()([x, residual]);
      previousBlockActivation = x;
    }
    const outputs = Conv2D(3, 3, { activation: 'softmax', padding: 'same' })(x);
    const model = Model({ inputs, outputs });
    const published = `input_1 0, conv2d 896, batch_normalization 128, activation 0, activation_1 0,
      separable_conv2d 2400, batch_normalization_1 256, activation_2 0, separable_conv2d_1 4736,
      batch_normalization_2 256, max_pooling2d 0, conv2d_1 2112, add 0, activation_3 0, separable_conv2d_2 8896,
      batch_normalization_3 512, activation_4 0, separable_conv2d_3 17664, batch_normalization_4 512,
      max_pooling2d_1 0, conv2d_2 8320, add_1 0, activation_5 0, separable_conv2d_4 34176,
      batch_normalization_5 1024, activation_6 0, separable_conv2d_5 68096, batch_normalization_6 1024,
      max_pooling2d_2 0, conv2d_3 33024, add_2 0, activation_7 0, conv2d_transpose 590080,
      batch_normalization_7 1024, activation_8 0, conv2d_transpose_1 590080, batch_normalization_8 1024,
      up_sampling2d_1 0, up_sampling2d 0, conv2d_4 65792, add_3 0, activation_9 0, conv2d_transpose_2 295040,
      batch_normalization_9 512, activation_10 0, conv2d_transpose_3 147584, batch_normalization_10 512,
      up_sampling2d_3 0, up_sampling2d_2 0, conv2d_5 32896, add_4 0, activation_11 0, conv2d_transpose_4 73792,
      batch_normalization_11 256, activation_12 0, conv2d_transpose_5 36928, batch_normalization_12 256,
      up_sampling2d_5 0, up_sampling2d_4 0, conv2d_6 8256, add_5 0, activation_13 0, conv2d_transpose_6 18464,
      batch_normalization_13 128, activation_14 0, conv2d_transpose_7 9248, batch_normalization_14 128,
      up_sampling2d_7 0, up_sampling2d_6 0, conv2d_7 2080, add_6 0, conv2d_8 867`;
    expect(rows(model.summaryLines()).map((row) => `${row.name} ${row.params}`)).toEqual(
      published.split(',').map((row) => row.trim()),
    );
    const lines = model.summaryLines();
    expect(lines).toContain('Total params: 2,058,979');
    expect(lines).toContain('Trainable params: 2,055,203');
    expect(lines).toContain('Non-trainable params: 3,776');
  });
});

describe('the rule, on graphs where it differs from the order of creation', () => {
  it('ties go by first reach from the outputs: a merge lists its later-made input first', () => {
    clearSession();
    const x = Input([4]);
    const made1st = Dense(3)(x);
    const made2nd = Dense(5)(x);
    const model = Model({ inputs: x, outputs: Concatenate()([made2nd, made1st]) });
    expect(names(model)).toEqual(['input_1', 'dense_1', 'dense', 'concatenate']);
  });

  it('the outputs in order, each followed back to the inputs before the next', () => {
    clearSession();
    const x = Input([4]);
    const shared = Dense(8)(x);
    const first = Dense(1, { name: 'first' })(Dense(2, { name: 'a' })(shared));
    const second = Dense(1, { name: 'second' })(Dense(2, { name: 'b' })(shared));
    expect(names(Model({ inputs: x, outputs: [second, first] }))).toEqual([
      'input_1',
      'dense',
      'b',
      'a',
      'second',
      'first',
    ]);
  });

  it("a layer called twice is as deep as its deepest call, and so are its other calls (Keras's operations_depths)", () => {
    clearSession();
    const x = Input([4]);
    const shared = Dense(4, { name: 'shared' });
    const head1 = Dense(1, { name: 'head1' })(shared(Dense(4, { name: 'a' })(x)));
    const deep = shared(Dense(4, { name: 'b' })(x));
    const head2 = Dense(1, { name: 'head2' })(Dense(2, { name: 'c' })(Dense(3, { name: 'd' })(deep)));
    // shared's second call is at depth 3, so its first call is too, and 'a' (read by the first) is at 4 with 'b'.
    expect(names(Model({ inputs: x, outputs: [head1, head2] }))).toEqual([
      'input_1',
      'a',
      'b',
      'shared',
      'd',
      'c',
      'head1',
      'head2',
    ]);
  });

  it('an input no output reads has depth 0 and comes first at that depth (Keras gives it index -1)', () => {
    clearSession();
    const used = Input([4], { name: 'used' });
    const unused = Input([2], { name: 'unused' });
    const hidden = Dense(3, { name: 'hidden' })(used);
    const model = Model({ inputs: [used, unused], outputs: Dense(1, { name: 'out' })(hidden) });
    expect(names(model)).toEqual(['used', 'hidden', 'unused', 'out']);
  });
});

describe("the summary's columns, as Keras's sequential_like", () => {
  it('a chain has no "Connected to"; a layer called twice in it, or two calls at one depth, bring it back', () => {
    clearSession();
    const x = Input([4]);
    const chain = Model({ inputs: x, outputs: Dense(1)(Dense(4)(x)) });
    expect(chain.summaryLines()[2]).toBe(' Layer (type)                Output Shape              Param #');
    const twice = Dense(4);
    const shared = Model({ inputs: x, outputs: twice(twice(x)) });
    expect(shared.summaryLines()[2]).toContain('Connected to');
    const unused = Input([2]);
    const two = Model({ inputs: [x, unused], outputs: Dense(1)(x) });
    expect(two.summaryLines()[2]).toContain('Connected to');
  });
});
