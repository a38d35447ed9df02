/**
 * Picks logit[i, class_i] per row with a one-hot mask multiply + sum. `tf.gather` would be the obvious choice,
 * but its gradient needs UnsortedSegmentSum, which the wasm backend lacks; the mask is gradient-safe everywhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';

export function targetScores(logits: tf.Tensor2D, classes: readonly number[]): tf.Tensor1D {
  const [m, c] = logits.shape;
  if (classes.length !== m) {
    throw new MetacamError('E_INTERNAL', `targetScores: ${classes.length} classes for ${m} rows`);
  }
  const mask = new Float32Array(m * c);
  classes.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 0 || k >= c) throw new MetacamError('E_CLASS_OUT_OF_RANGE', `class index ${k} is outside 0..${c - 1}`);
    mask[i * c + k] = 1;
  });
  return tf.tidy(() => tf.sum(tf.mul(logits, tf.tensor2d(mask, [m, c])), 1) as tf.Tensor1D);
}
