// The keras.io ports of tests/keras-io-catalog.test.ts, every intermediate tensor pinned: the denoising autoencoder,
// the pretrained-word-embeddings classifier, the speaker-recognition Conv1D ResNet and the U-Net-like segmentation
// model. Each model is written twice. First as the example writes it (loops, helpers, `x` reassigned), which must
// compile as it is (no false error); a loop reassigning `x` widens it to a tensor of unknown rank, so there the
// compiler checks little and the runtime checks the rest (docs/helpers.md). Then pinned: each line of the example
// a `const`, and each loop body a helper generic over its input that returns every tensor it makes, called once per
// element of the loop's list; expectType pins each of those tensors at the shape Keras gives. The pinned builders
// are exported: tests/keras-io-catalog.test.ts builds them and checks that each gives the summary, row for row
// (names, shapes, counts, connections), of the model as the example writes it.
import { expectType } from 'tsd';
import {
  Activation,
  type ActivationName,
  Add,
  type AnyTensor,
  AveragePooling1D,
  BatchNormalization,
  type CallableModel,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  Dense,
  Dropout,
  Embedding,
  Flatten,
  GlobalMaxPooling1D,
  Input,
  MaxPool1D,
  MaxPooling1D,
  MaxPooling2D,
  Model,
  SeparableConv2D,
  type SymbolicTensor,
  UpSampling2D,
} from '../src/index.ts';

type T<
  S extends readonly (number | null)[],
  N extends string = never,
  D extends 'float32' | 'int32' = 'float32',
> = SymbolicTensor<S, D, N>;

// --- keras.io/examples/vision/autoencoder -----------------------------------------------------------------------

// As written: `x` reassigned, so typed AnyTensor, and the model's output of unknown rank.
export function asWrittenAutoencoder() {
  const input = Input([28, 28, 1]);
  let x: AnyTensor = Conv2D(32, [3, 3], { activation: 'relu', padding: 'same' })(input);
  x = MaxPooling2D([2, 2], { padding: 'same' })(x);
  x = Conv2D(32, [3, 3], { activation: 'relu', padding: 'same' })(x);
  x = MaxPooling2D([2, 2], { padding: 'same' })(x);
  x = Conv2DTranspose(32, [3, 3], { strides: 2, activation: 'relu', padding: 'same' })(x);
  x = Conv2DTranspose(32, [3, 3], { strides: 2, activation: 'relu', padding: 'same' })(x);
  x = Conv2D(1, [3, 3], { activation: 'sigmoid', padding: 'same' })(x);
  expectType<AnyTensor>(x);
  const model = Model({ inputs: input, outputs: x });
  expectType<CallableModel<T<[28, 28, 1]>, AnyTensor, string, 'Model'>>(model);
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return model;
}

// Pinned: each line a const.
export function pinnedAutoencoder() {
  const aeInput = Input([28, 28, 1]);
  expectType<T<[28, 28, 1]>>(aeInput);
  const aeConv = Conv2D(32, [3, 3], { activation: 'relu', padding: 'same' })(aeInput);
  expectType<T<[28, 28, 32]>>(aeConv);
  const aePool = MaxPooling2D([2, 2], { padding: 'same' })(aeConv);
  expectType<T<[14, 14, 32]>>(aePool);
  const aeConv1 = Conv2D(32, [3, 3], { activation: 'relu', padding: 'same' })(aePool);
  expectType<T<[14, 14, 32]>>(aeConv1);
  const aePool1 = MaxPooling2D([2, 2], { padding: 'same' })(aeConv1);
  expectType<T<[7, 7, 32]>>(aePool1);
  const aeUp = Conv2DTranspose(32, [3, 3], { strides: 2, activation: 'relu', padding: 'same' })(aePool1);
  expectType<T<[14, 14, 32]>>(aeUp);
  const aeUp1 = Conv2DTranspose(32, [3, 3], { strides: 2, activation: 'relu', padding: 'same' })(aeUp);
  expectType<T<[28, 28, 32]>>(aeUp1);
  const aeOut = Conv2D(1, [3, 3], { activation: 'sigmoid', padding: 'same' })(aeUp1);
  expectType<T<[28, 28, 1]>>(aeOut);
  const autoencoder = Model({ inputs: aeInput, outputs: aeOut });
  expectType<CallableModel<T<[28, 28, 1]>, T<[28, 28, 1]>, string, 'Model'>>(autoencoder);
  return autoencoder;
}

