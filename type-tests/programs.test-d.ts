// The valid-program corpus: model code written the way Keras users write it (loops that reassign `x`, helpers
// that build a block, sizes from a config or computed as `7 * 7 * 64`, shared and exported layers, repeated
// blocks). Every program compiles with zero errors (tests/programs.test.ts imports it, so tsc over tests/ checks
// it with TypeScript 7 and 5.9), tsd checks that its expectType pins are exact, and tests/programs.test.ts builds
// each at run time and compares the output shapes with `expected` (what Keras gives, batch axis left out).
import { expectType } from 'tsd';
import {
  Activation,
  Add,
  type AnyTensor,
  Average,
  AveragePooling2D,
  BatchNormalization,
  Bidirectional,
  Concatenate,
  Conv1D,
  Conv2D,
  ConvLSTM2D,
  Dense,
  type Dim,
  Dropout,
  type DType,
  Embedding,
  Flatten,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GRU,
  Input,
  type KerasModel,
  LSTM,
  MaxPooling1D,
  MaxPooling2D,
  Model,
  Multiply,
  Reshape,
  Sequential,
  SimpleRNN,
  type SymbolicTensor,
  TimeDistributed,
} from '../src/index.ts';

export interface Program {
  readonly name: string;
  /** The output shapes Keras gives, without the batch axis. */
  readonly expected: readonly (readonly Dim[])[];
  readonly build: () => KerasModel;
}

export const programs: Program[] = [];

function program(name: string, expected: readonly (readonly Dim[])[], build: () => KerasModel): void {
  programs.push({ name, expected, build });
}

/** A layer shared by several programs, exported as a user's module would. */
export const sharedEncoder = Dense(16, { activation: 'relu', name: 'shared_encoder' });

// --- Sizes the compiler cannot see ---------------------------------------------------------------------------
program('DCGAN generator: Dense(7 * 7 * 64) then Reshape([7, 7, 64])', [[7, 7, 32]], () => {
  const noise = Input([100]);
  const projected = Dense(7 * 7 * 64)(noise);
  expectType<SymbolicTensor<[number], 'float32', never>>(projected);
  const grid = Reshape([7, 7, 64])(projected);
  expectType<SymbolicTensor<[7, 7, 64], 'float32', never>>(grid);
  return Model({ inputs: noise, outputs: Conv2D(32, 3, { padding: 'same' })(grid) });
});

program('a config object (widened to number) sets every size', [[10]], () => {
  const config = { inputDim: 784, hidden: 128, classes: 10, dropout: 0.2 };
  const x = Input([config.inputDim]);
  const h = Dropout(config.dropout)(Dense(config.hidden, { activation: 'relu' })(x));
  expectType<SymbolicTensor<[number], 'float32', never>>(h);
  return Model({ inputs: x, outputs: Dense(config.classes, { activation: 'softmax' })(h) });
});

program('a VAE decoder: Reshape with -1 and a computed size', [[14, 14, 1]], () => {
  const latent = Input([2]);
  const side = 14;
  const d = Dense(side * side * 4)(latent);
  const grid = Reshape([side, side, -1])(d);
  expectType<SymbolicTensor<[14, 14, number], 'float32', never>>(grid);
  return Model({ inputs: latent, outputs: Conv2D(1, 3, { padding: 'same', activation: 'sigmoid' })(grid) });
});

program('kernel, strides and pool sizes from variables', [[3, 3, 24]], () => {
  const settings: { kernel: number; stride: number; pool: number } = { kernel: 3, stride: 2, pool: 2 };
  const image = Input([28, 28, 1]);
  const c = Conv2D(24, settings.kernel, { strides: settings.stride })(image);
  expectType<SymbolicTensor<[number, number, 24], 'float32', never>>(c);
  return Model({ inputs: image, outputs: MaxPooling2D(settings.pool)(MaxPooling2D(settings.pool)(c)) });
});

