// What CenterCrop and Resizing share: Keras 3's image resize (keras/src/backend/tensorflow/image.py, `resize`):
// with crop_to_aspect_ratio, the largest centered crop of the target's aspect ratio first; then tf.image.resize,
// whose pixel centers are at half-pixel offsets (TF 2), without antialiasing. On [batch, height, width, channels].
import * as tf from '@tensorflow/tfjs';

export type Interpolation = 'bilinear' | 'nearest';

/** A batch of [height, width, channels] images, as float32 with tfjs's rank-4 type. */
export function asImages(input: tf.Tensor): tf.Tensor4D {
  const [batch = 1, height = 1, width = 1, channels = 1] = input.shape;
  return tf.reshape(tf.cast(input, 'float32'), [batch, height, width, channels]);
}

/** The largest centered window of the target's aspect ratio, as Keras computes it (float division, truncated). */
export function cropToAspect(images: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  const [, rows = 1, columns = 1] = images.shape;
  const cropRows = Math.max(Math.min(rows, Math.trunc(Math.fround((columns * height) / width))), 1);
  const cropColumns = Math.max(Math.min(columns, Math.trunc(Math.fround((rows * width) / height))), 1);
  const top = Math.trunc((rows - cropRows) / 2);
  const left = Math.trunc((columns - cropColumns) / 2);
  return tf.slice(images, [0, top, left, 0], [-1, cropRows, cropColumns, -1]);
}

/** tf.image.resize(images, [height, width], method) of TF 2: half-pixel centers, no corner alignment. */
export function resizeImages(
  images: tf.Tensor4D,
  height: number,
  width: number,
  interpolation: Interpolation,
): tf.Tensor4D {
  const size: [number, number] = [height, width];
  return interpolation === 'bilinear'
    ? tf.image.resizeBilinear(images, size, false, true)
    : tf.image.resizeNearestNeighbor(images, size, false, true);
}
