// Multiple Output Model: one LSTM reads a sequence; one head classifies it, another tags every step.
// Ported line for line from the Keras seed (shared/seeds, "Multiple Output Model").
import { Dense, Input, LSTM, Model, TimeDistributed } from 'kerats';

export const x = Input([100, 1]);
export const extract = LSTM(10, { returnSequences: true })(x);
export const class11 = LSTM(10)(extract);
export const class12 = Dense(10, { activation: 'relu' })(class11);
export const output1 = Dense(1, { activation: 'sigmoid' })(class12);
export const output2 = TimeDistributed(Dense(1, { activation: 'linear' }))(extract);
export const model = Model({ inputs: x, outputs: [output1, output2] });