program('an input size read from the environment', [[1]], () => {
  const features = Number(process.env.KERATS_FEATURES ?? 12);
  const x = Input([features]);
  expectType<SymbolicTensor<[number], 'float32', never>>(x);
  return Model({ inputs: x, outputs: Dense(1)(Dense(features * 2)(x)) });
});

program('Flatten then Dense over a size the compiler cannot see', [[4]], () => {
  const rows: number = 6;
  const x = Input([rows, 5]);
  const flat = Flatten()(x);
  expectType<SymbolicTensor<[number], 'float32', never>>(flat);
  return Model({ inputs: x, outputs: Dense(4)(flat) });
});

program('Embedding and LSTM sized from a config', [[1]], () => {
  const config = { vocab: 20_000, dim: 32, maxlen: 50 };
  const tokens = Input([config.maxlen], { dtype: 'int32' });
  const embedded = Embedding(config.vocab, config.dim)(tokens);
  expectType<SymbolicTensor<[number, number], 'float32', never>>(embedded);
  return Model({ inputs: tokens, outputs: Dense(1, { activation: 'sigmoid' })(LSTM(config.dim)(embedded)) });
});

// --- Loops that reassign x -----------------------------------------------------------------------------------
program('a VGG-style stack: for (const filters of [32, 64, 128]) x = block(x)', [[10]], () => {
  const inputs = Input([32, 32, 3]);
  let x: AnyTensor = inputs;
  for (const filters of [32, 64, 128]) {
    x = Conv2D(filters, 3, { padding: 'same', activation: 'relu' })(x);
    x = MaxPooling2D(2)(x);
  }
  x = Flatten()(x);
  return Model({ inputs, outputs: Dense(10, { activation: 'softmax' })(x) });
});

program('an MLP from a list of widths', [[1]], () => {
  const inputs = Input([20]);
  let x: AnyTensor = inputs;
  for (const units of [64, 32, 16]) x = Dense(units, { activation: 'relu' })(x);
  return Model({ inputs, outputs: Dense(1)(x) });
});

program('a counted loop of Dense + Dropout', [[3]], () => {
  const depth = 4;
  const inputs = Input([8]);
  let x: AnyTensor = inputs;
  for (let i = 0; i < depth; i++) {
    x = Dense(32, { activation: 'relu' })(x);
    x = Dropout(0.1)(x);
  }
  return Model({ inputs, outputs: Dense(3)(x) });
});

program('reduce over widths', [[2]], () => {
  const inputs = Input([10]);
  const x = [48, 24, 12].reduce<AnyTensor>((tensor, units) => Dense(units)(tensor), inputs);
  return Model({ inputs, outputs: Dense(2)(x) });
});

program('a list of layers applied in order', [[1]], () => {
  const inputs = Input([16]);
  const steps: ((tensor: AnyTensor) => AnyTensor)[] = [Dense(32), Dropout(0.2), Activation('relu'), Dense(1)];
  const x = steps.reduce<AnyTensor>((tensor, step) => step(tensor), inputs);
  return Model({ inputs, outputs: x });
});

program('stacked recurrent layers in a loop, the last one returning a vector', [[5]], () => {
  const inputs = Input([30, 8]);
  let x: AnyTensor = inputs;
  const units = [32, 32, 16];
  for (const [index, size] of units.entries())
    x = Bidirectional(LSTM(size, { returnSequences: index < units.length - 1 }))(x);
  return Model({ inputs, outputs: Dense(5)(x) });
});

program('a loop that keeps the precise type: the same shape each step', [[8]], () => {
  const inputs = Input([8]);
  let x = Dense(8)(inputs);
  for (let i = 0; i < 3; i++) x = Dense(8, { activation: 'tanh' })(x);
  expectType<SymbolicTensor<[8], 'float32', never>>(x);
  return Model({ inputs, outputs: x });
});

