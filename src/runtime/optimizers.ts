// Optimizers by Keras's names, with Keras's default learning rates.
import * as tf from '@tensorflow/tfjs';

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop' | 'adagrad';
export const optimizerNames: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop', 'adagrad'];

/** Keras's default learning rates. */
const defaultRates: Record<OptimizerName, number> = { adam: 0.001, sgd: 0.01, rmsprop: 0.001, adagrad: 0.001 };

export function makeOptimizer(name: OptimizerName, learningRate = defaultRates[name]): tf.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
  }
}
