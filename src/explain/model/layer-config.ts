/**
 * Reading a tfjs-layers layer's weights, 2-D config values and batch-norm constants without its private types:
 * the BN folding (optimize-inference.ts), FullGrad's bias terms (deep-gradients.ts) and the unfused convolutions
 * (unfused-conv.ts) all need them.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The current value of a LayerVariable (`layer.kernel`, `layer.bias`, …), or undefined when absent. */
export function readWeight(v: unknown): tf.Tensor | undefined {
  return v ? (v as { read(): tf.Tensor }).read() : undefined;
}

/** A config value given as a number or a [h, w] pair (strides, dilationRate) as [h, w]; `dflt` when absent. */
export function pairOf(v: unknown, dflt: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1] ?? v[0])];
  if (typeof v === 'number') return [v, v];
  return [dflt, dflt];
}

/**
 * A BatchNormalization layer (inference mode) as y = x·scale + shift per channel: scale = γ/√(σ²+ε),
 * shift = β − μ·scale. `channels` sizes γ/β when the layer has none (center/scale off). Caller owns both.
 */
export function batchNormAffine(bn: { getConfig(): Record<string, unknown>; [k: string]: unknown }, channels: number): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
  return tf.tidy(() => {
    const eps = (bn.getConfig().epsilon as number | undefined) ?? 1e-3;
    const gamma = readWeight(bn.gamma) ?? tf.ones([channels]);
    const beta = readWeight(bn.beta) ?? tf.zeros([channels]);
    const mean = readWeight(bn.movingMean) as tf.Tensor1D;
    const variance = readWeight(bn.movingVariance) as tf.Tensor1D;
    const scale = tf.div(gamma, tf.sqrt(tf.add(variance, eps))) as tf.Tensor1D;
    return { scale, shift: tf.sub(beta, tf.mul(mean, scale)) as tf.Tensor1D };
  });
}
