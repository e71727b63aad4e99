// Shared Feature Extraction Layer: one LSTM's output read by two interpretation branches.
// Ported line for line from the Keras seed (shared/seeds, "Shared Feature Extraction Layer").
import { Concatenate, Dense, Input, LSTM, Model } from 'kerats';

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
