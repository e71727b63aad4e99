// The GPU path (tfjs-node-gpu, CUDA). No CI machine has a GPU, so this runs only with KERATS_TEST_GPU=1, on a
// machine set up as docs/gpu.md says: there it must train the CNN on the 'gpu' backend, with the stock kernels.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as cnn from '../examples/cnn.ts';
import { useBackend } from '../src/index.ts';

describe.runIf(process.env.KERATS_TEST_GPU === '1')('on a CUDA GPU', () => {
  it('trains the CNN on the gpu backend, with its stock gradient kernels, and the loss falls', async () => {
    expect(await useBackend('gpu')).toBe('gpu');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(Reflect.get(tf.backend(), 'isUsingGpuDevice')).toBe(true);
    const { x, y } = cnn.data(256);
    const model = cnn.model.compile(cnn.training);
    const before = (await model.evaluate(x, y)).loss ?? Number.NaN;
    const start = performance.now();
    await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
    const samplesPerSecond = (256 * 3) / ((performance.now() - start) / 1000);
    const after = (await model.evaluate(x, y)).loss ?? Number.NaN;
    console.log(
      `CNN on the GPU: ${samplesPerSecond.toFixed(0)} samples/s, loss ${before.toFixed(3)} -> ${after.toFixed(3)}`,
    );
    expect(after).toBeLessThan(before);
  });
});
