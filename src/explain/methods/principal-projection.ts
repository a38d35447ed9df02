/**
 * The projection Eigen-CAM and Eigen-Grad-CAM share: x [N,h,w,K] as [hw × K], centred per channel, projected on
 * its first right-singular vector, sign-fixed by the un-centred channel sum.
 *
 * Small layers (hw ≤ 128 positions: every real target layer, 7×7 → 49, 8×8 → 64) take the JS path: per frame the
 * un-centred Gram F·Fᵀ [hw×hw] as one 1×1 convolution, then in float64 JS the centring C·G·C, a power iteration
 * for the top eigenpair (u₁, λ₁) and the map √λ₁·u₁ (= M·v₁). Larger layers take the all-tensor path: the
 * smaller Gram (K×K, or hw×hw then v₁ ∝ Mᵀu₁) and a deterministic power iteration (12 squarings + 4 iterations
 * up to 256², plain iteration above). Both give the same map (test: principal-projection.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './base.js';

const SQUARINGS = 12; // G^4096: (λ₂/λ₁)^4096 is negligible even for λ₂ = 0.99·λ₁
const MAX_SQUARED_DIM = 256; // above this, m³ per squaring is too dear: plain power iteration
const PLAIN_ITERATIONS = 300;

const unitColumns = (v: tf.Tensor3D): tf.Tensor3D => tf.div(v, tf.maximum(tf.norm(v, 'euclidean', 1, true), 1e-30));
const unitScale = (t: tf.Tensor3D): tf.Tensor3D => tf.div(t, tf.maximum(tf.max(tf.abs(t), [1, 2], true), 1e-30));

/** Dominant eigenvector [N,m,1] of symmetric PSD matrices [N,m,m]; deterministic (no random start). */
export function topEigenvector(gram: tf.Tensor3D): tf.Tensor3D {
  const m = gram.shape[1];
  const g = unitScale(gram);
  let p = g;
  const squaring = m <= MAX_SQUARED_DIM;
  if (squaring) for (let i = 0; i < SQUARINGS; i++) p = unitScale(tf.matMul(p, p));
  // Start from the column with the largest diagonal entry: it cannot be orthogonal to the top eigenvector.
  const diag = tf.sum(tf.mul(p, tf.eye(m)), 2);
  let v = unitColumns(tf.matMul(p, tf.expandDims(oneHotFloat(tf.argMax(diag, 1), m), 2) as tf.Tensor3D));
  for (let i = 0; i < (squaring ? 4 : PLAIN_ITERATIONS); i++) v = unitColumns(tf.matMul(g, v));
  return v;
}

const JS_MAX_DIM = 128; // Gram matrices up to this size are solved in plain JS (float64), larger ones with tf ops
const JS_MAX_ITERATIONS = 2000;

/**
 * Dominant eigenvector of one symmetric PSD m×m matrix (row-major), by power iteration in float64 from the
 * column with the largest diagonal entry (deterministic, and not orthogonal to the top eigenvector). Why JS: for
 * the small Gram matrices of real layers (7×7 → 49×49) a few hundred tiny tf ops cost more in dispatch than the
 * arithmetic; here it is a few microseconds of loops.
 */
export function topEigenvectorJs(g: ArrayLike<number>, m: number): Float64Array {
  let start = 0;
  for (let i = 1; i < m; i++) if (g[i * m + i]! > g[start * m + start]!) start = i;
  let v = new Float64Array(m);
  for (let i = 0; i < m; i++) v[i] = g[i * m + start]!;
  let next = new Float64Array(m);
  const normalise = (a: Float64Array): boolean => {
    let s = 0;
    for (let i = 0; i < m; i++) s += a[i]! * a[i]!;
    if (s === 0) return false;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < m; i++) a[i]! *= inv;
    return true;
  };
  if (!normalise(v)) return v; // an all-zero matrix: no direction
  for (let it = 0; it < JS_MAX_ITERATIONS; it++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      const row = i * m;
      for (let j = 0; j < m; j++) s += g[row + j]! * v[j]!;
      next[i] = s;
    }
    if (!normalise(next)) return v;
    let change = 0;
    for (let i = 0; i < m; i++) change = Math.max(change, Math.abs(next[i]! - v[i]!));
    [v, next] = [next, v];
    if (change < 1e-9) break;
  }
  return v;
}

