/**
 * Facts about a batch that make some members' maps equal (`CamMethod.sameAs`), so the engine computes such a map
 * once: whether the head gradient is constant in space (a global-average-pool → linear head: Grad-CAM = HiResCAM =
 * XGrad-CAM) and whether the activations are ≥ 0 (the layer ends in a ReLU: LayerCAM = Grad-CAM element-wise).
 * Checked on every batch, not assumed from the architecture: one reduction over the gradient and the activations
 * and one read-back of three numbers. The map-level check (metacam/distinct-members.ts) still confirms every merge.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchFacts, CamContext } from '../methods/types.js';

/** Largest spread of a gradient channel over the positions, relative to the largest |g|, still "constant". */
export const CONSTANT_GRADIENT_TOLERANCE = 1e-5;

export const NO_FACTS: BatchFacts = { gradientConstantInSpace: false, activationsNonNegative: false };

export async function batchFacts(ctx: CamContext, needGradient: boolean): Promise<BatchFacts> {
  const summary = tf.tidy(() => {
    const a = ctx.activations;
    const minA = tf.min(a);
    if (!needGradient) return tf.stack([tf.scalar(Infinity), tf.scalar(1), minA]);
    const g = ctx.gradients();
    const spread = tf.max(tf.sub(tf.max(g, [1, 2]), tf.min(g, [1, 2])));
    return tf.stack([spread, tf.max(tf.abs(g)), minA]);
  });
  const [spread, scale, minA] = (await summary.data()) as Float32Array;
  summary.dispose();
  return {
    gradientConstantInSpace: spread! <= CONSTANT_GRADIENT_TOLERANCE * scale!,
    activationsNonNegative: minA! >= 0,
  };
}
