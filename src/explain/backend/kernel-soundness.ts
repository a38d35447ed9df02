/**
 * Some stock kernels are present but wrong. tfjs-backend-wasm 4.22's MaxPoolGrad drops the gradient of every
 * pooling window whose values are all negative (as if its running max started at 0; measured against the cpu
 * backend), so a gradient through a max-pool layer would be silently wrong. Before differentiating through such a layer we probe the kernel once
 * per backend on a small input whose answer is computed here in plain JS; a wrong answer is an E_BACKEND error
 * instead of a wrong heatmap.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import type { GraphStep } from '../model/model-graph.js';

const verdicts = new Map<string, boolean>();

/** True when the active backend's max-pool gradient is right on a 2×6×6×3 probe (2×2 pool, stride 2). */
export function maxPoolGradIsSound(): boolean {
  const backend = tf.getBackend();
  const known = verdicts.get(backend);
  if (known !== undefined) return known;
  const [n, h, w, c] = [2, 6, 6, 3];
  const x = new Float32Array(n * h * w * c);
  // Distinct values (no ties), all negative in the second frame: a kernel that starts its max at 0 fails there.
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 211) / 211 - (i >= x.length / 2 ? 1.5 : 0);
  const expected = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < h / 2; oy++)
      for (let ox = 0; ox < w / 2; ox++)
        for (let ch = 0; ch < c; ch++) {
          let best = -1;
          for (let dy = 0; dy < 2; dy++)
            for (let dx = 0; dx < 2; dx++) {
              const idx = ((b * h + oy * 2 + dy) * w + ox * 2 + dx) * c + ch;
              if (best < 0 || x[idx] > x[best]) best = idx;
            }
          expected[best] += 1 + ch; // dy = 1 + channel
        }
  const got = tf.tidy(() => {
    const t = tf.tensor4d(x, [n, h, w, c]);
    const dy = tf.add(tf.zeros([n, h / 2, w / 2, c]), tf.tensor1d([1, 2, 3]));
    return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), dy)))(t);
  });
  const values = got.dataSync();
  got.dispose();
  let ok = true;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i] - expected[i]) > 1e-6) ok = false;
  verdicts.set(backend, ok);
  return ok;
}

/** Throws E_BACKEND when `steps` contain a max-pool and the backend's MaxPoolGrad is unsound. */
export function assertGradientKernelsSound(steps: readonly GraphStep[], what: string): void {
  if (!steps.some((s) => s.layer.getClassName() === 'MaxPooling2D')) return;
  if (maxPoolGradIsSound()) return;
  throw new MetacamError(
    'E_BACKEND',
    `${what} passes through a MaxPooling2D layer, and backend '${tf.getBackend()}' computes the 'MaxPoolGrad' kernel wrongly; ` +
      `use --backend cpu (slow) or --backend tensorflow, or pick a target layer after the max-pool`,
  );
}