/**
 * Per-frame Gram matrices G_f = F_f·F_fᵀ [m×m] of x laid out as n frames of [m × k] (row-major), computed as one
 * 1×1 convolution per frame (input F_f as m pixels of k channels, filter F_fᵀ): on the wasm backend a convolution
 * runs through XNNPACK at ≈ 10× the speed of its BatchMatMul kernel (measured: 8 × [49×1280] Grams, 19 ms as one
 * batched matMul, ≈ 5 ms as eight convolutions including the uploads).
 */
export function gramMatrices(x: Float32Array, n: number, m: number, k: number): Float32Array {
  const out = new Float32Array(n * m * m);
  const transposed = new Float32Array(m * k);
  for (let f = 0; f < n; f++) {
    const frame = x.subarray(f * m * k, (f + 1) * m * k);
    for (let p = 0; p < m; p++) for (let c = 0; c < k; c++) transposed[c * m + p] = frame[p * k + c]!;
    const gram = tf.tidy(() => tf.conv2d(tf.tensor4d(frame, [1, 1, m, k]), tf.tensor4d(transposed, [1, 1, k, m]), 1, 'valid'));
    out.set(gram.dataSync(), f * m * m);
    gram.dispose();
  }
  return out;
}

/**
 * The Eigen-CAM map of one frame from its un-centred Gram G = F·Fᵀ [m×m] and its channel sums s [m]: with
 * C = I − 11ᵀ/m the centring over positions, M = C·F and M·Mᵀ = C·G·C; if u₁, λ₁ are the top eigenpair of that
 * matrix, the projection M·v₁ on the first right-singular vector equals √λ₁·u₁ — no [m × k] product needed.
 * Sign: positive agreement with s (the un-centred channel sum), as the tf path fixes it.
 */
export function projectionFromGram(gram: ArrayLike<number>, sums: ArrayLike<number>, m: number): Float64Array {
  const rowMean = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += gram[i * m + j]!;
    rowMean[i] = s / m;
    total += s;
  }
  total /= m * m;
  const centred = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) centred[i * m + j] = gram[i * m + j]! - rowMean[i]! - rowMean[j]! + total;
  const u = topEigenvectorJs(centred, m);
  let lambda = 0;
  let agreement = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += centred[i * m + j]! * u[j]!;
    lambda += u[i]! * s;
    agreement += u[i]! * sums[i]!;
  }
  const scale = Math.sqrt(Math.max(lambda, 0)) * (agreement < 0 ? -1 : 1);
  for (let i = 0; i < m; i++) u[i]! *= scale;
  return u;
}

/** The JS path for small position counts (every real target layer: 7×7 → 49, 8×8 → 64): one read-back per batch. */
function principalProjectionSmall(x: tf.Tensor4D): tf.Tensor3D {
  const [n, h, w, k] = x.shape;
  const m = h * w;
  const values = x.dataSync() as Float32Array;
  const grams = gramMatrices(values, n, m, k);
  const out = new Float32Array(n * m);
  const sums = new Float64Array(m);
  for (let f = 0; f < n; f++) {
    const base = f * m * k;
    for (let p = 0; p < m; p++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += values[base + p * k + c]!;
      sums[p] = s;
    }
    out.set(projectionFromGram(grams.subarray(f * m * m, (f + 1) * m * m), sums, m), f * m);
  }
  return tf.tensor3d(out, [n, h, w]);
}

/** Projection of x [N,h,w,K] (centred per channel) on its first right-singular vector, sign-fixed → [N,h,w]. */
export function principalProjection(x: tf.Tensor4D): tf.Tensor3D {
  return x.shape[1] * x.shape[2] <= JS_MAX_DIM ? principalProjectionSmall(x) : principalProjectionTf(x);
}

/** The all-tensor path (large layers, and the reference the JS path is tested against). */
export function principalProjectionTf(x: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, h, w, k] = x.shape;
    const flat = tf.reshape(x, [n, h * w, k]) as tf.Tensor3D;
    const m = tf.sub(flat, tf.mean(flat, 1, true)) as tf.Tensor3D;
    let cam: tf.Tensor3D;
    if (k <= h * w) {
      cam = tf.matMul(m, topEigenvector(tf.matMul(m, m, true, false)));
    } else {
      cam = tf.matMul(m, unitColumns(tf.matMul(m, topEigenvector(tf.matMul(m, m, false, true)), true, false)));
    }
    const flatCam = tf.reshape(cam, [n, h * w]);
    const agreement = tf.sum(tf.mul(flatCam, tf.sum(flat, 2)), 1, true);
    const sign = tf.where(tf.less(agreement, 0), tf.fill([n, 1], -1), tf.fill([n, 1], 1));
    return tf.reshape(tf.mul(flatCam, sign), [n, h, w]) as tf.Tensor3D;
  });
}