// --- keras.io/examples/nlp/pretrained_word_embeddings -------------------------------------------------------------

const numTokens = 20000 + 2; // len(voc) + 2: a number to the compiler
const embeddingDim = 100;
const classNames: string[] = Array.from({ length: 20 }, (_, index) => `newsgroup_${index}`);

// As written. The frozen layer's weights are set through the model (tests/keras-io-catalog.test.ts).
export function asWrittenClassifier() {
  const embeddingLayer = Embedding(numTokens, embeddingDim, { trainable: false });
  const intSequencesInput = Input([null], { dtype: 'int32' });
  const embeddedSequences = embeddingLayer(intSequencesInput);
  let x: AnyTensor = Conv1D(128, 5, { activation: 'relu' })(embeddedSequences);
  x = MaxPooling1D(5)(x);
  x = Conv1D(128, 5, { activation: 'relu' })(x);
  x = MaxPooling1D(5)(x);
  x = Conv1D(128, 5, { activation: 'relu' })(x);
  x = GlobalMaxPooling1D()(x);
  x = Dense(128, { activation: 'relu' })(x);
  x = Dropout(0.5)(x);
  const preds = Dense(classNames.length, { activation: 'softmax' })(x);
  expectType<AnyTensor>(preds);
  return Model({ inputs: intSequencesInput, outputs: preds });
}

// Pinned. Sequences of any length (shape=(None,)): every length axis stays null, as in Keras's summary.
export function pinnedClassifier() {
  const intSequencesInput = Input([null], { dtype: 'int32' });
  expectType<T<[null], never, 'int32'>>(intSequencesInput);
  const embeddedSequences = Embedding(numTokens, embeddingDim, { trainable: false })(intSequencesInput);
  expectType<T<[null, 100]>>(embeddedSequences);
  const conv1d = Conv1D(128, 5, { activation: 'relu' })(embeddedSequences);
  expectType<T<[null, 128]>>(conv1d);
  const maxPooling1d = MaxPooling1D(5)(conv1d);
  expectType<T<[null, 128]>>(maxPooling1d);
  const conv1d1 = Conv1D(128, 5, { activation: 'relu' })(maxPooling1d);
  expectType<T<[null, 128]>>(conv1d1);
  const maxPooling1d1 = MaxPooling1D(5)(conv1d1);
  expectType<T<[null, 128]>>(maxPooling1d1);
  const conv1d2 = Conv1D(128, 5, { activation: 'relu' })(maxPooling1d1);
  expectType<T<[null, 128]>>(conv1d2);
  const globalMaxPooling1d = GlobalMaxPooling1D()(conv1d2);
  expectType<T<[128]>>(globalMaxPooling1d);
  const dense = Dense(128, { activation: 'relu' })(globalMaxPooling1d);
  expectType<T<[128]>>(dense);
  const dropout = Dropout(0.5)(dense);
  expectType<T<[128]>>(dropout);
  // len(class_names) is a number the compiler cannot see.
  const preds = Dense(classNames.length, { activation: 'softmax' })(dropout);
  expectType<T<[number]>>(preds);
  const model = Model({ inputs: intSequencesInput, outputs: preds });
  expectType<CallableModel<T<[null], never, 'int32'>, T<[number]>, string, 'Model'>>(model);
  return model;
}

// --- keras.io/examples/audio/speaker_recognition_using_cnn --------------------------------------------------------

