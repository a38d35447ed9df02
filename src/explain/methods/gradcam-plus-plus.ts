/**
 * Grad-CAM++ — Chattopadhyay et al., "Grad-CAM++: Improved Visual Explanations for Deep Convolutional
 * Networks", WACV 2018.
 *
 *   α_kij = g²/(2g² + Σ_ab A_kab·g³ + ε) (0 where g = 0);  w_k = Σ_ij α_kij·ReLU(g_kij);  L = ReLU(Σ_k w_k A_k)
 *
 * Cost per frame: 1 forward + the shared head gradient.
 * Reference vs paper: the paper derives α from 2nd/3rd derivatives of exp(y); like pytorch-grad-cam we use the
 * closed form those reduce to for an exponential score (powers of the first derivative of the raw logit),
 * with ε = 1e-6 in the denominator.
 */
import * as tf from '@tensorflow/tfjs-core';
import { spatialSum, withKernelCheck } from './base.js';
import type { CamMethod } from './types.js';

/** Grad-CAM++ weights [N,K] from a layer's gradients g and activations A (both [N,h,w,K]). */
export function gradCamPlusPlusWeights(g: tf.Tensor4D, a: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, , , k] = g.shape;
    const g2 = tf.square(g);
    const sumA = tf.reshape(spatialSum(a), [n, 1, 1, k]);
    // α·ReLU(g) = g²·ReLU(g) / (g²·(2 + ΣA·g) + ε). Where g = 0 this is 0, which is what the reference's
    // `where(g ≠ 0, α, 0)` guarantees, so no mask is needed.
    const denominator = tf.add(tf.mul(g2, tf.add(tf.mul(sumA, g), 2)), 1e-6);
    return spatialSum(tf.div(tf.mul(g2, tf.relu(g)), denominator) as tf.Tensor4D);
  });
}

export const gradCamPlusPlus: CamMethod = {
  id: 'gradcam++',
  title: 'Grad-CAM++',
  paper: 'Chattopadhyay et al., WACV 2018',
  group: 'gradcam',
  needsGradients: true,
  perChannelPasses: false,
  cost: '1 fwd + head grad (shared)',
  weights: (ctx) => withKernelCheck('gradcam++', () => gradCamPlusPlusWeights(ctx.gradients(), ctx.activations)),
};
