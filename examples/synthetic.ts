// Synthetic data with a learnable signal for the reference models, so that training visibly lowers the loss.
// Seeded, so every run sees the same data.
import * as tf from '@tensorflow/tfjs';

/** A 0/1 label per sample, half of each. */
function binaryLabels(samples: number, seed: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([samples], 0, 1, 'float32', seed), 0.5), 'float32'));
}

/** A class in [0, classes) per sample. */
function classLabels(samples: number, classes: number, seed: number): tf.Tensor {
  return tf.randomUniform<tf.Rank.R1>([samples], 0, classes, 'int32', seed);
}

/**
 * Images of noise with a bright patch whose place depends on the class (for 10 classes on a 64x64 image,
 * a row of 10 patches): a convolutional network learns it in a few epochs.
 */
export function patchImages(
  labels: tf.Tensor,
  classes: number,
  shape: readonly [number, number, number],
  seed: number,
): tf.Tensor {
  return tf.tidy(() => {
    const [height, width, channels] = shape;
    const samples = labels.shape[0];
    const noise = tf.randomNormal<tf.Rank.R4>([samples, height, width, channels], 0, 0.5, 'float32', seed);
    const band = Math.max(1, Math.floor(width / classes));
    const columns = tf.floorDiv(tf.range(0, width, 1, 'int32'), band); // the class each column belongs to
    const rows = tf.less(tf.range(0, height, 1, 'int32'), Math.max(1, Math.floor(height / 4)));
    const inPatch = tf.logicalAnd(
      tf.reshape(rows, [1, height, 1, 1]),
      tf.equal(tf.reshape(columns, [1, 1, width, 1]), tf.reshape(labels, [samples, 1, 1, 1])),
    );
    return tf.add(noise, tf.mul(tf.cast(inPatch, 'float32'), 2));
  });
}

export function oneHot(labels: tf.Tensor, classes: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(labels, classes), 'float32'));
}

export { binaryLabels, classLabels };
