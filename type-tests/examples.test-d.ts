// The shape of every tensor in the eight reference models, pinned.
import { expectType } from 'tsd';
import * as bilstm from '../examples/bilstm.ts';
import * as cnn from '../examples/cnn.ts';
import * as mlp from '../examples/mlp.ts';
import * as multipleInputs from '../examples/multiple-inputs.ts';
import * as multipleOutputs from '../examples/multiple-outputs.ts';
import * as rnn from '../examples/rnn.ts';
import * as sharedFeature from '../examples/shared-feature-extraction.ts';
import * as sharedInput from '../examples/shared-input.ts';
import type { CallableModel, SymbolicTensor } from '../src/index.ts';

type T<
  S extends readonly (number | null)[],
  D extends 'float32' | 'int32' = 'float32',
  N extends string = never,
> = SymbolicTensor<S, D, N>;

// MLP
expectType<T<[32]>>(mlp.x);
expectType<T<[10]>>(mlp.hidden1);
expectType<T<[20]>>(mlp.hidden2);
expectType<T<[10]>>(mlp.hidden3);
expectType<T<[1]>>(mlp.output);
expectType<CallableModel<T<[32]>, T<[1]>, string, 'Model'>>(mlp.model);

// CNN
expectType<T<[64, 64, 3]>>(cnn.x);
expectType<T<[60, 60, 16]>>(cnn.conv1);
expectType<T<[30, 30, 16]>>(cnn.pool1);
expectType<T<[28, 28, 32]>>(cnn.conv2);
expectType<T<[14, 14, 32]>>(cnn.pool2);
expectType<T<[12, 12, 32]>>(cnn.conv3);
expectType<T<[6, 6, 32]>>(cnn.pool3);
expectType<T<[1152]>>(cnn.flat);
expectType<T<[512]>>(cnn.hidden1);
expectType<T<[10]>>(cnn.output);

// RNN
expectType<T<[100], 'int32'>>(rnn.x);
expectType<T<[100, 128]>>(rnn.embedding);
expectType<T<[64]>>(rnn.hidden1);
expectType<T<[32]>>(rnn.hidden2);
expectType<T<[1]>>(rnn.output);

// Bidirectional LSTM
expectType<T<[100], 'int32'>>(bilstm.x);
expectType<T<[100, 128]>>(bilstm.embedding);
expectType<T<[100, 128]>>(bilstm.hidden);
expectType<T<[100, 10]>>(bilstm.output);

// Shared input layer
expectType<T<[62, 62, 32]>>(sharedInput.conv1);
expectType<T<[31, 31, 32]>>(sharedInput.pool1);
expectType<T<[30752]>>(sharedInput.flat1);
expectType<T<[60, 60, 16]>>(sharedInput.conv2);
expectType<T<[30, 30, 16]>>(sharedInput.pool2);
expectType<T<[14400]>>(sharedInput.flat2);
expectType<T<[45152]>>(sharedInput.merge);
expectType<T<[128]>>(sharedInput.hidden1);
expectType<T<[10]>>(sharedInput.output);

// Shared feature extraction
expectType<T<[100, 32]>>(sharedFeature.x);
expectType<T<[64]>>(sharedFeature.extract1);
expectType<T<[32]>>(sharedFeature.interp1);
expectType<T<[64]>>(sharedFeature.interp11);
expectType<T<[32]>>(sharedFeature.interp12);
expectType<T<[64]>>(sharedFeature.merge);
expectType<T<[10]>>(sharedFeature.output);

// Multiple inputs (named, so their names travel with every tensor computed from them)
expectType<T<[64, 64, 1], 'float32', 'input1'>>(multipleInputs.input1);
expectType<T<[60, 60, 32], 'float32', 'input1'>>(multipleInputs.conv11);
expectType<T<[30, 30, 32], 'float32', 'input1'>>(multipleInputs.pool11);
expectType<T<[28, 28, 16], 'float32', 'input1'>>(multipleInputs.conv12);
expectType<T<[14, 14, 16], 'float32', 'input1'>>(multipleInputs.pool12);
expectType<T<[3136], 'float32', 'input1'>>(multipleInputs.flat1);
expectType<T<[32, 32, 3], 'float32', 'input2'>>(multipleInputs.input2);
expectType<T<[28, 28, 32], 'float32', 'input2'>>(multipleInputs.conv21);
expectType<T<[14, 14, 32], 'float32', 'input2'>>(multipleInputs.pool21);
expectType<T<[12, 12, 16], 'float32', 'input2'>>(multipleInputs.conv22);
expectType<T<[6, 6, 16], 'float32', 'input2'>>(multipleInputs.pool22);
expectType<T<[576], 'float32', 'input2'>>(multipleInputs.flat2);
expectType<T<[3712], 'float32', 'input1' | 'input2'>>(multipleInputs.merge);
expectType<T<[20], 'float32', 'input1' | 'input2'>>(multipleInputs.hidden1);
expectType<T<[1], 'float32', 'input1' | 'input2'>>(multipleInputs.output);

// Multiple outputs
expectType<T<[100, 1]>>(multipleOutputs.x);
expectType<T<[100, 10]>>(multipleOutputs.extract);
expectType<T<[10]>>(multipleOutputs.class11);
expectType<T<[10]>>(multipleOutputs.class12);
expectType<T<[1]>>(multipleOutputs.output1);
expectType<T<[100, 1]>>(multipleOutputs.output2);
