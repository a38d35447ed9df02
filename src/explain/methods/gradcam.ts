/**
 * Grad-CAM — Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization", ICCV 2017.
 *
 *   w_k = mean_ij ∂y/∂A_kij ;  L = ReLU(Σ_k w_k A_k)
 *
 * Cost per frame: 1 forward + the shared head gradient (no extra pass).
 * Reference (pytorch-grad-cam GradCAM): identical to the paper.
 */
import { spatialMean, withKernelCheck } from './base.js';
import type { CamMethod } from './types.js';

export const gradCam: CamMethod = {
  id: 'gradcam',
  title: 'Grad-CAM',
  paper: 'Selvaraju et al., ICCV 2017',
  group: 'gradcam',
  needsGradients: true,
  perChannelPasses: false,
  cost: '1 fwd + head grad (shared)',
  weights: (ctx) => withKernelCheck('gradcam', () => spatialMean(ctx.gradients())),
};
