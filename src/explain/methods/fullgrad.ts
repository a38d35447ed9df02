/**
 * FullGrad — Srinivas & Fleuret, "Full-Gradient Representation for Neural Network Visualization",
 * NeurIPS 2019.
 *
 *   L = Σ_c ψ(|x ⊙ ∂y/∂x|_c) + Σ_layers Σ_c ψ(|b_c ⊙ ∂y/∂z_c|)   ψ = per-(frame, channel) min-max, then resize
 *
 * z is a bias-carrying conv/BN layer's pre-activation output (ctx.model.biasGradients supplies b and ∂y/∂z).
 * Cost per frame: 1 forward + a full backward to the input (every layer), from ctx.model.biasGradients.
 * Normalisation (pytorch-grad-cam's `scale_input_across_batch_and_channels`, the paper's ψ = abs, rescale,
 * resize): per frame and channel (v − min)/(max(v − min) + 1e-7), then resize, then sum over channels and
 * layers. Difference: the reference resizes every term to the input's resolution; we resize to the target
 * layer's (area average when shrinking by a whole factor, half-pixel bilinear otherwise), the resolution every
 * other member map has. The result is a whole map; the engine applies ReLU (a no-op, all terms ≥ 0) + min-max.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import { minMaxPerChannel, resampleMaps, withKernelCheck } from './base.js';
import type { CamContext, CamMethod } from './types.js';

/** Σ_c ψ(|t_c|) at h×w → [N,h,w]. */
function channelSaliency(t: tf.Tensor4D, h: number, w: number): tf.Tensor3D {
  return tf.sum(resampleMaps(minMaxPerChannel(tf.abs(t)), h, w), 3) as tf.Tensor3D;
}

function fullGradMap(ctx: CamContext): tf.Tensor3D {
  const access = ctx.model.biasGradients;
  if (!access) {
    throw new MetacamError('E_BACKEND', 'fullgrad needs bias gradients through the whole model, which this model context does not offer; drop fullgrad from --methods');
  }
  const [, h, w] = ctx.activations.shape;
  const { inputGradient, layers } = access(ctx.input, ctx.classes);
  let total = channelSaliency(tf.mul(ctx.input, inputGradient) as tf.Tensor4D, h, w);
  for (const layer of layers) {
    const biasGrad = tf.mul(layer.gradient, tf.reshape(layer.bias, [1, 1, 1, -1])) as tf.Tensor4D;
    total = tf.add(total, channelSaliency(biasGrad, h, w));
  }
  return total;
}

export const fullGrad: CamMethod = {
  id: 'fullgrad',
  title: 'FullGrad',
  paper: 'Srinivas & Fleuret, NeurIPS 2019',
  group: 'fullgrad',
  needsGradients: false,
  perChannelPasses: false,
  fullBackprop: true,
  cost: '1 fwd + full backward to the input',
  map: (ctx) => withKernelCheck('fullgrad', () => tf.tidy(() => fullGradMap(ctx))),
};
