// Shared Input Layer: two convolutional feature extractors with different kernels read the same image.
// Ported line for line from the Keras seed (shared/seeds, "Shared Input Layer Model"). As in the seed,
// `hidden1` is computed but the output reads `merge`: kerats warns that hidden1 reaches no output, and
// leaves it out of the model as Keras does.
import * as tf from '@tensorflow/tfjs';
import { type CompileArgs, Concatenate, Conv2D, Dense, Flatten, Input, MaxPooling2D, Model } from 'kerats';
import { classLabels, oneHot, patchImages } from './synthetic.ts';

// input layer
export const x = Input([64, 64, 3]);
// first feature extractor
export const conv1 = Conv2D(32, [3, 3], { activation: 'relu' })(x);
export const pool1 = MaxPooling2D([2, 2])(conv1);
export const flat1 = Flatten()(pool1);
// second feature extractor
export const conv2 = Conv2D(16, [5, 5], { activation: 'relu' })(x);
export const pool2 = MaxPooling2D([2, 2])(conv2);
export const flat2 = Flatten()(pool2);
// merge feature
export const merge = Concatenate()([flat1, flat2]);
// interpretation layer
export const hidden1 = Dense(128, { activation: 'relu' })(merge);
// prediction layer
export const output = Dense(10, { activation: 'softmax' })(merge);
export const model = Model({ inputs: x, outputs: output });

/** How the seed's model is trained here: the loss and metrics Keras users pick for this task. */
export const training: CompileArgs<'accuracy'> = {
  optimizer: { name: 'adam', learningRate: 0.0002 },
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
};

/** Synthetic data: noise images with a bright patch whose column says the class. */
export function data(samples = 128): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const labels = classLabels(samples, 10, 7);
    return { x: patchImages(labels, 10, [64, 64, 3], 8), y: oneHot(labels, 10) };
  });
}
