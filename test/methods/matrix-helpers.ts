/** The registry matrix check shared by the fixture (cpu) and mobilenet-v2 (wasm) matrix tests. */
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { normalizeCam, rawCam } from '../../src/explain/methods/base.js';
import type { CamContext, CamMethod } from '../../src/explain/methods/types.js';

/** Lets the worker's event loop breathe between long synchronous tfjs calls (vitest's RPC times out otherwise). */
const breathe = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Runs `method` on `ctx` 1 + `repeats` times: shape [N,h,w], values in [0,1], no NaN, tensor count flat. */
export async function checkMethod(method: CamMethod, ctx: CamContext, repeats = 2): Promise<void> {
  const [n, h, w] = ctx.activations.shape;
  const once = (): void => {
    const maps = tf.tidy(() => normalizeCam(rawCam(method, ctx)));
    try {
      expect(maps.shape).toEqual([n, h, w]);
      const v = maps.dataSync();
      let lo = Infinity, hi = -Infinity;
      for (const x of v) {
        expect(Number.isNaN(x), `${method.id}: NaN`).toBe(false);
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
    } finally {
      maps.dispose();
    }
  };
  once(); // first call may fill the context's gradient cache
  await breathe();
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) {
    once();
    await breathe();
  }
  expect(tf.memory().numTensors, `${method.id}: tensors leaked`).toBe(before);
}
