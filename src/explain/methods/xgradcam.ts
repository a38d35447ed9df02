/**
 * XGrad-CAM — Fu et al., "Axiom-based Grad-CAM: Towards Accurate Visualization and Explanation of CNNs",
 * BMVC 2020.
 *
 *   w_k = Σ_ij g_kij·A_kij / (Σ_ij A_kij + ε);  L = ReLU(Σ_k w_k A_k)
 *
 * Cost per frame: 1 forward + the shared head gradient.
 * Reference (pytorch-grad-cam XGradCAM): as the paper, with ε = 1e-7.
 */
import * as tf from '@tensorflow/tfjs-core';
import { spatialSum, withKernelCheck } from './base.js';
import type { CamMethod } from './types.js';

export const xGradCam: CamMethod = {
  id: 'xgradcam',
  title: 'XGrad-CAM',
  paper: 'Fu et al., BMVC 2020',
  group: 'xgradcam',
  needsGradients: true,
  perChannelPasses: false,
  cost: '1 fwd + head grad (shared)',
  weights: (ctx) =>
    withKernelCheck('xgradcam', () =>
      tf.tidy(() => {
        const num = spatialSum(ctx.gradientsTimesActivations());
        return tf.div(num, tf.add(spatialSum(ctx.activations), 1e-7)) as tf.Tensor2D;
      }),
    ),
  // With g_k constant in space, w_k = g_k·ΣA_k/(ΣA_k + 1e-7) = g_k up to the stabiliser: Grad-CAM's weights.
  sameAs: (facts) => (facts.gradientConstantInSpace ? 'gradcam' : undefined),
};
