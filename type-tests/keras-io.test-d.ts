// The keras.io ports of tests/keras-io.test.ts, every intermediate tensor pinned: the Transformer text classifier
// (its block applied twice), the VAE's encoder (three outputs) and decoder (Conv2DTranspose), and the siamese
// network of the contrastive loss example (one embedding model on two inputs, a Lambda distance).
import type * as tf from '@tensorflow/tfjs';
import { expectType } from 'tsd';
import { Sampling } from '../examples/custom-layers.ts';
import { TokenAndPositionEmbedding } from '../examples/token-and-position-embedding.ts';
import {
  Add,
  AveragePooling2D,
  BatchNormalization,
  type CallableModel,
  Conv2D,
  Conv2DTranspose,
  Dense,
  Dropout,
  Flatten,
  GlobalAveragePooling1D,
  Input,
  Lambda,
  LayerNormalization,
  Model,
  MultiHeadAttention,
  Reshape,
  type SymbolicTensor,
} from '../src/index.ts';

type T<
  S extends readonly (number | null)[],
  N extends string = never,
  D extends 'float32' | 'int32' = 'float32',
> = SymbolicTensor<S, D, N>;

// keras.io/examples/nlp/text_classification_with_transformer.
const vocabSize = 20000;
const maxlen = 200;
const embedDim = 32;
const numHeads = 2;
const ffDim = 32;

function transformerBlock(
  inputs: T<[typeof maxlen, typeof embedDim], 'ids'>,
  embedDimension: typeof embedDim,
  heads: number,
  ff: number,
  rate = 0.1,
) {
  const att = MultiHeadAttention({ numHeads: heads, keyDim: embedDimension });
  const ffn1 = Dense(ff, { activation: 'relu' });
  const ffn2 = Dense(embedDimension);
  const layernorm1 = LayerNormalization({ epsilon: 1e-6 });
  const layernorm2 = LayerNormalization({ epsilon: 1e-6 });
  const dropout1 = Dropout(rate);
  const dropout2 = Dropout(rate);

  const attended = att(inputs, inputs);
  expectType<T<[200, 32], 'ids'>>(attended);
  const attnOutput = dropout1(attended);
  expectType<T<[200, 32], 'ids'>>(attnOutput);
  const out1 = layernorm1(Add()([inputs, attnOutput]));
  expectType<T<[200, 32], 'ids'>>(out1);
  // ff is a number the compiler cannot see: the hidden size is number, and the next Dense restores 32.
  const hidden = ffn1(out1);
  expectType<T<[200, number], 'ids'>>(hidden);
  const ffnOutput = dropout2(ffn2(hidden));
  expectType<T<[200, 32], 'ids'>>(ffnOutput);
  return layernorm2(Add()([out1, ffnOutput]));
}

const ids = Input([maxlen], { dtype: 'int32', name: 'ids' });
expectType<T<[200], 'ids', 'int32'>>(ids);
const embedded = TokenAndPositionEmbedding(maxlen, vocabSize, embedDim)(ids);
expectType<T<[200, 32], 'ids'>>(embedded);
const block1 = transformerBlock(embedded, embedDim, numHeads, ffDim);
expectType<T<[200, 32], 'ids'>>(block1);
const block2 = transformerBlock(block1, embedDim, numHeads, ffDim);
expectType<T<[200, 32], 'ids'>>(block2);
const pooled = GlobalAveragePooling1D()(block2);
expectType<T<[32], 'ids'>>(pooled);
const dropped1 = Dropout(0.1)(pooled);
expectType<T<[32], 'ids'>>(dropped1);
const dense20 = Dense(20, { activation: 'relu' })(dropped1);
expectType<T<[20], 'ids'>>(dense20);
const dropped2 = Dropout(0.1)(dense20);
expectType<T<[20], 'ids'>>(dropped2);
const classes = Dense(2, { activation: 'softmax' })(dropped2);
expectType<T<[2], 'ids'>>(classes);
Model({ inputs: ids, outputs: classes });

