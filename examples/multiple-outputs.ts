// Multiple Output Model: one LSTM reads a sequence; one head classifies it, another tags every step.
// Ported line for line from the Keras seed (shared/seeds, "Multiple Output Model").
import * as tf from '@tensorflow/tfjs';
import { type CompileArgs, Dense, Input, LSTM, Model, TimeDistributed } from 'kerats';
import { binaryLabels } from './synthetic.ts';

export const x = Input([100, 1]);
export const extract = LSTM(10, { returnSequences: true })(x);
export const class11 = LSTM(10)(extract);
export const class12 = Dense(10, { activation: 'relu' })(class11);
export const output1 = Dense(1, { activation: 'sigmoid' })(class12);
export const output2 = TimeDistributed(Dense(1, { activation: 'linear' }))(extract);
export const model = Model({ inputs: x, outputs: [output1, output2] });

/** How the seed's model is trained here: the loss and metrics Keras users pick for this task. */
export const training: CompileArgs<'accuracy'> = {
  optimizer: { name: 'adam', learningRate: 0.01 },
  loss: ['binaryCrossentropy', 'meanSquaredError'],
  metrics: ['accuracy'],
};

/** Synthetic data: the class says whether the sequence drifts up; the per-step target is twice the input. */
export function data(samples = 256): { x: tf.Tensor; y: [tf.Tensor, tf.Tensor] } {
  return tf.tidy(() => {
    const labels = binaryLabels(samples, 14);
    const drift = tf.reshape(tf.sub(tf.mul(labels, 2), 1), [samples, 1, 1]);
    const sequence = tf.add(tf.randomNormal<tf.Rank.R3>([samples, 100, 1], 0, 1, 'float32', 15), tf.mul(drift, 0.5));
    return { x: sequence, y: [tf.reshape(labels, [samples, 1]), tf.mul(sequence, 2)] };
  });
}
