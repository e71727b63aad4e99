// Multilayer Perceptron: binary classification of 32 features through three Dense layers.
// Ported line for line from the Keras seed (shared/seeds, "Multilayer Perceptron").
import * as tf from '@tensorflow/tfjs';
import { type CompileArgs, Dense, Input, Model } from 'kerats';

export const x = Input([32]);
export const hidden1 = Dense(10, { activation: 'relu' })(x);
export const hidden2 = Dense(20, { activation: 'relu' })(hidden1);
export const hidden3 = Dense(10, { activation: 'relu' })(hidden2);
export const output = Dense(1, { activation: 'sigmoid' })(hidden3);
export const model = Model({ inputs: x, outputs: output });

/** How the seed's model is trained here: the loss and metrics Keras users pick for this task. */
export const training: CompileArgs<'accuracy'> = {
  optimizer: 'adam',
  loss: 'binaryCrossentropy',
  metrics: ['accuracy'],
};

/** Synthetic data: the label says whether the first eight features add up to more than 0. */
export function data(samples = 512): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const features = tf.randomNormal<tf.Rank.R2>([samples, 32], 0, 1, 'float32', 1);
    const label = tf.greater(tf.sum(tf.slice(features, [0, 0], [-1, 8]), 1, true), 0);
    return { x: features, y: tf.cast(label, 'float32') };
  });
}