// keras.io/examples/generative/vae: the encoder.
const latentDim = 2;
const encoderInputs = Input([28, 28, 1]);
const c1 = Conv2D(32, 3, { activation: 'relu', strides: 2, padding: 'same' })(encoderInputs);
expectType<T<[14, 14, 32]>>(c1);
const c2 = Conv2D(64, 3, { activation: 'relu', strides: 2, padding: 'same' })(c1);
expectType<T<[7, 7, 64]>>(c2);
const flat = Flatten()(c2);
expectType<T<[3136]>>(flat);
const encoderHidden = Dense(16, { activation: 'relu' })(flat);
expectType<T<[16]>>(encoderHidden);
const zMean = Dense(latentDim, { name: 'z_mean' })(encoderHidden);
const zLogVar = Dense(latentDim, { name: 'z_log_var' })(encoderHidden);
expectType<T<[2]>>(zMean);
expectType<T<[2]>>(zLogVar);
const z = Sampling()([zMean, zLogVar]);
expectType<T<[2]>>(z);
const encoder = Model({ inputs: encoderInputs, outputs: [zMean, zLogVar, z], name: 'encoder' });

// The decoder. 7 * 7 * 64 is a number to the compiler; Reshape's target gives the shape back.
const latentInputs = Input([latentDim]);
const d1 = Dense(7 * 7 * 64, { activation: 'relu' })(latentInputs);
expectType<T<[number]>>(d1);
const d2 = Reshape([7, 7, 64])(d1);
expectType<T<[7, 7, 64]>>(d2);
const d3 = Conv2DTranspose(64, 3, { activation: 'relu', strides: 2, padding: 'same' })(d2);
expectType<T<[14, 14, 64]>>(d3);
const d4 = Conv2DTranspose(32, 3, { activation: 'relu', strides: 2, padding: 'same' })(d3);
expectType<T<[28, 28, 32]>>(d4);
const decoderOutputs = Conv2DTranspose(1, 3, { activation: 'sigmoid', padding: 'same' })(d4);
expectType<T<[28, 28, 1]>>(decoderOutputs);
const decoder = Model({ inputs: latentInputs, outputs: decoderOutputs, name: 'decoder' });

// The two composed: the encoder gives a tuple of its three outputs; the decoder takes the third.
const images = Input([28, 28, 1], { name: 'images' });
const code = encoder(images);
expectType<[T<[2], 'images'>, T<[2], 'images'>, T<[2], 'images'>]>(code);
const reconstruction = decoder(code[2]);
expectType<T<[28, 28, 1], 'images'>>(reconstruction);
expectType<CallableModel<T<[28, 28, 1], 'images'>, T<[28, 28, 1], 'images'>, string, 'vae'>>(
  Model({ inputs: images, outputs: reconstruction, name: 'vae' }),
);

// keras.io/examples/vision/siamese_contrastive: the embedding network.
const input = Input([28, 28, 1]);
const n1 = BatchNormalization()(input);
expectType<T<[28, 28, 1]>>(n1);
const n2 = Conv2D(4, [5, 5], { activation: 'tanh' })(n1);
expectType<T<[24, 24, 4]>>(n2);
const n3 = AveragePooling2D([2, 2])(n2);
expectType<T<[12, 12, 4]>>(n3);
const n4 = Conv2D(16, [5, 5], { activation: 'tanh' })(n3);
expectType<T<[8, 8, 16]>>(n4);
const n5 = AveragePooling2D([2, 2])(n4);
expectType<T<[4, 4, 16]>>(n5);
const n6 = Flatten()(n5);
expectType<T<[256]>>(n6);
const n7 = BatchNormalization()(n6);
expectType<T<[256]>>(n7);
const n8 = Dense(10, { activation: 'tanh' })(n7);
expectType<T<[10]>>(n8);
const embeddingNetwork = Model({ inputs: input, outputs: n8, name: 'embedding' });

// One embedding model on two inputs, joined by the Lambda distance.
declare function euclideanDistance(pair: tf.Tensor[]): tf.Tensor;
const input1 = Input([28, 28, 1], { name: 'left' });
const input2 = Input([28, 28, 1], { name: 'right' });
const tower1 = embeddingNetwork(input1);
const tower2 = embeddingNetwork(input2);
expectType<T<[10], 'left'>>(tower1);
expectType<T<[10], 'right'>>(tower2);
const mergeLayer = Lambda(euclideanDistance, { outputShape: [1] })([tower1, tower2]);
expectType<T<[1], 'left' | 'right'>>(mergeLayer);
const normalLayer = BatchNormalization()(mergeLayer);
expectType<T<[1], 'left' | 'right'>>(normalLayer);
const outputLayer = Dense(1, { activation: 'sigmoid' })(normalLayer);
expectType<T<[1], 'left' | 'right'>>(outputLayer);
Model({ inputs: [input1, input2], outputs: outputLayer });