// As written: residual_block typed on AnyTensor, its inner loop reassigning `x`, and Keras's short name MaxPool1D
// (the pinned form below writes MaxPooling1D: tests/keras-io-catalog.test.ts checks that both build one model).
function residualBlock(x: AnyTensor, filters: number, convNum = 3, activation: ActivationName = 'relu'): AnyTensor {
  const s = Conv1D(filters, 1, { padding: 'same' })(x);
  for (let i = 0; i < convNum - 1; i++) {
    x = Conv1D(filters, 3, { padding: 'same' })(x);
    x = Activation(activation)(x);
  }
  x = Conv1D(filters, 3, { padding: 'same' })(x);
  x = Add()([x, s]);
  x = Activation(activation)(x);
  return MaxPool1D(2, { strides: 2 })(x);
}

function buildModel(inputShape: readonly [number, number], numClasses: number) {
  const inputs = Input(inputShape, { name: 'input' });
  let x = residualBlock(inputs, 16, 2);
  x = residualBlock(x, 32, 2);
  x = residualBlock(x, 64, 3);
  x = residualBlock(x, 128, 3);
  x = residualBlock(x, 128, 3);
  x = AveragePooling1D(3, { strides: 3 })(x);
  x = Flatten()(x);
  x = Dense(256, { activation: 'relu' })(x);
  x = Dense(128, { activation: 'relu' })(x);
  const outputs = Dense(numClasses, { activation: 'softmax', name: 'output' })(x);
  return Model({ inputs, outputs });
}
export function asWrittenSpeakerModel() {
  const model = buildModel([8000, 1], 5);
  expectType<CallableModel<T<[number, number], 'input'>, AnyTensor, string, 'Model'>>(model);
  return model;
}

/**
 * Pinned: residual_block generic over its input, returning each tensor it makes. Its loop runs conv_num - 1 times
 * (1 or 2 in the example); each pass keeps the shape, so the second pass is written as a choice between its
 * tensors and the first pass's, whose types agree at every call.
 */
function residualBlockSteps<const X extends AnyTensor, const Filters extends number>(
  x: X,
  filters: Filters,
  convNum = 3,
) {
  const s = Conv1D(filters, 1, { padding: 'same' })(x);
  const conv1 = Conv1D(filters, 3, { padding: 'same' })(x);
  const act1 = Activation('relu')(conv1);
  const conv2 = convNum > 2 ? Conv1D(filters, 3, { padding: 'same' })(act1) : act1;
  const pass2 = convNum > 2 ? Activation('relu')(conv2) : act1;
  const conv = Conv1D(filters, 3, { padding: 'same' })(pass2);
  const added = Add()([conv, s]);
  const act = Activation('relu')(added);
  const pooled = MaxPooling1D(2, { strides: 2 })(act);
  return { s, conv1, act1, conv2, pass2, conv, added, act, pooled };
}

type BlockSteps<Length extends number, Filters extends number, Pooled extends number> = {
  s: T<[Length, Filters], 'input'>;
  conv1: T<[Length, Filters], 'input'>;
  act1: T<[Length, Filters], 'input'>;
  conv2: T<[Length, Filters], 'input'>;
  pass2: T<[Length, Filters], 'input'>;
  conv: T<[Length, Filters], 'input'>;
  added: T<[Length, Filters], 'input'>;
  act: T<[Length, Filters], 'input'>;
  pooled: T<[Pooled, Filters], 'input'>;
};

