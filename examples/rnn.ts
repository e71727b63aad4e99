// Recurrent Neural Network: binary classification of 100-token sequences with an Embedding and an LSTM.
// Ported line for line from the Keras seed (shared/seeds, "Recurrent Neural Network").
import { Dense, Embedding, Input, LSTM, Model } from 'kerats';

export const VOCAB_SIZE = 10000;
export const EMBED_DIM = 128;

export const x = Input([100], { dtype: 'int32' });
export const embedding = Embedding(VOCAB_SIZE, EMBED_DIM, { maskZero: true })(x);
export const hidden1 = LSTM(64)(embedding);
export const hidden2 = Dense(32, { activation: 'relu' })(hidden1);
export const output = Dense(1, { activation: 'sigmoid' })(hidden2);
export const model = Model({ inputs: x, outputs: output });
