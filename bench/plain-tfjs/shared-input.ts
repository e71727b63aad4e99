// The shared-input seed written by hand in plain tfjs-layers.
import * as tf from '@tensorflow/tfjs';

const x = tf.input({ shape: [64, 64, 3] });
const conv1 = tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu' }).apply(x) as tf.SymbolicTensor;
const pool1 = tf.layers.maxPooling2d({ poolSize: [2, 2] }).apply(conv1) as tf.SymbolicTensor;
const flat1 = tf.layers.flatten().apply(pool1) as tf.SymbolicTensor;
const conv2 = tf.layers.conv2d({ filters: 16, kernelSize: [5, 5], activation: 'relu' }).apply(x) as tf.SymbolicTensor;
const pool2 = tf.layers.maxPooling2d({ poolSize: [2, 2] }).apply(conv2) as tf.SymbolicTensor;
const flat2 = tf.layers.flatten().apply(pool2) as tf.SymbolicTensor;
const merge = tf.layers.concatenate().apply([flat1, flat2]) as tf.SymbolicTensor;
export const hidden1 = tf.layers.dense({ units: 128, activation: 'relu' }).apply(merge) as tf.SymbolicTensor;
const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(merge) as tf.SymbolicTensor;
export const model = tf.model({ inputs: x, outputs: output });
