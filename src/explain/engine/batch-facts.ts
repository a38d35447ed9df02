/**
 * Facts about a batch that make some members' maps equal (`CamMethod.sameAs`), so the engine computes such a map
 * once: whether the head gradient is constant in space (a global-average-pool → linear head: Grad-CAM = HiResCAM =
 * XGrad-CAM) and whether the activations are ≥ 0 (the layer ends in a ReLU: LayerCAM = Grad-CAM element-wise).
 * Measured, not assumed from the architecture: one reduction over the gradient and the activations and one
 * read-back of three numbers (≈ 0.5 ms a batch of 8 on MobileNetV2, wasm — more than the copies save), so an
 * explainer measures them on its first batch and again every `FACTS_RECHECK_BATCHES` batches (`FactsTracker`).
 * Both are properties of the network (the head's shape, the layer's activation function), which one batch shows;
 * a fact once found false stays false for the explainer's life, so a copy is never made on a fact seen to fail.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchFacts, CamContext } from '../methods/types.js';

/** Largest spread of a gradient channel over the positions, relative to the largest |g|, still "constant". */
export const CONSTANT_GRADIENT_TOLERANCE = 1e-5;

export const NO_FACTS: BatchFacts = { gradientConstantInSpace: false, activationsNonNegative: false };

/** Re-measure the facts every this many batches. */
export const FACTS_RECHECK_BATCHES = 16;

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

/** An explainer's facts: measured on its first batch and every FACTS_RECHECK_BATCHES-th, and-ed over time. */
export class FactsTracker {
  private known: BatchFacts | null = null;
  private batches = 0;

  async facts(ctx: CamContext, needGradient: boolean): Promise<BatchFacts> {
    if (this.known === null || this.batches % FACTS_RECHECK_BATCHES === 0) {
      const now = await batchFacts(ctx, needGradient);
      this.known = this.known === null ? now : {
        gradientConstantInSpace: this.known.gradientConstantInSpace && now.gradientConstantInSpace,
        activationsNonNegative: this.known.activationsNonNegative && now.activationsNonNegative,
      };
    }
    this.batches++;
    return this.known;
  }
}
