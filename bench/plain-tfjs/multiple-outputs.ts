// The multiple-outputs seed written by hand in plain tfjs-layers.
import * as tf from '@tensorflow/tfjs';

const x = tf.input({ shape: [100, 1] });
const extract = tf.layers.lstm({ units: 10, returnSequences: true }).apply(x) as tf.SymbolicTensor;
const class11 = tf.layers.lstm({ units: 10 }).apply(extract) as tf.SymbolicTensor;
const class12 = tf.layers.dense({ units: 10, activation: 'relu' }).apply(class11) as tf.SymbolicTensor;
const output1 = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(class12) as tf.SymbolicTensor;
const dense = tf.layers.dense({ units: 1, activation: 'linear' });
const output2 = tf.layers.timeDistributed({ layer: dense }).apply(extract) as tf.SymbolicTensor;
export const model = tf.model({ inputs: x, outputs: [output1, output2] });
