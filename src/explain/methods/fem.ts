/**
 * FEM (Feature Explanation Method) — Fuad, Martin, Giot, Bourqui, Benois-Pineau & Zemmari, "Features
 * understanding in 3D CNNs for actions recognition in video", IPTA 2020.
 *
 *   w_k = mean_ij 1[A_kij > μ_k + k·σ_k]  (k = 2; μ_k, σ_k: spatial mean and population std of channel k);
 *   L = ReLU(Σ_k w_k A_k)
 *
 * Cost per frame: 1 forward, no gradient (a few element-wise ops on the target layer). Class-agnostic.
 * Reference (pytorch-grad-cam FEM, k = 2): identical — strict `>`, numpy's std (ddof = 0).
 */
import * as tf from '@tensorflow/tfjs-core';
import { spatialMean, withKernelCheck } from './base.js';
import type { CamMethod } from './types.js';

/** The k-sigma rule's k (the paper's and the reference's default). */
export const FEM_SIGMAS = 2;

/** Per channel, the fraction of positions whose activation exceeds μ + k·σ → [N,K]. */
export function femWeights(activations: tf.Tensor4D, sigmas = FEM_SIGMAS): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, , , k] = activations.shape;
    const mean = tf.reshape(spatialMean(activations), [n, 1, 1, k]);
    const std = tf.reshape(tf.sqrt(spatialMean(tf.square(tf.sub(activations, mean)) as tf.Tensor4D)), [n, 1, 1, k]);
    const above = tf.cast(tf.greater(activations, tf.add(mean, tf.mul(std, sigmas))), 'float32') as tf.Tensor4D;
    return spatialMean(above);
  });
}

export const fem: CamMethod = {
  id: 'fem',
  title: 'FEM',
  paper: 'Fuad et al., IPTA 2020',
  group: 'eigen',
  needsGradients: false,
  perChannelPasses: false,
  optIn: true,
  cost: '1 fwd (no grad)',
  weights: (ctx) => withKernelCheck('fem', () => femWeights(ctx.activations)),
};
