// Convolutional Neural Network: 10-way classification of 64x64 RGB images.
// Ported line for line from the Keras seed (shared/seeds, "Convolutional Neural Network").
import * as tf from '@tensorflow/tfjs';
import { type CompileArgs, Conv2D, Dense, Flatten, Input, MaxPooling2D, Model } from 'kerats';
import { classLabels, oneHot, patchImages } from './synthetic.ts';

export const x = Input([64, 64, 3]);
export const conv1 = Conv2D(16, [5, 5], { activation: 'relu' })(x);
export const pool1 = MaxPooling2D([2, 2])(conv1);
export const conv2 = Conv2D(32, [3, 3], { activation: 'relu' })(pool1);
export const pool2 = MaxPooling2D([2, 2])(conv2);
export const conv3 = Conv2D(32, [3, 3], { activation: 'relu' })(pool2);
export const pool3 = MaxPooling2D([2, 2])(conv3);
export const flat = Flatten()(pool3);
export const hidden1 = Dense(512, { activation: 'relu' })(flat);
export const output = Dense(10, { activation: 'softmax' })(hidden1);
export const model = Model({ inputs: x, outputs: output });

/** How the seed's model is trained here: the loss and metrics Keras users pick for this task. */
export const training: CompileArgs<'accuracy'> = {
  optimizer: { name: 'adam', learningRate: 0.002 },
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
};

/** Synthetic data: noise images with a bright patch whose column says the class. */
export function data(samples = 128): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const labels = classLabels(samples, 10, 2);
    return { x: patchImages(labels, 10, [64, 64, 3], 3), y: oneHot(labels, 10) };
  });
}