// build_model((SAMPLING_RATE // 2, 1), len(class_names)), with SAMPLING_RATE // 2 written 8000 and the 5 speakers.
export function pinnedSpeakerModel() {
  const speakerInputs = Input([8000, 1], { name: 'input' });
  expectType<T<[8000, 1], 'input'>>(speakerInputs);
  const block1 = residualBlockSteps(speakerInputs, 16, 2);
  expectType<BlockSteps<8000, 16, 4000>>(block1);
  const block2 = residualBlockSteps(block1.pooled, 32, 2);
  expectType<BlockSteps<4000, 32, 2000>>(block2);
  const block3 = residualBlockSteps(block2.pooled, 64, 3);
  expectType<BlockSteps<2000, 64, 1000>>(block3);
  const block4 = residualBlockSteps(block3.pooled, 128, 3);
  expectType<BlockSteps<1000, 128, 500>>(block4);
  const block5 = residualBlockSteps(block4.pooled, 128, 3);
  expectType<BlockSteps<500, 128, 250>>(block5);
  const averaged = AveragePooling1D(3, { strides: 3 })(block5.pooled);
  expectType<T<[83, 128], 'input'>>(averaged);
  const flattened = Flatten()(averaged);
  expectType<T<[10624], 'input'>>(flattened);
  const speakerDense = Dense(256, { activation: 'relu' })(flattened);
  expectType<T<[256], 'input'>>(speakerDense);
  const speakerDense1 = Dense(128, { activation: 'relu' })(speakerDense);
  expectType<T<[128], 'input'>>(speakerDense1);
  const speakerOutputs = Dense(5, { activation: 'softmax', name: 'output' })(speakerDense1);
  expectType<T<[5], 'input'>>(speakerOutputs);
  const model = Model({ inputs: speakerInputs, outputs: speakerOutputs });
  expectType<CallableModel<T<[8000, 1], 'input'>, T<[5], 'input'>, string, 'Model'>>(model);
  return model;
}

// --- keras.io/examples/vision/oxford_pets_image_segmentation ------------------------------------------------------

// As written: get_model with its two loops.
function getModel(imgSize: readonly [number, number], numClasses: number) {
  const inputs = Input([...imgSize, 3]);
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
  const outputs = Conv2D(numClasses, 3, { activation: 'softmax', padding: 'same' })(x);
  return Model({ inputs, outputs });
}
export function asWrittenUNet() {
  const model = getModel([128, 128], 3);
  expectType<CallableModel<T<[number, number, 3]>, AnyTensor, string, 'Model'>>(model);
  return model;
}

/** Pinned: the first loop's body, generic over its inputs, returning each tensor it makes. */
function downBlock<const X extends AnyTensor, const Previous extends AnyTensor, const Filters extends number>(
  x: X,
  previousBlockActivation: Previous,
  filters: Filters,
) {
  const act1 = Activation('relu')(x);
  const sep1 = SeparableConv2D(filters, 3, { padding: 'same' })(act1);
  const bn1 = BatchNormalization()(sep1);
  const act2 = Activation('relu')(bn1);
  const sep2 = SeparableConv2D(filters, 3, { padding: 'same' })(act2);
  const bn2 = BatchNormalization()(sep2);
  const pooled = MaxPooling2D(3, { strides: 2, padding: 'same' })(bn2);
  const residual = Conv2D(filters, 1, { strides: 2, padding: 'same' })(previousBlockActivation);
  const added = Add()([pooled, residual]);
  return { act1, sep1, bn1, act2, sep2, bn2, pooled, residual, added };
}

/** Pinned: the second loop's body, generic over its inputs, returning each tensor it makes. */
function upBlock<const X extends AnyTensor, const Previous extends AnyTensor, const Filters extends number>(
  x: X,
  previousBlockActivation: Previous,
  filters: Filters,
) {
  const act1 = Activation('relu')(x);
  const deconv1 = Conv2DTranspose(filters, 3, { padding: 'same' })(act1);
  const bn1 = BatchNormalization()(deconv1);
  const act2 = Activation('relu')(bn1);
  const deconv2 = Conv2DTranspose(filters, 3, { padding: 'same' })(act2);
  const bn2 = BatchNormalization()(deconv2);
  const upsampled = UpSampling2D(2)(bn2);
  const residualUp = UpSampling2D(2)(previousBlockActivation);
  const residual = Conv2D(filters, 1, { padding: 'same' })(residualUp);
  const added = Add()([upsampled, residual]);
  return { act1, deconv1, bn1, act2, deconv2, bn2, upsampled, residualUp, residual, added };
}

