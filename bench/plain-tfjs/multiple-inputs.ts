// The multiple-inputs seed written by hand in plain tfjs-layers.
import * as tf from '@tensorflow/tfjs';

const input1 = tf.input({ shape: [64, 64, 1] });
const conv11 = tf.layers
  .conv2d({ filters: 32, kernelSize: [5, 5], activation: 'relu' })
  .apply(input1) as tf.SymbolicTensor;
const pool11 = tf.layers.maxPooling2d({ poolSize: [2, 2] }).apply(conv11) as tf.SymbolicTensor;
const conv12 = tf.layers
  .conv2d({ filters: 16, kernelSize: [3, 3], activation: 'relu' })
  .apply(pool11) as tf.SymbolicTensor;
const pool12 = tf.layers.maxPooling2d({ poolSize: [2, 2] }).apply(conv12) as tf.SymbolicTensor;
const flat1 = tf.layers.flatten().apply(pool12) as tf.SymbolicTensor;
const input2 = tf.input({ shape: [32, 32, 3] });
const conv21 = tf.layers
  .conv2d({ filters: 32, kernelSize: [5, 5], activation: 'relu' })
  .apply(input2) as tf.SymbolicTensor;
const pool21 = tf.layers.maxPooling2d({ poolSize: [2, 2] }).apply(conv21) as tf.SymbolicTensor;
const conv22 = tf.layers
  .conv2d({ filters: 16, kernelSize: [3, 3], activation: 'relu' })
  .apply(pool21) as tf.SymbolicTensor;
const pool22 = tf.layers.maxPooling2d({ poolSize: [2, 2] }).apply(conv22) as tf.SymbolicTensor;
const flat2 = tf.layers.flatten().apply(pool22) as tf.SymbolicTensor;
const merge = tf.layers.concatenate().apply([flat1, flat2]) as tf.SymbolicTensor;
const hidden1 = tf.layers.dense({ units: 20, activation: 'relu' }).apply(merge) as tf.SymbolicTensor;
const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden1) as tf.SymbolicTensor;
export const model = tf.model({ inputs: [input1, input2], outputs: output });
