/** The wasm AvgPoolGrad route (non-overlapping VALID pooling as a broadcast) against the cpu backend. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, seededValues } from './backend-compare.js';
import { selectBackend } from '../../src/explain/backend/backend.js';
import { tiledPoolWindow } from '../../src/explain/backend/wasm-kernels/index.js';

beforeAll(async () => {
  await selectBackend('wasm'); // registers the project's gradient kernels
});

describe('wasm AvgPoolGrad', () => {
  it.each([
    [[2, 7, 7, 5], 7, 7, 'valid'], // global pooling (MobileNetV2's head)
    [[2, 8, 8, 3], 2, 2, 'valid'], // tiled 2×2
    [[1, 9, 7, 4], 2, 2, 'valid'], // tiled, last row/column dropped by VALID
    [[1, 6, 6, 2], 3, 1, 'valid'], // overlapping: stock kernel
    [[1, 7, 7, 2], 2, 2, 'same'], // padded: stock kernel
  ] as const)('x %j, pool %i stride %i %s matches cpu', async (shape, pool, stride, pad) => {
    const n = (shape as readonly number[]).reduce((a, b) => a * b, 1);
    const x = seededValues(n, 11);
    const run = () => tf.grad((a: tf.Tensor) => {
      const y = tf.avgPool(a as tf.Tensor4D, pool, stride, pad);
      return tf.sum(tf.mul(y, tf.reshape(tf.range(1, y.size + 1, 1), y.shape)));
    })(tf.tensor4d(x, shape as unknown as [number, number, number, number]));
    const { relErr, leaked } = await compareWithCpu(run);
    expect(relErr).toBeLessThan(1e-6);
    expect(leaked).toBe(0);
  });

  it('takes the broadcast route only for non-overlapping, unpadded windows', () => {
    const info = (shape: [number, number, number, number], f: number, s: number, pad: 'valid' | 'same') =>
      tf.backend_util.computePool2DInfo(shape, f, s, 1, pad);
    expect(tiledPoolWindow(info([1, 7, 7, 3], 7, 7, 'valid'))).toEqual({ fh: 7, fw: 7 });
    expect(tiledPoolWindow(info([1, 8, 8, 3], 2, 2, 'valid'))).toEqual({ fh: 2, fw: 2 });
    expect(tiledPoolWindow(info([1, 8, 8, 3], 3, 1, 'valid'))).toBeUndefined();
    expect(tiledPoolWindow(info([1, 7, 7, 3], 2, 2, 'same'))).toBeUndefined();
  });
});
