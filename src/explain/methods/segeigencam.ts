/**
 * Seg-Eigen-CAM — Chung & Ying, "Seg-Eigen-CAM: Eigen-Value-Based Visual Explanations for Semantic
 * Segmentation Models", Applied Sciences 15(13):7562, 2025.
 *
 *   M = |g| ⊙ A as [hw × K], centred per channel (Eq. 10);  L = M·v₁ (first right-singular vector, Eq. 11–12);
 *   L := −L when |min L| > |max L| (sign correction, Eq. 13)
 *
 * Cost per frame: 1 forward + the shared head gradient + a small SVD (principal-projection.ts).
 * Reference (pytorch-grad-cam SegEigenCAM): identical, including the sign correction, so unlike Eigen-CAM the
 * sign is not arbitrary and conformance holds with the sign.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withKernelCheck } from './base.js';
import { principalProjection } from './principal-projection.js';
import type { CamMethod } from './types.js';

/** Eq. 13: per frame, flip the map when its most negative value outweighs its most positive one. */
export function correctSign(map: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const flip = tf.cast(tf.greater(tf.abs(tf.min(map, [1, 2], true)), tf.abs(tf.max(map, [1, 2], true))), 'float32');
    return tf.mul(map, tf.sub(1, tf.mul(flip, 2))) as tf.Tensor3D;
  });
}

export const segEigenCam: CamMethod = {
  id: 'segeigencam',
  title: 'Seg-Eigen-CAM',
  paper: 'Chung & Ying, Appl. Sci. 2025',
  group: 'eigen',
  needsGradients: true,
  perChannelPasses: false,
  optIn: true,
  cost: '1 fwd + head grad (shared) + small SVD',
  map: (ctx) =>
    withKernelCheck('segeigencam', () =>
      tf.tidy(() => correctSign(principalProjection(tf.mul(tf.abs(ctx.gradients()), ctx.activations) as tf.Tensor4D))),
    ),
};
