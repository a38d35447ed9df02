/**
 * Why: stock wasm has no UnsortedSegmentSum, which tf.gather's gradient needs. out[s] = Σ_{i: ids[i] = s} x[i]
 * is a matMul of the one-hot id matrix (transposed) with x flattened to [n, rest]; ids outside
 * [0, numSegments) give a zero one-hot row and are dropped, as in TensorFlow.
 */
import * as tf from '@tensorflow/tfjs-core';
import { opsKernel } from './run-with-ops.js';

export function unsortedSegmentSumOps(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  const n = segmentIds.size;
  const rest = x.shape.slice(segmentIds.rank);
  const restSize = rest.reduce((p, d) => p * d, 1);
  // wasm's OneHot writes int32 whatever dtype is asked for: take int32 and cast.
  const oneHot = tf.cast(tf.oneHot(tf.cast(tf.reshape(segmentIds, [n]), 'int32'), numSegments), 'float32');
  const xm = tf.reshape(tf.cast(x, 'float32'), [n, restSize]);
  const out = tf.reshape(tf.matMul(oneHot, xm, true, false), [numSegments, ...rest]);
  return x.dtype === 'float32' ? out : tf.cast(tf.round(out), x.dtype);
}

export const unsortedSegmentSumConfig = opsKernel(tf.UnsortedSegmentSum, ['x', 'segmentIds'] as const,
  (t, { numSegments }: tf.UnsortedSegmentSumAttrs) => unsortedSegmentSumOps(t.x, t.segmentIds, numSegments));
