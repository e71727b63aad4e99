// The RNN seed written by hand in plain tfjs-layers.
import * as tf from '@tensorflow/tfjs';

const x = tf.input({ shape: [100], dtype: 'int32' });
const embedding = tf.layers
  .embedding({ inputDim: 10000, outputDim: 128, maskZero: true })
  .apply(x) as tf.SymbolicTensor;
const hidden1 = tf.layers.lstm({ units: 64 }).apply(embedding) as tf.SymbolicTensor;
const hidden2 = tf.layers.dense({ units: 32, activation: 'relu' }).apply(hidden1) as tf.SymbolicTensor;
const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden2) as tf.SymbolicTensor;
export const model = tf.model({ inputs: x, outputs: output });
