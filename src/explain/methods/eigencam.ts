/**
 * Eigen-CAM — Muhammad & Yeasin, "Eigen-CAM: Class Activation Map using Principal Components", IJCNN 2020.
 *
 *   M = A as [hw × K], centred per channel;  L = M·v₁ (v₁ = first right-singular vector of M, no σ scaling)
 *
 * Cost per frame: 1 forward, no gradient, plus a small deterministic SVD (principal-projection.ts).
 * Sign: an SVD's sign is arbitrary (pytorch-grad-cam keeps whatever LAPACK returns); we fix it so the map
 * correlates positively with Σ_k A_k (the un-centred channel sum). On the conformance fixture our sign differs
 * from the reference's on 3 of 6 EigenCAM images.
 * Class-agnostic: the target class is ignored. Conformance with the reference therefore holds up to sign.
 */
import { withKernelCheck } from './base.js';
import { principalProjection } from './principal-projection.js';
import type { CamMethod } from './types.js';

export const eigenCam: CamMethod = {
  id: 'eigencam',
  title: 'Eigen-CAM',
  paper: 'Muhammad & Yeasin, IJCNN 2020',
  group: 'eigen',
  needsGradients: false,
  perChannelPasses: false,
  cost: '1 fwd (no grad) + small SVD',
  map: (ctx) => withKernelCheck('eigencam', () => principalProjection(ctx.activations)),
};
