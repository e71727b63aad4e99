// Bidirectional recurrent neural network: 10-way tagging of every token of a 100-token sequence.
// Ported line for line from the Keras seed (shared/seeds, "Bidirectional recurrent neural network").
import * as tf from '@tensorflow/tfjs';
import { Bidirectional, type CompileArgs, Dense, Embedding, Input, LSTM, Model } from 'kerats';

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

/** How the seed's model is trained here: the loss and metrics Keras users pick for this task. */
export const training: CompileArgs<'accuracy'> = {
  optimizer: { name: 'adam', learningRate: 0.01 },
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
};

/** Synthetic data: each token's tag is its id modulo 10. */
export function data(samples = 128): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const ids = tf.randomUniform<tf.Rank.R2>([samples, 100], 1, VOCAB_SIZE, 'int32', 6);
    return { x: ids, y: tf.cast(tf.oneHot(tf.mod(ids, tf.scalar(10, 'int32')), 10), 'float32') };
  });
}