program('a loop that halves the resolution', [[4, 4, 64]], () => {
  const inputs = Input([32, 32, 8]);
  let x: AnyTensor = inputs;
  let filters = 8;
  while ((x.shape[0] ?? 0) > 4) {
    filters *= 2;
    x = Conv2D(Math.min(filters, 64), 3, { padding: 'same', strides: 2 })(x);
  }
  return Model({ inputs, outputs: x });
});

// --- Helpers that build a block ------------------------------------------------------------------------------
function convBnRelu(x: AnyTensor, filters: number, kernel = 3): AnyTensor {
  const c = Conv2D(filters, kernel, { padding: 'same', useBias: false })(x);
  return Activation('relu')(BatchNormalization()(c));
}

function residual(x: AnyTensor, filters: number): AnyTensor {
  const shortcut = (x.shape[2] ?? 0) === filters ? x : Conv2D(filters, 1)(x);
  const y = BatchNormalization()(Conv2D(filters, 3, { padding: 'same' })(convBnRelu(x, filters)));
  return Activation('relu')(Add()([y, shortcut]));
}

program('a ResNet: residual blocks from a helper, at three widths', [[10]], () => {
  const inputs = Input([32, 32, 3]);
  let x = convBnRelu(inputs, 16);
  for (const filters of [16, 32, 64]) {
    x = residual(x, filters);
    x = residual(x, filters);
    if (filters < 64) x = MaxPooling2D(2)(x);
  }
  return Model({ inputs, outputs: Dense(10, { activation: 'softmax' })(GlobalAveragePooling2D()(x)) });
});

program('a U-Net-style encoder with skips kept in a list', [[4, 4, 64]], () => {
  const inputs = Input([32, 32, 1]);
  const skips: AnyTensor[] = [];
  let x: AnyTensor = inputs;
  for (const filters of [16, 32, 64]) {
    x = convBnRelu(x, filters);
    skips.push(x);
    x = MaxPooling2D(2)(x);
  }
  expectType<AnyTensor[]>(skips);
  return Model({ inputs, outputs: x });
});

function textBranch(tokens: AnyTensor, kernel: number): AnyTensor {
  return Flatten()(MaxPooling1D(2)(Conv1D(16, kernel, { activation: 'relu' })(tokens)));
}

program('a text CNN: one branch per kernel size, from map(), concatenated', [[1]], () => {
  const tokens = Input([40], { dtype: 'int32' });
  const embedded = Embedding(1000, 16)(tokens);
  const branches = [3, 4, 5].map((kernel) => textBranch(embedded, kernel));
  return Model({ inputs: tokens, outputs: Dense(1, { activation: 'sigmoid' })(Concatenate()(branches)) });
});

program('an Inception-style module: parallel branches with padding same', [[8, 8, 56]], () => {
  const inputs = Input([8, 8, 16]);
  const branch1 = Conv2D(16, 1)(inputs);
  const branch3 = Conv2D(24, 3, { padding: 'same' })(Conv2D(8, 1)(inputs));
  const branch5 = Conv2D(8, 5, { padding: 'same' })(inputs);
  const pooled = Conv2D(8, 1)(MaxPooling2D(3, { strides: 1, padding: 'same' })(inputs));
  const joined = Concatenate()([branch1, branch3, branch5, pooled]);
  expectType<SymbolicTensor<[8, 8, 56], 'float32', never>>(joined);
  return Model({ inputs, outputs: joined });
});

function classifierHead(features: AnyTensor, classes: number): AnyTensor {
  return Dense(classes, { activation: 'softmax' })(Dropout(0.5)(Dense(64, { activation: 'relu' })(features)));
}

program('a helper head on a typed backbone', [[7]], () => {
  const inputs = Input([28, 28, 1]);
  const features = Flatten()(MaxPooling2D(2)(Conv2D(8, 3)(inputs)));
  expectType<SymbolicTensor<[1352], 'float32', never>>(features);
  return Model({ inputs, outputs: classifierHead(features, 7) });
});

