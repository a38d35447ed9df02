/**
 * KPCA-CAM — Karmani et al., "KPCA-CAM: Visual Explainability of Deep Computer Vision Models using Kernel PCA",
 * IEEE MMSP 2024 (arXiv:2410.00267).
 *
 *   M = A as [hw × K], centred per channel;  Kᵢⱼ = tanh(γ·⟨Mᵢ, Mⱼ⟩ + 1), γ = 1/K (sigmoid kernel);
 *   K̃ = K double-centred;  L = √λ₁·u₁ (top eigenpair of K̃: the first kernel principal component)
 *
 * Cost per frame: 1 forward, no gradient, plus an [hw × hw] kernel and its top eigenpair in float64 JS
 * (symmetric-eigen.ts; 7×7 layers → 49×49, microseconds). Class-agnostic.
 * Reference (pytorch-grad-cam KPCA_CAM = sklearn KernelPCA(n_components=1, kernel='sigmoid', gamma=None)):
 * sklearn's defaults γ = 1/n_features and coef0 = 1, the centred kernel, the largest algebraic eigenvalue
 * (ARPACK 'LA'), and svd_flip's sign: the entry of u₁ with the largest magnitude is positive. The README of the
 * reference data accepts either sign; we keep sklearn's rule.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withKernelCheck } from './base.js';
import { largestEigenpair } from './symmetric-eigen.js';
import type { CamMethod } from './types.js';

/** Sigmoid kernels tanh(γ·M·Mᵀ + coef0) of the per-channel-centred positions, per frame → [N, hw, hw]. */
export function sigmoidKernels(activations: tf.Tensor4D, coef0 = 1): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, h, w, k] = activations.shape;
    const flat = tf.reshape(activations, [n, h * w, k]) as tf.Tensor3D;
    const centred = tf.sub(flat, tf.mean(flat, 1, true)) as tf.Tensor3D;
    return tf.tanh(tf.add(tf.mul(tf.matMul(centred, centred, false, true), 1 / k), coef0)) as tf.Tensor3D;
  });
}

/**
 * The first kernel principal component of one frame from its kernel (row-major m×m): double centring
 * (sklearn's KernelCenterer), the largest eigenpair, √λ·u with svd_flip's sign (largest |uᵢ| positive).
 */
export function firstKernelComponent(kernel: ArrayLike<number>, m: number): Float64Array {
  const rowMean = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += kernel[i * m + j]!;
    rowMean[i] = s / m;
    total += s;
  }
  total /= m * m;
  const centred = new Float64Array(m * m);
  // The kernel is symmetric, so column means equal row means.
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) centred[i * m + j] = kernel[i * m + j]! - rowMean[i]! - rowMean[j]! + total;
  const { value, vector } = largestEigenpair(centred, m);
  let top = 0;
  for (let i = 1; i < m; i++) if (Math.abs(vector[i]!) > Math.abs(vector[top]!)) top = i;
  const scale = Math.sqrt(Math.max(value, 0)) * (vector[top]! < 0 ? -1 : 1);
  return vector.map((x) => x * scale);
}

export const kpcaCam: CamMethod = {
  id: 'kpca-cam',
  title: 'KPCA-CAM',
  paper: 'Karmani et al., MMSP 2024',
  group: 'eigen',
  needsGradients: false,
  perChannelPasses: false,
  optIn: true,
  cost: '1 fwd (no grad) + hw×hw kernel eigenpair',
  map: (ctx) =>
    withKernelCheck('kpca-cam', () => {
      const [n, h, w] = ctx.activations.shape;
      const m = h * w;
      const kernels = sigmoidKernels(ctx.activations);
      const values = kernels.dataSync();
      kernels.dispose();
      const out = new Float32Array(n * m);
      for (let f = 0; f < n; f++) out.set(firstKernelComponent(values.subarray(f * m * m, (f + 1) * m * m), m), f * m);
      return tf.tensor3d(out, [n, h, w]);
    }),
};
