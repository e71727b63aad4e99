// The bidirectional LSTM seed written by hand in plain tfjs-layers.
import * as tf from '@tensorflow/tfjs';

const x = tf.input({ shape: [100], dtype: 'int32' });
const embedding = tf.layers
  .embedding({ inputDim: 10000, outputDim: 128, maskZero: true })
  .apply(x) as tf.SymbolicTensor;
const lstm = tf.layers.lstm({ units: 64, returnSequences: true }) as tf.RNN;
const hidden = tf.layers.bidirectional({ layer: lstm }).apply(embedding) as tf.SymbolicTensor;
const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(hidden) as tf.SymbolicTensor;
export const model = tf.model({ inputs: x, outputs: output });
