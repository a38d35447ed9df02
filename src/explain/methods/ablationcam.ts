/**
 * Ablation-CAM — Desai & Ramaswamy, "Ablation-CAM: Visual Explanations for Deep Convolutional Network via
 * Gradient-free Localization", WACV 2020.
 *
 *   w_k = (y − y_k)/y  (y_k: target logit with channel k of A set to 0);  L = ReLU(Σ_k w_k A_k)
 *
 * Cost per frame: B head passes (B = min(K, maxChannels)), run through ctx.runHead in batches of passBatch.
 * Channel budget: only the B channels with the largest mean activation are ablated (as Faster-Score-CAM
 * keeps them); the others get weight 0. Ablation sets the channel to 0, as the paper does; pytorch-grad-cam
 * does too when min(A) = 0 (post-ReLU/ReLU6 target layers) but uses min(A) − 1e7 for layers that can go
 * negative. Like both we divide by y, so a negative target logit flips every weight's sign; we clamp |y| ≥ 1e-7
 * so a zero logit gives large weights, not NaN.
 */
import * as tf from '@tensorflow/tfjs-core';
import { chunkedScores, oneHotFloat, rowClasses, rowFrames, scatterChannelWeights, selectChannels, withKernelCheck } from './base.js';
import type { CamContext, CamMethod } from './types.js';

function ablationWeights(ctx: CamContext): tf.Tensor2D {
  const a = ctx.activations;
  const [n, , , k] = a.shape;
  const kept = selectChannels(a, ctx.options.maxChannels); // [N,B]
  const b = kept.shape[1];
  const keptFlat = tf.reshape(kept, [n * b]) as tf.Tensor1D;
  const scores = chunkedScores(n * b, ctx.options.passBatch, (start, size) => {
    const keep = tf.sub(1, oneHotFloat(tf.slice(keptFlat, start, size), k));
    const ablated = tf.mul(tf.gather(a, rowFrames(start, size, b)), tf.reshape(keep, [size, 1, 1, k])) as tf.Tensor4D;
    return ctx.targetScores(ctx.runHead(ablated), rowClasses(ctx.classes, start, size, b));
  });
  const y0 = tf.reshape(ctx.targetScores(ctx.logits, ctx.classes), [n, 1]);
  // A zero logit would make every weight ±Inf (the reference would return NaN maps): clamp |y| to 1e-7.
  const y = tf.where(tf.less(tf.abs(y0), 1e-7), tf.fill([n, 1], 1e-7), y0);
  return scatterChannelWeights(kept, tf.div(tf.sub(y, tf.reshape(scores, [n, b])), y) as tf.Tensor2D, k);
}

export const ablationCam: CamMethod = {
  id: 'ablationcam',
  title: 'Ablation-CAM',
  paper: 'Desai & Ramaswamy, WACV 2020',
  group: 'perturbation',
  needsGradients: false,
  perChannelPasses: true,
  cost: 'min(K, --max-channels) head passes',
  weights: (ctx) => withKernelCheck('ablationcam', () => tf.tidy(() => ablationWeights(ctx))),
};
