// Metrics as Keras computes them, with Keras's resolution of 'accuracy' by the loss.
import * as tf from '@tensorflow/tfjs';
import type { Loss } from './losses.ts';

export type MetricName = 'accuracy' | 'mae' | 'mse';
export const metricNames: readonly MetricName[] = ['accuracy', 'mae', 'mse'];

/**
 * A metric as Keras chooses it: 'accuracy' is binary accuracy for a sigmoid-like output (binary cross-entropy,
 * or one unit), sparse categorical for sparse targets, categorical otherwise.
 */
export function metric(name: MetricName, loss: Loss, target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  return tf.tidy(() => metricTensor(name, loss, target, prediction).asScalar());
}

function metricTensor(name: MetricName, loss: Loss, target: tf.Tensor, prediction: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'mae':
      return tf.mean(tf.abs(tf.sub(prediction, tf.cast(target, 'float32'))));
    case 'mse':
      return tf.mean(tf.squaredDifference(prediction, tf.cast(target, 'float32')));
    case 'accuracy': {
      const units = prediction.shape[prediction.rank - 1] ?? 1;
      const sparse = loss.lossName === 'sparseCategoricalCrossentropy';
      if (loss.lossName === 'binaryCrossentropy' || (units === 1 && !sparse))
        return tf.mean(
          tf.cast(tf.equal(tf.greater(prediction, 0.5), tf.greater(tf.cast(target, 'float32'), 0.5)), 'float32'),
        );
      const predicted = tf.argMax(prediction, -1);
      const actual = sparse ? tf.reshape(tf.cast(target, 'int32'), predicted.shape) : tf.argMax(target, -1);
      return tf.mean(tf.cast(tf.equal(predicted, actual), 'float32'));
    }
  }
}
