/** The wasm MaxPoolGrad replacement against the cpu backend, including all-negative windows (stock wasm's bug). */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, seededValues } from './backend-compare.js';
import { selectBackend } from '../../src/explain/backend/backend.js';
import { maxPoolGradIsSound } from '../../src/explain/backend/kernel-soundness.js';

beforeAll(async () => {
  await selectBackend('wasm'); // sets the wasm path and registers the project's gradient kernels
});

describe('wasm MaxPoolGrad', () => {
  it.each([
    [[2, 8, 8, 3], 2, 2, 'valid', 0],
    [[1, 9, 7, 4], 2, 2, 'same', 0],
    [[2, 8, 8, 2], 3, 2, 'same', 0],
    [[1, 6, 6, 5], 3, 1, 'valid', 0],
    [[2, 8, 8, 3], 2, 2, 'valid', -2], // every window all negative
  ] as const)('x %j, pool %i stride %i %s, offset %d matches cpu', async (shape, pool, stride, pad, offset) => {
    const n = (shape as readonly number[]).reduce((a, b) => a * b, 1);
    const x = seededValues(n, 7).map((v) => v + offset);
    const run = () => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, pool, stride, pad), tf.range(1, 2, 1)))) (tf.tensor4d(x, shape as unknown as [number, number, number, number]));
    const { relErr, leaked } = await compareWithCpu(run);
    expect(relErr).toBeLessThan(1e-6);
    expect(leaked).toBe(0);
  });

  it('passes the soundness probe that gates gradients through max-pooling', async () => {
    await tf.setBackend('wasm');
    expect(maxPoolGradIsSound()).toBe(true);
  });
});
