// Shared Feature Extraction Layer: one LSTM's output read by two interpretation branches.
// Ported line for line from the Keras seed (shared/seeds, "Shared Feature Extraction Layer").
import * as tf from '@tensorflow/tfjs';
import { type CompileArgs, Concatenate, Dense, Input, LSTM, Model } from 'kerats';
import { classLabels, oneHot } from './synthetic.ts';

// input layer
export const x = Input([100, 32]);
// feature extraction
export const extract1 = LSTM(64)(x);
// first interpretation model
export const interp1 = Dense(32, { activation: 'relu' })(extract1);
// second interpretation model
export const interp11 = Dense(64, { activation: 'relu' })(extract1);
export const interp12 = Dense(32, { activation: 'relu' })(interp11);
// merge interpretation
export const merge = Concatenate()([interp1, interp12]);
// output layer
export const output = Dense(10, { activation: 'softmax' })(merge);
export const model = Model({ inputs: x, outputs: output });

/** How the seed's model is trained here: the loss and metrics Keras users pick for this task. */
export const training: CompileArgs<'accuracy'> = {
  optimizer: { name: 'adam', learningRate: 0.003 },
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
};

/** Synthetic data: noisy sequences in which feature c is raised at every step for class c. */
export function data(samples = 256): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const labels = classLabels(samples, 10, 9);
    const raised = tf.reshape(tf.oneHot(labels, 32), [samples, 1, 32]);
    const noise = tf.randomNormal<tf.Rank.R3>([samples, 100, 32], 0, 1, 'float32', 10);
    return { x: tf.add(noise, tf.mul(tf.cast(raised, 'float32'), 1.5)), y: oneHot(labels, 10) };
  });
}