function buildClassifier(inputDim: number, classes: number): KerasModel {
  const x = Input([inputDim]);
  return Model({ inputs: x, outputs: Dense(classes, { activation: 'softmax' })(Dense(32)(x)) });
}

program('a function that returns a model, called with its sizes', [[3]], () => buildClassifier(12, 3));

program('a helper that returns a layer', [[6]], () => {
  const hidden = (units: number) => Dense(units, { activation: 'relu' });
  const x = Input([4]);
  return Model({ inputs: x, outputs: hidden(6)(hidden(12)(x)) });
});

program('a block written once and applied N times (a Transformer-style feed-forward)', [[20, 16]], () => {
  const block = (x: AnyTensor): AnyTensor => {
    const ff = TimeDistributed(Dense(16))(TimeDistributed(Dense(64, { activation: 'relu' }))(x));
    return BatchNormalization()(Add()([x, Dropout(0.1)(ff)]));
  };
  const inputs = Input([20, 16]);
  let x: AnyTensor = inputs;
  for (let i = 0; i < 2; i++) x = block(x);
  return Model({ inputs, outputs: x });
});

program('a conditional layer: Dropout only when the flag is set', [[8]], () => {
  const training = process.env.KERATS_NO_DROPOUT === undefined;
  const x = Input([8]);
  const h = Dense(8)(x);
  return Model({ inputs: x, outputs: training ? Dropout(0.5)(h) : h });
});

// --- Shared and exported layers ------------------------------------------------------------------------------
program('a shared layer on two inputs (siamese)', [[1]], () => {
  const left = Input([32], { name: 'left' });
  const right = Input([32], { name: 'right' });
  const tower = Dense(16, { activation: 'relu' });
  const joined = Concatenate()([tower(left), tower(right)]);
  expectType<SymbolicTensor<[32], 'float32', 'left' | 'right'>>(joined);
  return Model({ inputs: [left, right], outputs: Dense(1, { activation: 'sigmoid' })(joined) });
});

program('an exported layer, used by a model', [[16]], () => {
  const x = Input([16]);
  return Model({ inputs: x, outputs: sharedEncoder(x) });
});

program('a shared embedding for a question and an answer', [[1]], () => {
  const question = Input([20], { dtype: 'int32', name: 'question' });
  const answer = Input([20], { dtype: 'int32', name: 'answer' });
  const embed = Embedding(5000, 32);
  const encode = LSTM(16);
  const match = Multiply()([encode(embed(question)), encode(embed(answer))]);
  return Model({ inputs: [question, answer], outputs: Dense(1)(match) });
});

program('layers kept in a record by role', [[4]], () => {
  const layers = { encode: Dense(8, { activation: 'relu' }), decode: Dense(4) };
  const x = Input([4]);
  return Model({ inputs: x, outputs: layers.decode(layers.encode(x)) });
});

program('one shared layer called three times, averaged', [[8]], () => {
  const views = [Input([8]), Input([8]), Input([8])] as const;
  const shared = Dense(8);
  const mean = Average()(views.map((view) => shared(view)));
  return Model({ inputs: [...views], outputs: mean });
});

// --- Several inputs and outputs ------------------------------------------------------------------------------
program('inputs named from a config, merged', [[1]], () => {
  const names = ['age', 'income', 'score'];
  const inputs = names.map((name) => Input([1], { name }));
  return Model({ inputs, outputs: Dense(1)(Concatenate()(inputs)) });
});

program('two heads from one trunk, as a list', [[1], [5]], () => {
  const x = Input([10]);
  const trunk = Dense(32, { activation: 'relu' })(x);
  const outputs: AnyTensor[] = [Dense(1, { name: 'value' })(trunk), Dense(5, { name: 'policy' })(trunk)];
  return Model({ inputs: x, outputs });
});

