/**
 * Score-CAM — Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural Networks",
 * CVPR Workshops 2020.
 *
 *   M_k = minmax(upsample(A_k));  w = softmax_k(y(x ⊙ M_k));  L = ReLU(Σ_k w_k A_k)
 *
 * Cost per frame: B full-model passes (B = min(K, maxChannels)), batched through ctx.runModel by passBatch.
 * Channel budget: the B channels with the largest mean activation (Faster-Score-CAM); softmax over those,
 * the others get weight 0. Reference vs paper: pytorch-grad-cam upsamples with align_corners=True, normalises
 * with (U − min)/(max − min + 1e-8), scores with the raw target logit and takes the softmax over channels;
 * the paper's baseline-subtracted score (y(x⊙M) − y(x_b)) is omitted, which the softmax makes irrelevant.
 */
import * as tf from '@tensorflow/tfjs-core';
import { chunkedScores, rowClasses, rowFrames, scatterChannelWeights, selectChannels, withKernelCheck } from './base.js';
import type { CamContext, CamMethod } from './types.js';

function scoreWeights(ctx: CamContext): tf.Tensor2D {
  const a = ctx.activations;
  const [n, h, w, k] = a.shape;
  const [, height, width] = ctx.input.shape;
  const kept = selectChannels(a, ctx.options.maxChannels); // [N,B]
  const b = kept.shape[1];
  // Row n·K + k of `planes` is channel k of frame n: one gather picks any (frame, channel) pair.
  const planes = tf.reshape(tf.transpose(a, [0, 3, 1, 2]), [n * k, h, w, 1]) as tf.Tensor4D;
  const planeRows = tf.reshape(tf.add(kept, tf.mul(tf.reshape(tf.range(0, n, 1, 'int32'), [n, 1]), tf.scalar(k, 'int32'))), [n * b]) as tf.Tensor1D;
  const scores = chunkedScores(n * b, ctx.options.passBatch, (start, size) => {
    const up = tf.image.resizeBilinear(tf.gather(planes, tf.slice(planeRows, start, size)), [height, width], true);
    const lo = tf.min(up, [1, 2, 3], true);
    const mask = tf.div(tf.sub(up, lo), tf.add(tf.sub(tf.max(up, [1, 2, 3], true), lo), 1e-8));
    const masked = tf.mul(tf.gather(ctx.input, rowFrames(start, size, b)), mask) as tf.Tensor4D;
    return ctx.targetScores(ctx.runModel(masked), rowClasses(ctx.classes, start, size, b));
  });
  return scatterChannelWeights(kept, tf.softmax(tf.reshape(scores, [n, b])) as tf.Tensor2D, k);
}

export const scoreCam: CamMethod = {
  id: 'scorecam',
  title: 'Score-CAM',
  paper: 'Wang et al., CVPR-W 2020',
  group: 'perturbation',
  needsGradients: false,
  perChannelPasses: true,
  cost: 'min(K, --max-channels) full passes',
  weights: (ctx) => withKernelCheck('scorecam', () => tf.tidy(() => scoreWeights(ctx))),
};
