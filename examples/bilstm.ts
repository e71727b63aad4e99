// Bidirectional recurrent neural network: 10-way tagging of every token of a 100-token sequence.
// Ported line for line from the Keras seed (shared/seeds, "Bidirectional recurrent neural network").
import { Bidirectional, Dense, Embedding, Input, LSTM, Model } from 'kerats';

export const VOCAB_SIZE = 10000;
export const EMBED_DIM = 128;
export const HIDDEN_SIZE = 64;

// input layer
export const x = Input([100], { dtype: 'int32' });
// embedding layer
export const embedding = Embedding(VOCAB_SIZE, EMBED_DIM, { maskZero: true })(x);
// BiLSTM layer
export const hidden = Bidirectional(LSTM(HIDDEN_SIZE, { returnSequences: true }))(embedding);
// prediction layer
export const output = Dense(10, { activation: 'softmax' })(hidden);
export const model = Model({ inputs: x, outputs: output });
