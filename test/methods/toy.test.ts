/**
 * Hand-computable toys: a 2×2 feature map with 2 channels (A₀ = [[1,0],[0,0]], A₁ = [[0,0],[0,2]]) and hand-set
 * gradients (g₀ = 0.5 everywhere, g₁ = [[−1,0],[0,−1]]), so each method's raw map can be written down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getMethod } from '../../src/explain/methods/index.js';
import { rawCam } from '../../src/explain/methods/base.js';
import { toyContext } from './harness.js';

/** [h][w][k] nested → [1,h,w,k]. */
const nhwc = (ch: number[][][]): tf.Tensor4D => tf.tidy(() => tf.expandDims(tf.stack(ch.map((c) => tf.tensor2d(c)), 2), 0) as tf.Tensor4D);

let A: tf.Tensor4D;
let G: tf.Tensor4D;
beforeAll(async () => {
  await tf.setBackend('cpu');
  A = nhwc([[[1, 0], [0, 0]], [[0, 0], [0, 2]]]);
  G = nhwc([[[0.5, 0.5], [0.5, 0.5]], [[-1, 0], [0, -1]]]);
});
afterAll(() => tf.dispose([A, G]));

const raw = (id: string, ctx = toyContext({ activations: A, gradients: G })): number[] => {
  const t = rawCam(getMethod(id), ctx);
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('gradient methods on the 2×2 toy', () => {
  const alpha = 0.25 / (2 * 0.25 + 1 * 0.125 + 1e-6); // Grad-CAM++ α for channel 0 (g = 0.5, Σ A₀ = 1)
  it.each([
    ['gradcam', [0.5, 0, 0, -1]], // w = mean g = (0.5, −0.5)
    ['hirescam', [0.5, 0, 0, -2]], // Σ_k g⊙A
    ['gradcam-elementwise', [0.5, 0, 0, 0]], // Σ_k ReLU(g⊙A)
    ['layercam', [0.5, 0, 0, 0]], // Σ_k ReLU(g)⊙A
    ['xgradcam', [0.5, 0, 0, -2]], // w = (0.5/1, −2/2)
    ['gradcam++', [4 * alpha * 0.5, 0, 0, 0]], // w₀ = Σ α·ReLU(g) = 4·α·0.5, w₁ = 0 (ReLU(g₁) = 0)
  ])('%s', (id, expected) => {
    raw(id).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });
});

describe('perturbation methods on the toy', () => {
  // Linear head, class 0: y = mean_ij(A₀ + 3·A₁) + 1 = (1 + 6)/4 + 1 = 2.75 (class 1 is a constant 0).
  const head = (a: tf.Tensor4D): tf.Tensor2D => tf.add(tf.matMul(tf.mean(a, [1, 2]) as tf.Tensor2D, tf.tensor2d([[1, 0], [3, 0]])), tf.tensor1d([1, 0]));
  it('ablationcam: w_k = (y − y_k)/y', () => {
    const y = 2.75, y0 = 6 / 4 + 1, y1 = 1 / 4 + 1;
    const w0 = (y - y0) / y, w1 = (y - y1) / y;
    raw('ablationcam', toyContext({ activations: A, head })).forEach((v, i) => expect(v).toBeCloseTo([w0, 0, 0, 2 * w1][i], 6));
  });
  it('ablationcam with a 1-channel budget ablates only the channel with the larger mean (A₁)', () => {
    const w1 = (2.75 - 1.25) / 2.75;
    raw('ablationcam', toyContext({ activations: A, head, options: { maxChannels: 1 } })).forEach((v, i) => expect(v).toBeCloseTo([0, 0, 0, 2 * w1][i], 6));
  });
  it('scorecam: w = softmax(y(x ⊙ minmax(A_k)))', () => {
    // Input 2×2×1 = [[1,2],[3,4]]; upsampling 2×2 → 2×2 is the identity; masks: A₀/1 and A₁/2; y = Σ x.
    const input = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const model = (x: tf.Tensor4D): tf.Tensor2D => tf.stack([tf.sum(x, [1, 2, 3]), tf.zeros([x.shape[0]])], 1) as tf.Tensor2D;
    const s = Math.exp(1) + Math.exp(4);
    const expected = [Math.exp(1) / s, 0, 0, (2 * Math.exp(4)) / s];
    raw('scorecam', toyContext({ activations: A, input, model })).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    input.dispose();
  });
});

describe('eigencam on rank-one toys', () => {
  // A_k = c_k·A₀: centred columns are c_k·m with m = [0.75, −0.25, −0.25, −0.25]; v₁ = c/|c|; map = |c|·m.
  const m = [0.75, -0.25, -0.25, -0.25];
  it.each([
    ['K ≤ hw (K×K Gram)', [1, 2]],
    ['K > hw (hw×hw Gram)', [1, 2, 3, 4, 5]],
  ])('%s', (_, c) => {
    const acts = nhwc(c.map((k) => [[k, 0], [0, 0]]));
    const norm = Math.hypot(...c);
    raw('eigencam', toyContext({ activations: acts })).forEach((v, i) => expect(v).toBeCloseTo(norm * m[i], 5));
    acts.dispose();
  });
  it('sign follows Σ_k A_k: the bright pixels get the positive values', () => {
    // The SVD alone cannot tell ±v₁ apart (M and −M have the same Gram matrix); the sign rule must.
    const acts = nhwc([[[0, 1], [1, 1]], [[0, 2], [2, 2]]]); // bright everywhere but the top-left
    const v = raw('eigencam', toyContext({ activations: acts }));
    expect(v[0]).toBeLessThan(0);
    expect(v[3]).toBeGreaterThan(0);
    acts.dispose();
  });
});
