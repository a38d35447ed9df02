/**
 * LayerCAM — Jiang et al., "LayerCAM: Exploring Hierarchical Class Activation Maps for Localization",
 * IEEE TIP 2021.
 *
 *   L = ReLU(Σ_k ReLU(g_k) ⊙ A_k);   with extra layers: mean over layers of minmax(ReLU(L_l)) at the target size
 *
 * Cost per frame: 1 forward + the shared head gradient; with `layers`, one more backward through the layers
 * between the shallowest named layer and the head.
 * Reference vs paper: the paper fuses layers with tanh(2·L/max L) scaling and an element-wise max; we fuse as
 * pytorch-grad-cam's `aggregate_multi_layers` does (per-layer ReLU + min-max, resize, mean), but resize to the
 * target layer's resolution (area average when shrinking) instead of the input's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import { minMaxPerFrame, resampleMaps, withKernelCheck } from './base.js';
import type { BatchFacts, CamContext, CamMethod } from './types.js';

/** Σ_k ReLU(g_k) ⊙ A_k → [N,h,w]. */
function layerMap(activations: tf.Tensor4D, gradients: tf.Tensor4D): tf.Tensor3D {
  return tf.sum(tf.mul(tf.relu(gradients), activations), 3) as tf.Tensor3D;
}

function fused(ctx: CamContext, layers: readonly string[]): tf.Tensor3D {
  const access = ctx.model.layerActivationsAndGradients;
  if (!access) {
    throw new MetacamError('E_BACKEND', `layercam at layers ${layers.join(',')} needs per-layer gradients, which this model context does not offer; drop --layers`);
  }
  const [, h, w] = ctx.activations.shape;
  const maps = [tf.expandDims(minMaxPerFrame(tf.relu(layerMap(ctx.activations, ctx.gradients()))), 3) as tf.Tensor4D];
  for (const l of access(layers, ctx.input, ctx.classes)) {
    const m = tf.expandDims(minMaxPerFrame(tf.relu(layerMap(l.activations, l.gradients))), 3) as tf.Tensor4D;
    maps.push(resampleMaps(m, h, w));
  }
  return tf.squeeze(tf.mean(tf.stack(maps), 0), [3]) as tf.Tensor3D;
}

/** LayerCAM at the target layer, fused with `layers` (names of other layers) when given. */
export function createLayerCam(options: { layers?: readonly string[] } = {}): CamMethod {
  const layers = options.layers ?? [];
  return {
    id: 'layercam',
    title: layers.length ? `LayerCAM (+${layers.join(',')})` : 'LayerCAM',
    paper: 'Jiang et al., IEEE TIP 2021',
    group: 'xgradcam',
    needsGradients: true,
    perChannelPasses: false,
    cost: layers.length ? '1 fwd + grad through the named layers' : '1 fwd + head grad (shared)',
    map: (ctx) =>
      withKernelCheck('layercam', () =>
        tf.tidy(() => (layers.length ? fused(ctx, layers) : layerMap(ctx.activations, ctx.gradients()))),
      ),
    // Single layer only: the fused map is no channel sum.
    ...(layers.length ? {} : { channels: (ctx: CamContext) => withKernelCheck('layercam', () => tf.mul(tf.relu(ctx.gradients()), ctx.activations) as tf.Tensor4D) }),
    // With A ≥ 0, ReLU(g) ⊙ A = ReLU(g ⊙ A): one layer's LayerCAM is Grad-CAM element-wise, on any head.
    ...(layers.length ? {} : { sameAs: (facts: BatchFacts) => (facts.activationsNonNegative ? 'gradcam-elementwise' : undefined) }),
  };
}

export const layerCam: CamMethod = createLayerCam();