program('heads built in a loop', [[2], [3], [4]], () => {
  const x = Input([6]);
  const trunk = Dense(12)(x);
  const heads = [2, 3, 4].map((classes, index) => Dense(classes, { name: `head_${index}` })(trunk));
  return Model({ inputs: x, outputs: heads });
});

program('the functional API guide: title, body and tags in, priority and department out', [[1], [4]], () => {
  const title = Input([10], { dtype: 'int32', name: 'title' });
  const body = Input([100], { dtype: 'int32', name: 'body' });
  const tags = Input([12], { name: 'tags' });
  const titleFeatures = LSTM(128)(Embedding(10_000, 64)(title));
  const bodyFeatures = LSTM(32)(Embedding(10_000, 64)(body));
  const x = Concatenate()([titleFeatures, bodyFeatures, tags]);
  expectType<SymbolicTensor<[172], 'float32', 'title' | 'body' | 'tags'>>(x);
  return Model({
    inputs: [title, body, tags],
    outputs: [Dense(1, { name: 'priority' })(x), Dense(4, { name: 'department' })(x)],
  });
});

// --- Sequences -----------------------------------------------------------------------------------------------
program('GRU and SimpleRNN sequence models', [[12, 3]], () => {
  const x = Input([12, 4]);
  const h = SimpleRNN(8, { returnSequences: true })(GRU(8, { returnSequences: true })(x));
  expectType<SymbolicTensor<[12, 8], 'float32', never>>(h);
  return Model({ inputs: x, outputs: TimeDistributed(Dense(3))(h) });
});

program('a sequence length unknown (null), as in Keras Input((None, 8))', [[2]], () => {
  const x = Input([null, 8]);
  const h = LSTM(4)(Conv1D(8, 3, { padding: 'same' })(x));
  expectType<SymbolicTensor<[4], 'float32', never>>(h);
  return Model({ inputs: x, outputs: Dense(2)(h) });
});

program('a 1D CNN for time series with pooling', [[1]], () => {
  const x = Input([128, 3]);
  let h: AnyTensor = x;
  for (const filters of [16, 32]) h = MaxPooling1D(2)(Conv1D(filters, 5, { activation: 'relu' })(h));
  return Model({ inputs: x, outputs: Dense(1)(Flatten()(h)) });
});

// --- Images --------------------------------------------------------------------------------------------------
program('the MNIST convnet from keras.io', [[10]], () => {
  const inputs = Input([28, 28, 1]);
  const first = Conv2D(32, [3, 3], { activation: 'relu' })(inputs);
  expectType<SymbolicTensor<[26, 26, 32], 'float32', never>>(first);
  let x: AnyTensor = MaxPooling2D([2, 2])(first);
  x = Conv2D(64, [3, 3], { activation: 'relu' })(x);
  x = MaxPooling2D([2, 2])(x);
  return Model({ inputs, outputs: Dense(10, { activation: 'softmax' })(Dropout(0.5)(Flatten()(x))) });
});

program('average pooling and global pooling', [[5]], () => {
  const inputs = Input([16, 16, 3]);
  const x = AveragePooling2D(2)(Conv2D(8, 3, { padding: 'same' })(inputs));
  expectType<SymbolicTensor<[8, 8, 8], 'float32', never>>(x);
  return Model({ inputs, outputs: Dense(5)(GlobalAveragePooling2D()(x)) });
});

program('an image size that is not square, from constants', [[2]], () => {
  const height = 48;
  const width = 64;
  const inputs = Input([height, width, 3]);
  const x = MaxPooling2D([2, 4])(Conv2D(4, [3, 5])(inputs));
  expectType<SymbolicTensor<[23, 15, 4], 'float32', never>>(x);
  return Model({ inputs, outputs: Dense(2)(Flatten()(x)) });
});

