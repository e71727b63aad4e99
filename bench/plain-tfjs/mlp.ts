// The MLP seed written by hand in plain tfjs-layers: the baseline for the type-checking benchmark.
import * as tf from '@tensorflow/tfjs';

const x = tf.input({ shape: [32] });
const hidden1 = tf.layers.dense({ units: 10, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
const hidden2 = tf.layers.dense({ units: 20, activation: 'relu' }).apply(hidden1) as tf.SymbolicTensor;
const hidden3 = tf.layers.dense({ units: 10, activation: 'relu' }).apply(hidden2) as tf.SymbolicTensor;
const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden3) as tf.SymbolicTensor;
export const model = tf.model({ inputs: x, outputs: output });
