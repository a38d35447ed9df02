/**
 * The engine's post-processing of every method's raw map, as pytorch-grad-cam's BaseCAM does it:
 * ReLU, then per-frame min-max (v − min)/(max(v − min) + 1e-7) into [0,1].
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CamMap } from './cam-map.js';

export const MINMAX_EPS = 1e-7;

/** [N,h,w] raw → [N,h,w] in [0,1]. */
export function reluMinMax(raw: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const r = tf.relu(raw);
    const shifted = tf.sub(r, tf.min(r, [1, 2], true));
    return tf.div(shifted, tf.add(tf.max(shifted, [1, 2], true), MINMAX_EPS)) as tf.Tensor3D;
  });
}

/** Σ_k w[n,k]·A[n,:,:,k] → [N,h,w]. */
export function weightedActivations(weights: tf.Tensor2D, activations: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, , , k] = activations.shape;
    return tf.sum(tf.mul(activations, tf.reshape(weights, [n, 1, 1, k])), 3) as tf.Tensor3D;
  });
}

/** Splits [N,h,w] values into N CamMaps (copies, so the tensor's buffer can go). */
export function toCamMaps(values: Float32Array, n: number, h: number, w: number): CamMap[] {
  const maps: CamMap[] = [];
  for (let i = 0; i < n; i++) maps.push({ width: w, height: h, data: values.slice(i * h * w, (i + 1) * h * w) });
  return maps;
}
