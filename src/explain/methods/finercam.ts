/**
 * FinerCAM — Zhang et al., "Finer-CAM: Spotting the Difference Reveals Finer Details for Visual Explanation",
 * CVPR 2025: Grad-CAM of a target that subtracts the classes the model confuses with the explained one.
 *
 *   s = Σ_d p_d·(y_c − α·y_d) / Σ_d p_d  (d: the 3 classes whose logits are nearest y_c's, α = 1, p = softmax(y));
 *   w_k = mean_ij ∂s/∂A_kij;  L = ReLU(Σ_k w_k A_k)
 *
 * The target itself lives in engine/target-scores.ts ('finer'), so `--target finer` gives it to any gradient
 * method; this member is Grad-CAM with that target whatever --target says (--class picks c as usual).
 * Cost per frame: 1 forward + one head gradient of its own (shared with the run's when --target finer).
 * Reference (pytorch-grad-cam FinerCAM, base GradCAM, comparison ranks [1,2,3], α = 1, +1e-9 in the denominator):
 * identical.
 */
import { spatialMean, withKernelCheck } from './base.js';
import type { CamMethod } from './types.js';

export const finerCam: CamMethod = {
  id: 'finercam',
  title: 'Finer-CAM',
  paper: 'Zhang et al., CVPR 2025',
  group: 'gradcam',
  needsGradients: true,
  perChannelPasses: false,
  optIn: true,
  cost: '1 fwd + head grad of the finer target',
  weights: (ctx) => withKernelCheck('finercam', () => spatialMean(ctx.gradients('finer'))),
};
