/**
 * HiResCAM — Draelos & Carin, "Use HiResCAM instead of Grad-CAM for faithful explanations of convolutional
 * neural networks", arXiv:2011.08891, 2020.
 *
 *   L = ReLU(Σ_k g_k ⊙ A_k)      (g = ∂y/∂A: the gradient is not averaged, so the map is exact for a linear head)
 *
 * Cost per frame: 1 forward + the shared head gradient.
 * Reference (pytorch-grad-cam HiResCAM): identical to the paper.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withKernelCheck } from './base.js';
import type { CamMethod } from './types.js';

export const hiResCam: CamMethod = {
  id: 'hirescam',
  title: 'HiResCAM',
  paper: 'Draelos & Carin, arXiv:2011.08891 (2020)',
  group: 'hirescam',
  needsGradients: true,
  perChannelPasses: false,
  cost: '1 fwd + head grad (shared)',
  map: (ctx) =>
    withKernelCheck('hirescam', () => tf.tidy(() => tf.sum(ctx.gradientsTimesActivations(), 3) as tf.Tensor3D)),
  channels: (ctx) => tf.clone(ctx.gradientsTimesActivations()),
  // Σ_k g_k ⊙ A_k with g_k constant in space is Σ_k w_k A_k with w_k = mean(g_k): Grad-CAM's map.
  sameAs: (facts) => (facts.gradientConstantInSpace ? 'gradcam' : undefined),
};
