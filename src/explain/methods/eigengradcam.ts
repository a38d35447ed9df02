/**
 * Eigen-Grad-CAM — pytorch-grad-cam's `EigenGradCAM` (Gildenblat et al.): Eigen-CAM (Muhammad & Yeasin,
 * IJCNN 2020) applied to the gradient-weighted activations, which makes it class-discriminative.
 *
 *   M = g ⊙ A as [hw × K], centred per channel;  L = M·v₁ (first right-singular vector)
 *
 * Cost per frame: 1 forward + the shared head gradient + a small SVD (principal-projection.ts).
 * Sign: arbitrary in the reference; we fix it so the map correlates positively with Σ_k g_k ⊙ A_k (the
 * HiResCAM map: the class evidence), so conformance with the reference holds up to sign (the signs differ on
 * 2 of 6 fixture images for gap/argmax, 5 of 6 for deep/argmax).
 */
import { withKernelCheck } from './base.js';
import { principalProjection } from './principal-projection.js';
import type { CamMethod } from './types.js';

export const eigenGradCam: CamMethod = {
  id: 'eigengradcam',
  title: 'Eigen-Grad-CAM',
  paper: 'pytorch-grad-cam (after Muhammad & Yeasin, IJCNN 2020)',
  group: 'eigen',
  needsGradients: true,
  perChannelPasses: false,
  cost: '1 fwd + head grad (shared) + small SVD',
  map: (ctx) =>
    withKernelCheck('eigengradcam', () =>
      principalProjection(ctx.gradientsTimesActivations()),
    ),
};
