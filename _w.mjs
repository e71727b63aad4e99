import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

await tf.setBackend(process.argv[2]);
await tf.ready();
function bench(name, f, flops) {
  tf.tidy(() => f().dataSync());
  const t1 = performance.now();
  for (let i = 0; i < 3; i++) tf.tidy(() => f().dataSync());
  const ms = (performance.now() - t1) / 3;
  console.log(name, ms.toFixed(1), 'ms', (flops / ms / 1e6).toFixed(2), 'GFLOP/s');
}
const x = tf.randomNormal([32, 64, 64, 3]),
  w = tf.randomNormal([5, 5, 3, 16]);
bench('conv1 5x5 3->16', () => tf.conv2d(x, w, 1, 'valid'), 32 * 60 * 60 * 16 * 75 * 2);
const x2 = tf.randomNormal([32, 30, 30, 16]),
  w2 = tf.randomNormal([3, 3, 16, 32]);
bench('conv2 3x3 16->32', () => tf.conv2d(x2, w2, 1, 'valid'), 32 * 28 * 28 * 32 * 144 * 2);
const x1 = tf.randomNormal([1, 64, 64, 3]);
bench('conv1 batch1', () => tf.conv2d(x1, w, 1, 'valid'), 60 * 60 * 16 * 75 * 2);
bench(
  'conv1 NCHW-ish via fused',
  () => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'valid' }),
  32 * 60 * 60 * 16 * 75 * 2,
);
