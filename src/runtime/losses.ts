// Losses and metrics as Keras computes them. Each output's loss is reduced to a scalar before the outputs are
// weighted and added (tfjs-layers adds them first, and fails to broadcast [batch] with [batch, steps]).
import * as tf from '@tensorflow/tfjs';

export type LossName =
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError';

export const lossNames: readonly LossName[] = [
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
];

export type MetricName = 'accuracy' | 'mae' | 'mse';
export const metricNames: readonly MetricName[] = ['accuracy', 'mae', 'mse'];

const epsilon = 1e-7;

/** One output's loss, reduced to one scalar: the mean over samples (and steps). */
export function loss(name: LossName, target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  return tf.tidy(() => lossTensor(name, target, prediction).asScalar());
}

function lossTensor(name: LossName, target: tf.Tensor, prediction: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'binaryCrossentropy': {
      const p = tf.clipByValue(prediction, epsilon, 1 - epsilon);
      const y = tf.cast(target, 'float32');
      return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))));
    }
    case 'categoricalCrossentropy': {
      const p = tf.clipByValue(tf.div(prediction, tf.sum(prediction, -1, true)), epsilon, 1 - epsilon);
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.cast(target, 'float32'), tf.log(p)), -1)));
    }
    case 'sparseCategoricalCrossentropy': {
      const classes = prediction.shape[prediction.rank - 1] ?? 1;
      const ids = tf.reshape(tf.cast(target, 'int32'), prediction.shape.slice(0, -1));
      const p = tf.clipByValue(prediction, epsilon, 1 - epsilon);
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(ids, classes), tf.log(p)), -1)));
    }
    case 'meanSquaredError':
      return tf.mean(tf.squaredDifference(prediction, tf.cast(target, 'float32')));
    case 'meanAbsoluteError':
      return tf.mean(tf.abs(tf.sub(prediction, tf.cast(target, 'float32'))));
  }
}

/**
 * A metric as Keras chooses it: 'accuracy' is binary accuracy for a sigmoid-like output (binary cross-entropy,
 * or one unit), sparse categorical for sparse targets, categorical otherwise.
 */
export function metric(name: MetricName, lossName: LossName, target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  return tf.tidy(() => metricTensor(name, lossName, target, prediction).asScalar());
}

function metricTensor(name: MetricName, lossName: LossName, target: tf.Tensor, prediction: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'mae':
      return tf.mean(tf.abs(tf.sub(prediction, tf.cast(target, 'float32'))));
    case 'mse':
      return tf.mean(tf.squaredDifference(prediction, tf.cast(target, 'float32')));
    case 'accuracy': {
      const units = prediction.shape[prediction.rank - 1] ?? 1;
      if (lossName === 'binaryCrossentropy' || (units === 1 && lossName !== 'sparseCategoricalCrossentropy'))
        return tf.mean(
          tf.cast(tf.equal(tf.greater(prediction, 0.5), tf.greater(tf.cast(target, 'float32'), 0.5)), 'float32'),
        );
      const predicted = tf.argMax(prediction, -1);
      const actual =
        lossName === 'sparseCategoricalCrossentropy'
          ? tf.reshape(tf.cast(target, 'int32'), predicted.shape)
          : tf.argMax(target, -1);
      return tf.mean(tf.cast(tf.equal(predicted, actual), 'float32'));
    }
  }
}

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