program('a reshape of image rows into a sequence', [[3]], () => {
  const inputs = Input([28, 28, 1]);
  const rows = Reshape([28, 28])(inputs);
  expectType<SymbolicTensor<[28, 28], 'float32', never>>(rows);
  return Model({ inputs, outputs: Dense(3)(LSTM(16)(rows)) });
});

program('multiplying a feature map by a gate from a second input', [[4, 4, 8]], () => {
  const image = Input([4, 4, 8], { name: 'image' });
  const gate = Input([4, 4, 8], { name: 'gate' });
  return Model({ inputs: [image, gate], outputs: Multiply()([image, Activation('sigmoid')(gate)]) });
});

program(
  'a per-channel gate of size 1 on the spatial axes, broadcast by Multiply (squeeze-and-excitation)',
  [[4, 4, 8]],
  () => {
    const image = Input([4, 4, 8]);
    const squeezed = Reshape([1, 1, 8])(Dense(8, { activation: 'sigmoid' })(GlobalAveragePooling2D()(image)));
    const scaled = Multiply()([image, squeezed]);
    expectType<SymbolicTensor<[4, 4, 8], 'float32', never>>(scaled);
    return Model({ inputs: image, outputs: scaled });
  },
);

program('a learned offset of one step added to every step of a sequence', [[6, 3]], () => {
  const steps = Input([6, 3], { name: 'steps' });
  const offset = Input([1, 3], { name: 'offset' });
  const shifted = Add()([steps, offset]);
  expectType<SymbolicTensor<[6, 3], 'float32', 'steps' | 'offset'>>(shifted);
  return Model({ inputs: [steps, offset], outputs: shifted });
});

// --- Models called as layers ---------------------------------------------------------------------------------
program("a helper returns a model; three of them are averaged (the guide's ensemble)", [[1]], () => {
  const getModel = () => {
    const inputs = Input([32]);
    return Model({ inputs, outputs: Dense(1)(inputs) });
  };
  const models = [getModel(), getModel(), getModel()];
  const inputs = Input([32]);
  const outputs = Average()(models.map((model) => model(inputs)));
  expectType<SymbolicTensor<Dim[], DType, never>>(outputs);
  return Model({ inputs, outputs });
});

program('models chained in a loop that reassigns x', [[4]], () => {
  const block = (width: number) => {
    const inputs = Input([width]);
    return Model({ inputs, outputs: Dense(width, { activation: 'relu' })(inputs) });
  };
  const inputs = Input([4]);
  let x: AnyTensor = inputs;
  for (const model of [block(4), block(4), block(4)]) x = model(x);
  return Model({ inputs, outputs: x });
});

program('transfer learning: a frozen base model under a new head', [[3]], () => {
  const image = Input([16, 16, 3]);
  const base = Model({ inputs: image, outputs: GlobalAveragePooling2D()(Conv2D(8, 3)(image)), name: 'base' });
  base.trainable = false;
  const inputs = Input([16, 16, 3], { name: 'photo' });
  const features = base(inputs);
  expectType<SymbolicTensor<[8], 'float32', 'photo'>>(features);
  return Model({ inputs, outputs: Dense(3, { activation: 'softmax' })(Dropout(0.2)(features)) });
});

program('a model with two outputs, destructured where it is called', [[2], [6]], () => {
  const inputs = Input([10]);
  const hidden = Dense(8, { activation: 'relu' })(inputs);
  const heads = Model({ inputs, outputs: [Dense(2)(hidden), Dense(6)(hidden)], name: 'heads' });
  const x = Input([10], { name: 'x' });
  const [score, tags] = heads(x);
  expectType<SymbolicTensor<[6], 'float32', 'x'>>(tags);
  return Model({ inputs: x, outputs: [score, tags] });
});