type DownSteps<Side extends number, InFilters extends number, Filters extends number> = {
  act1: T<[Side, Side, InFilters]>;
  sep1: T<[Side, Side, Filters]>;
  bn1: T<[Side, Side, Filters]>;
  act2: T<[Side, Side, Filters]>;
  sep2: T<[Side, Side, Filters]>;
  bn2: T<[Side, Side, Filters]>;
  pooled: T<[Half<Side>, Half<Side>, Filters]>;
  residual: T<[Half<Side>, Half<Side>, Filters]>;
  added: T<[Half<Side>, Half<Side>, Filters]>;
};

type UpSteps<Side extends number, InFilters extends number, Filters extends number> = {
  act1: T<[Side, Side, InFilters]>;
  deconv1: T<[Side, Side, Filters]>;
  bn1: T<[Side, Side, Filters]>;
  act2: T<[Side, Side, Filters]>;
  deconv2: T<[Side, Side, Filters]>;
  bn2: T<[Side, Side, Filters]>;
  upsampled: T<[Double<Side>, Double<Side>, Filters]>;
  residualUp: T<[Double<Side>, Double<Side>, InFilters]>;
  residual: T<[Double<Side>, Double<Side>, Filters]>;
  added: T<[Double<Side>, Double<Side>, Filters]>;
};

/** The sides a 128x128 input passes through, halved by each down block and doubled by each up block. */
type Half<Side extends number> = { 64: 32; 32: 16; 16: 8 }[Side & (64 | 32 | 16)];
type Double<Side extends number> = { 8: 16; 16: 32; 32: 64; 64: 128 }[Side & (8 | 16 | 32 | 64)];

// get_model(img_size, num_classes) at img_size (128, 128) and the 3 trimap classes.
export function pinnedUNet() {
  const imgSize = [128, 128] as const;
  const inputs = Input([...imgSize, 3]);
  expectType<T<[128, 128, 3]>>(inputs);
  const entry = Conv2D(32, 3, { strides: 2, padding: 'same' })(inputs);
  expectType<T<[64, 64, 32]>>(entry);
  const entryNormalized = BatchNormalization()(entry);
  expectType<T<[64, 64, 32]>>(entryNormalized);
  const entryActivation = Activation('relu')(entryNormalized);
  expectType<T<[64, 64, 32]>>(entryActivation);
  // for filters in [64, 128, 256]
  const down64 = downBlock(entryActivation, entryActivation, 64);
  expectType<DownSteps<64, 32, 64>>(down64);
  const down128 = downBlock(down64.added, down64.added, 128);
  expectType<DownSteps<32, 64, 128>>(down128);
  const down256 = downBlock(down128.added, down128.added, 256);
  expectType<DownSteps<16, 128, 256>>(down256);
  // for filters in [256, 128, 64, 32]
  const up256 = upBlock(down256.added, down256.added, 256);
  expectType<UpSteps<8, 256, 256>>(up256);
  const up128 = upBlock(up256.added, up256.added, 128);
  expectType<UpSteps<16, 256, 128>>(up128);
  const up64 = upBlock(up128.added, up128.added, 64);
  expectType<UpSteps<32, 128, 64>>(up64);
  const up32 = upBlock(up64.added, up64.added, 32);
  expectType<UpSteps<64, 64, 32>>(up32);
  const segmentation = Conv2D(3, 3, { activation: 'softmax', padding: 'same' })(up32.added);
  expectType<T<[128, 128, 3]>>(segmentation);
  const model = Model({ inputs, outputs: segmentation });
  expectType<CallableModel<T<[128, 128, 3]>, T<[128, 128, 3]>, string, 'Model'>>(model);
  return model;
}
