// Multilayer Perceptron: binary classification of 32 features through three Dense layers.
// Ported line for line from the Keras seed (shared/seeds, "Multilayer Perceptron").
import { Dense, Input, Model } from 'kerats';

export const x = Input([32]);
export const hidden1 = Dense(10, { activation: 'relu' })(x);
export const hidden2 = Dense(20, { activation: 'relu' })(hidden1);
export const hidden3 = Dense(10, { activation: 'relu' })(hidden2);
export const output = Dense(1, { activation: 'sigmoid' })(hidden3);
export const model = Model({ inputs: x, outputs: output });