program('a siamese pair: one model, two named inputs, one set of weights', [[1]], () => {
  const sample = Input([20]);
  const embed = Model({ inputs: sample, outputs: Dense(8)(Dense(16, { activation: 'relu' })(sample)) });
  const left = Input([20], { name: 'left' });
  const right = Input([20], { name: 'right' });
  const joined = Concatenate()([embed(left), embed(right)]);
  expectType<SymbolicTensor<[16], 'float32', 'left' | 'right'>>(joined);
  return Model({ inputs: [left, right], outputs: Dense(1, { activation: 'sigmoid' })(joined) });
});

program('a size-1 offset broadcast over a step count read from a config (typed number), in a helper', [[3]], () => {
  const config: { steps: number } = { steps: 6 };
  const addOffset = (x: AnyTensor, offset: AnyTensor) => Add()([x, offset]);
  const steps = Input([config.steps, 3], { name: 'steps' });
  const offset = Input([1, 3], { name: 'offset' });
  const direct = Multiply()([steps, offset]);
  expectType<SymbolicTensor<[number, 3], 'float32', 'steps' | 'offset'>>(direct);
  let x: AnyTensor = steps;
  for (let block = 0; block < 2; block++) x = addOffset(x, offset);
  return Model({ inputs: [steps, offset], outputs: Dense(3)(GlobalAveragePooling1D()(x)) });
});

program('Reshape of an unknown step count into a size from a config (typed number)', [[4]], () => {
  const width: number = 4;
  const frames = Input([null, 2]);
  const flat = Reshape([width])(frames);
  expectType<SymbolicTensor<[number], 'float32', never>>(flat);
  return Model({ inputs: frames, outputs: Dense(4)(flat) });
});

// --- Sequential, as Keras users write it ---------------------------------------------------------------------

program('a Sequential MLP whose hidden layers come from a config list, built with map and spread', [[1]], () => {
  const config: { hidden: number[]; rate: number } = { hidden: [64, 32], rate: 0.2 };
  const hidden = config.hidden.flatMap((units) => [Dense(units, { activation: 'relu' }), Dropout(config.rate)]);
  return Sequential([Input([20]), ...hidden, Dense(1, { activation: 'sigmoid' })]);
});

program('a Sequential whose layers are pushed in a loop, as with model.add', [[10]], () => {
  const list: unknown[] = [Input([28, 28, 1])];
  for (const filters of [16, 32])
    list.push(Conv2D(filters, 3, { activation: 'relu', padding: 'same' }), MaxPooling2D(2));
  list.push(Flatten(), Dense(10, { activation: 'softmax' }));
  const model = Sequential(list);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return model;
});

program(
  'a Sequential block made by a helper and called at two shapes',
  [
    [5, 5, 16],
    [13, 13, 16],
  ],
  () => {
    const convBlock = (filters: number) =>
      Sequential([Conv2D(filters, 3, { activation: 'relu' }), BatchNormalization(), MaxPooling2D(2)]);
    const small = Input([12, 12, 3]);
    const large = Input([28, 28, 3]);
    const a = convBlock(16)(small);
    const b = convBlock(16)(large);
    expectType<SymbolicTensor<[5, 5, number], 'float32', never>>(a);
    expectType<SymbolicTensor<[13, 13, number], 'float32', never>>(b);
    return Model({ inputs: [small, large], outputs: [a, b] });
  },
);

program('a Sequential feature extractor shared by two inputs (the siamese pattern)', [[1]], () => {
  const embed = Sequential([Input([32]), Dense(16, { activation: 'relu' }), Dense(8)], { name: 'embed' });
  const left = Input([32], { name: 'left' });
  const right = Input([32], { name: 'right' });
  const joined = Concatenate()([embed(left), embed(right)]);
  expectType<SymbolicTensor<[16], 'float32', 'left' | 'right'>>(joined);
  return Model({ inputs: [left, right], outputs: Dense(1, { activation: 'sigmoid' })(joined) });
});

// --- Options typed as a union or as boolean (from a config) ----------------------------------------------------

