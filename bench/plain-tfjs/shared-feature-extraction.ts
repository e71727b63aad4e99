// The shared-feature-extraction seed written by hand in plain tfjs-layers.
import * as tf from '@tensorflow/tfjs';

const x = tf.input({ shape: [100, 32] });
const extract1 = tf.layers.lstm({ units: 64 }).apply(x) as tf.SymbolicTensor;
const interp1 = tf.layers.dense({ units: 32, activation: 'relu' }).apply(extract1) as tf.SymbolicTensor;
const interp11 = tf.layers.dense({ units: 64, activation: 'relu' }).apply(extract1) as tf.SymbolicTensor;
const interp12 = tf.layers.dense({ units: 32, activation: 'relu' }).apply(interp11) as tf.SymbolicTensor;
const merge = tf.layers.concatenate().apply([interp1, interp12]) as tf.SymbolicTensor;
const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(merge) as tf.SymbolicTensor;
export const model = tf.model({ inputs: x, outputs: output });
