/**
 * Grad-CAM element-wise — pytorch-grad-cam's `GradCAMElementWise` (Gildenblat et al., the library itself);
 * HiResCAM with the ReLU moved inside the channel sum, so negative channel contributions cannot cancel
 * positive ones.
 *
 *   L = Σ_k ReLU(g_k ⊙ A_k)
 *
 * Cost per frame: 1 forward + the shared head gradient.
 * No separate paper: the reference library's definition is the definition.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withKernelCheck } from './base.js';
import type { CamMethod } from './types.js';

export const gradCamElementWise: CamMethod = {
  id: 'gradcam-elementwise',
  title: 'Grad-CAM element-wise',
  paper: 'pytorch-grad-cam (Gildenblat et al., 2021)',
  group: 'hirescam',
  needsGradients: true,
  perChannelPasses: false,
  cost: '1 fwd + head grad (shared)',
  map: (ctx) =>
    withKernelCheck('gradcam-elementwise', () =>
      tf.tidy(() => tf.sum(tf.relu(ctx.gradientsTimesActivations()), 3) as tf.Tensor3D),
    ),
  channels: (ctx) => withKernelCheck('gradcam-elementwise', () => tf.relu(ctx.gradientsTimesActivations())),
};