program('stacked LSTMs whose returnSequences comes from a config (typed boolean)', [[1]], () => {
  const config: { stacked: boolean } = { stacked: true };
  const steps = Input([10, 8]);
  const first = LSTM(32, { returnSequences: config.stacked })(steps);
  expectType<SymbolicTensor<Dim[], 'float32', never>>(first);
  const second = LSTM(16)(first);
  return Model({ inputs: steps, outputs: Dense(1)(second) });
});

program("a padding from a config ('same' | 'valid') joined to a 'same' branch", [[28, 28, 16]], () => {
  const config: { padding: 'same' | 'valid' } = { padding: 'same' };
  const image = Input([28, 28, 1]);
  const a = Conv2D(8, 3, { padding: config.padding })(image);
  expectType<SymbolicTensor<[number, number, 8], 'float32', never>>(a);
  const b = Conv2D(8, 3, { padding: 'same' })(image);
  return Model({ inputs: image, outputs: Concatenate()([a, b]) });
});

program('options chosen by a flag: whole option objects, a pool size', [[7, 7, 8]], () => {
  const downsample: boolean = true;
  const image = Input([28, 28, 1]);
  const x = Conv2D(8, 3, downsample ? { strides: 2, padding: 'same' } : { padding: 'same' })(image);
  expectType<SymbolicTensor<[number, number, 8], 'float32', never>>(x);
  const pooled = MaxPooling2D(downsample ? 2 : 1)(x);
  expectType<SymbolicTensor<[number, number, 8], 'float32', never>>(pooled);
  return Model({ inputs: image, outputs: pooled });
});

program('returnState from a config (typed boolean): a tensor or a list, told apart by Array.isArray', [[2]], () => {
  const config: { withState: boolean } = { withState: true };
  const steps = Input([10, 4]);
  const result = LSTM(8, { returnState: config.withState })(steps);
  expectType<
    | SymbolicTensor<[8], 'float32', never>
    | [
        SymbolicTensor<[8], 'float32', never>,
        SymbolicTensor<[8], 'float32', never>,
        SymbolicTensor<[8], 'float32', never>,
      ]
  >(result);
  const output = Array.isArray(result) ? result[0] : result;
  return Model({ inputs: steps, outputs: Dense(2)(output) });
});

// --- Grouped convolutions, ConvLSTM2D and glu, with sizes from a config and in helpers ----------------------------

program(
  'a ResNeXt-style block helper: grouped Conv2D with groups and widths from a config, in a loop',
  [[8, 8, 64]],
  () => {
    const config: { cardinality: number; widths: number[] } = { cardinality: 4, widths: [32, 64] };
    const block = (x: AnyTensor, width: number) =>
      Conv2D(width, 3, { padding: 'same', groups: config.cardinality, activation: 'relu' })(
        Conv2D(width, 1, { activation: 'relu' })(x),
      );
    const image = Input([8, 8, 16]);
    let x: AnyTensor = image;
    for (const width of config.widths) x = block(x, width);
    const fixed = Conv2D(64, 3, { padding: 'same', groups: 4 })(Input([8, 8, 16]));
    expectType<SymbolicTensor<[8, 8, 64], 'float32', never>>(fixed);
    return Model({ inputs: image, outputs: x });
  },
);

program('ConvLSTM2D with filters and kernel from a config, then glu on a computed width', [[6, 6, 4]], () => {
  const config: { filters: number; kernel: number } = { filters: 8, kernel: 3 };
  const clips = Input([5, 8, 8, 1]);
  const frames = ConvLSTM2D(config.filters, config.kernel)(clips);
  expectType<SymbolicTensor<[number, number, number], 'float32', never>>(frames);
  const gated = Activation('glu')(frames);
  expectType<SymbolicTensor<[number, number, number], 'float32', never>>(gated);
  return Model({ inputs: clips, outputs: gated });
});
