// Convolutional Neural Network: 10-way classification of 64x64 RGB images.
// Ported line for line from the Keras seed (shared/seeds, "Convolutional Neural Network").
import { Conv2D, Dense, Flatten, Input, MaxPooling2D, Model } from 'kerats';

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
