/**
 * What a gradient method explains: a differentiable score per frame, computed from that frame's logits.
 *
 *   logit   : y_c (the default; pytorch-grad-cam's ClassifierOutputTarget)
 *   softmax : p_c = softmax(y)_c (ClassifierOutputSoftmaxTarget)
 *   finer   : Σ_d p_d·(y_c − α·y_d) / (Σ_d p_d + 1e-9), d over the classes whose logits are nearest to y_c's
 *             (ranks 1–3, α = 1): FinerCAM's target (Zhang et al., "Finer-CAM: Spotting the Difference Reveals
 *             Finer Details for Visual Explanation", CVPR 2025; pytorch-grad-cam FinerWeightedTarget)
 *
 * The comparison classes are fixed per frame from the frame's own logits, then the score is applied to any logits
 * batch with one row per frame. Selection is a one-hot mask multiply + sum: `tf.gather` would be the obvious choice,
 * but its gradient needs UnsortedSegmentSum, which the wasm backend lacks. The softmax is written out (exp of
 * logits shifted by a constant read back, over their sum) because tf.softmax's custom gradient cannot itself be
 * differentiated, and ShapleyCAM needs the second derivative.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';

export type TargetKind = 'logit' | 'softmax' | 'finer';
export const TARGET_KINDS: readonly TargetKind[] = ['logit', 'softmax', 'finer'];

/** FinerCAM's defaults (the reference's): comparison ranks 1–3 by |y_d − y_c|, strength α = 1. */
export const FINER_RANKS: readonly number[] = [1, 2, 3];
export const FINER_ALPHA = 1;

function classMask(classes: readonly number[], c: number): Float32Array {
  const mask = new Float32Array(classes.length * c);
  classes.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 0 || k >= c) throw new MetacamError('E_CLASS_OUT_OF_RANGE', `class index ${k} is outside 0..${c - 1}`);
    mask[i * c + k] = 1;
  });
  return mask;
}

export function targetScores(logits: tf.Tensor2D, classes: readonly number[]): tf.Tensor1D {
  const [m, c] = logits.shape;
  if (classes.length !== m) {
    throw new MetacamError('E_INTERNAL', `targetScores: ${classes.length} classes for ${m} rows`);
  }
  const mask = classMask(classes, c);
  return tf.tidy(() => tf.sum(tf.mul(logits, tf.tensor2d(mask, [m, c])), 1) as tf.Tensor1D);
}

/**
 * FinerCAM's comparison classes of one frame: the classes ranked `ranks` (1 = nearest) by |y_d − y_main|, ties in
 * class order, the main class itself excluded (it is rank 0). Ranks past the last class are dropped.
 */
export function finerComparisons(logits: ArrayLike<number>, main: number, ranks: readonly number[] = FINER_RANKS): number[] {
  const order = Array.from({ length: logits.length }, (_, k) => k)
    .filter((k) => k !== main)
    .sort((a, b) => Math.abs(logits[a]! - logits[main]!) - Math.abs(logits[b]! - logits[main]!) || a - b);
  return ranks.filter((r) => r >= 1 && r <= order.length).map((r) => order[r - 1]!);
}

/** The per-frame target of a batch: its kind, main class, and (finer) comparison classes and α. */
export interface FrameTargets {
  readonly kind: TargetKind;
  readonly classes: readonly number[];
  readonly comparisons: readonly (readonly number[])[];
  readonly alpha: number;
}

/** Fixes the targets of N frames from their logits [N×C] (row-major values). */
export function frameTargets(kind: TargetKind, logits: ArrayLike<number>, c: number, classes: readonly number[]): FrameTargets {
  if (!TARGET_KINDS.includes(kind)) throw new MetacamError('E_ARG', `--target must be one of ${TARGET_KINDS.join(', ')}; got '${kind}'`);
  const comparisons = kind === 'finer'
    ? classes.map((k, i) => finerComparisons(Array.prototype.slice.call(logits, i * c, (i + 1) * c) as number[], k))
    : classes.map(() => []);
  return { kind, classes, comparisons, alpha: FINER_ALPHA };
}

/** softmax(y) with a constant per-row shift (read back, so it is off the gradient tape): twice differentiable. */
function softmaxRows(logits: tf.Tensor2D): tf.Tensor2D {
  const [m, c] = logits.shape;
  const v = logits.dataSync();
  const shift = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    let mx = -Infinity;
    for (let k = 0; k < c; k++) mx = Math.max(mx, v[i * c + k]!);
    shift[i] = Number.isFinite(mx) ? mx : 0;
  }
  const e = tf.exp(tf.sub(logits, tf.tensor2d(shift, [m, 1])));
  return tf.div(e, tf.sum(e, 1, true)) as tf.Tensor2D;
}

/**
 * The score per row of `logits` [N,C] (row i = frame i of `targets`) → [N]. Differentiable, also twice.
 * FinerCAM with no comparison class (a one-class model) scores the logit.
 */
export function scoreFrames(targets: FrameTargets, logits: tf.Tensor2D): tf.Tensor1D {
  const [m, c] = logits.shape;
  if (targets.classes.length !== m) throw new MetacamError('E_INTERNAL', `scoreFrames: ${targets.classes.length} frames for ${m} rows`);
  if (targets.kind === 'logit') return targetScores(logits, targets.classes);
  return tf.tidy(() => {
    const main = tf.tensor2d(classMask(targets.classes, c), [m, c]);
    const p = softmaxRows(logits);
    if (targets.kind === 'softmax') return tf.sum(tf.mul(p, main), 1) as tf.Tensor1D;
    const compare = new Float32Array(m * c);
    const none = new Float32Array(m);
    targets.comparisons.forEach((ds, i) => {
      for (const d of ds) compare[i * c + d] = 1;
      if (ds.length === 0) none[i] = 1;
    });
    const d = tf.tensor2d(compare, [m, c]);
    const y = tf.sum(tf.mul(logits, main), 1);
    const pd = tf.mul(p, d);
    const weight = tf.sum(pd, 1);
    const finer = tf.div(tf.sub(tf.mul(y, weight), tf.mul(targets.alpha, tf.sum(tf.mul(pd, logits), 1))), tf.add(weight, 1e-9));
    const fallback = tf.tensor1d(none);
    return tf.add(tf.mul(finer, tf.sub(1, fallback)), tf.mul(y, fallback)) as tf.Tensor1D;
  });
}
