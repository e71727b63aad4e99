// Recurrent Neural Network: binary classification of 100-token sequences with an Embedding and an LSTM.
// Ported line for line from the Keras seed (shared/seeds, "Recurrent Neural Network").
import * as tf from '@tensorflow/tfjs';
import { type CompileArgs, Dense, Embedding, Input, LSTM, Model } from 'kerats';
import { binaryLabels } from './synthetic.ts';

export const VOCAB_SIZE = 10000;
export const EMBED_DIM = 128;

export const x = Input([100], { dtype: 'int32' });
export const embedding = Embedding(VOCAB_SIZE, EMBED_DIM, { maskZero: true })(x);
export const hidden1 = LSTM(64)(embedding);
export const hidden2 = Dense(32, { activation: 'relu' })(hidden1);
export const output = Dense(1, { activation: 'sigmoid' })(hidden2);
export const model = Model({ inputs: x, outputs: output });

/** How the seed's model is trained here: the loss and metrics Keras users pick for this task. */
export const training: CompileArgs<'accuracy'> = {
  // 0.005 trained faster but diverged in about one 3-epoch run in ten on 128 samples; 0.002 falls steadily.
  optimizer: { name: 'adam', learningRate: 0.002 },
  loss: 'binaryCrossentropy',
  metrics: ['accuracy'],
};

/** Synthetic data: class 1 sequences use ids below 5000, class 0 ids from 5000 on (0 is padding). */
export function data(samples = 256): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const labels = binaryLabels(samples, 4);
    const ids = tf.randomUniform<tf.Rank.R2>([samples, 100], 1, VOCAB_SIZE / 2, 'int32', 5);
    const shift = tf.cast(tf.mul(tf.sub(1, tf.reshape(labels, [samples, 1])), VOCAB_SIZE / 2 - 1), 'int32');
    return { x: tf.add(ids, shift), y: tf.reshape(labels, [samples, 1]) };
  });
}
