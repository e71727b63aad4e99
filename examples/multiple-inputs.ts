// Multiple Input Model: a 64x64 grey image and a 32x32 RGB image, each through its own convolutions, merged
// for a binary decision. Ported line for line from the Keras seed (shared/seeds, "Multiple Input Model").
// The inputs are named, so the compiler checks that the model lists both.
import * as tf from '@tensorflow/tfjs';
import { type CompileArgs, Concatenate, Conv2D, Dense, Flatten, Input, MaxPooling2D, Model } from 'kerats';
import { binaryLabels } from './synthetic.ts';

// first input model
export const input1 = Input([64, 64, 1], { name: 'input1' });
export const conv11 = Conv2D(32, [5, 5], { activation: 'relu' })(input1);
export const pool11 = MaxPooling2D([2, 2])(conv11);
export const conv12 = Conv2D(16, [3, 3], { activation: 'relu' })(pool11);
export const pool12 = MaxPooling2D([2, 2])(conv12);
export const flat1 = Flatten()(pool12);
// second input model
export const input2 = Input([32, 32, 3], { name: 'input2' });
export const conv21 = Conv2D(32, [5, 5], { activation: 'relu' })(input2);
export const pool21 = MaxPooling2D([2, 2])(conv21);
export const conv22 = Conv2D(16, [3, 3], { activation: 'relu' })(pool21);
export const pool22 = MaxPooling2D([2, 2])(conv22);
export const flat2 = Flatten()(pool22);
// merge input models
export const merge = Concatenate()([flat1, flat2]);
// interpretation model
export const hidden1 = Dense(20, { activation: 'relu' })(merge);
export const output = Dense(1, { activation: 'sigmoid' })(hidden1);
export const model = Model({ inputs: [input1, input2], outputs: output });

/** How the seed's model is trained here: the loss and metrics Keras users pick for this task. */
export const training: CompileArgs<'accuracy'> = {
  optimizer: 'adam',
  loss: 'binaryCrossentropy',
  metrics: ['accuracy'],
};

/** Synthetic data: in class 1 both images are brighter. */
export function data(samples = 128): { x: { input1: tf.Tensor; input2: tf.Tensor }; y: tf.Tensor } {
  return tf.tidy(() => {
    const labels = binaryLabels(samples, 11);
    const offset = tf.reshape(labels, [samples, 1, 1, 1]);
    const first = tf.add(tf.randomNormal<tf.Rank.R4>([samples, 64, 64, 1], 0, 1, 'float32', 12), offset);
    const second = tf.add(tf.randomNormal<tf.Rank.R4>([samples, 32, 32, 3], 0, 1, 'float32', 13), offset);
    return { x: { input1: first, input2: second }, y: tf.reshape(labels, [samples, 1]) };
  });
}
