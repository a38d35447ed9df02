/**
 * The projection Eigen-CAM and Eigen-Grad-CAM share: x [N,h,w,K] as [hw × K], centred per channel, projected on
 * its first right-singular vector, sign-fixed by the un-centred channel sum. The SVD is a deterministic power
 * iteration on the smaller Gram matrix (K×K, or hw×hw when hw < K, then v₁ ∝ Mᵀu₁): 12 squarings + 4
 * iterations up to 256², plain iteration (300 steps) above — or, for Grams up to 128² (every real target layer
 * we ship: 7×7 → 49², 8×8 → 64²), a float64 power iteration in plain JS, which avoids hundreds of tiny tf ops.
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

/** topEigenvector for a batch, via the JS solver: reads the (small) Gram matrices back once. */
function topEigenvectorsJs(gram: tf.Tensor3D): tf.Tensor3D {
  const [n, m] = gram.shape;
  const values = gram.dataSync();
  const out = new Float32Array(n * m);
  for (let f = 0; f < n; f++) out.set(topEigenvectorJs(values.subarray(f * m * m, (f + 1) * m * m), m), f * m);
  return tf.tensor3d(out, [n, m, 1]);
}

/** Projection of x [N,h,w,K] (centred per channel) on its first right-singular vector, sign-fixed → [N,h,w]. */
export function principalProjection(x: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, h, w, k] = x.shape;
    const flat = tf.reshape(x, [n, h * w, k]) as tf.Tensor3D;
    const m = tf.sub(flat, tf.mean(flat, 1, true)) as tf.Tensor3D;
    const eigen = (gram: tf.Tensor3D) => (gram.shape[1] <= JS_MAX_DIM ? topEigenvectorsJs(gram) : topEigenvector(gram));
    let cam: tf.Tensor3D;
    if (k <= h * w) {
      cam = tf.matMul(m, eigen(tf.matMul(m, m, true, false)));
    } else {
      cam = tf.matMul(m, unitColumns(tf.matMul(m, eigen(tf.matMul(m, m, false, true)), true, false)));
    }
    const flatCam = tf.reshape(cam, [n, h * w]);
    const agreement = tf.sum(tf.mul(flatCam, tf.sum(flat, 2)), 1, true);
    const sign = tf.where(tf.less(agreement, 0), tf.fill([n, 1], -1), tf.fill([n, 1], 1));
    return tf.reshape(tf.mul(flatCam, sign), [n, h, w]) as tf.Tensor3D;
  });
}
