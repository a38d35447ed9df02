/**
 * The projection Eigen-CAM and Eigen-Grad-CAM share: x [N,h,w,K] as [hw × K], centred per channel, projected on
 * its first right-singular vector, sign-fixed by the un-centred channel sum. The SVD is a deterministic power
 * iteration on the smaller Gram matrix (K×K, or hw×hw when hw < K, then v₁ ∝ Mᵀu₁): 12 squarings + 4
 * iterations up to 256², plain iteration (300 steps) above. Cost: O(min(K,hw)³) per frame, small next to a pass.
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

/** Projection of x [N,h,w,K] (centred per channel) on its first right-singular vector, sign-fixed → [N,h,w]. */
export function principalProjection(x: tf.Tensor4D): tf.Tensor3D {
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
