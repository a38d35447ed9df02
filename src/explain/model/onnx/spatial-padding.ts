/**
 * ONNX gives convolutions and pools explicit pads [top, left, bottom, right] (plus ceil_mode for pools);
 * TensorFlow.js kernels take 'valid' or 'same' everywhere (explicit pads are not accepted by every kernel and
 * backend, fused depthwise among them). Pads that equal what 'same' would choose for this input become 'same';
 * anything else is an explicit `tf.pad` (whose gradient is a slice) followed by a 'valid' op.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface Window2d {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  /** [top, left, bottom, right]. */
  readonly pads: readonly [number, number, number, number];
}

/** tfjs 'same' pads for one axis: total = max((⌈n/s⌉ − 1)·s + k_eff − n, 0), the extra one at the end. */
function samePads(n: number, k: number, s: number, d: number): [number, number] {
  const eff = (k - 1) * d + 1;
  const total = Math.max((Math.ceil(n / s) - 1) * s + eff - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The tfjs padding mode for `w` on an [N,H,W,C] input, and the pads still to apply by hand (or null). */
export function tfPadding(w: Window2d, h: number, wd: number): { mode: 'valid' | 'same'; explicit: [number, number, number, number] | null } {
  const [t, l, b, r] = w.pads;
  if (t === 0 && l === 0 && b === 0 && r === 0) return { mode: 'valid', explicit: null };
  const [st, sb] = samePads(h, w.kernel[0], w.strides[0], w.dilations[0]);
  const [sl, sr] = samePads(wd, w.kernel[1], w.strides[1], w.dilations[1]);
  if (st === t && sb === b && sl === l && sr === r) return { mode: 'same', explicit: null };
  return { mode: 'valid', explicit: [t, l, b, r] };
}

/** Pads an NHWC tensor spatially with `value`. */
export function padSpatial(x: tf.Tensor4D, pads: readonly [number, number, number, number], value = 0): tf.Tensor4D {
  const [t, l, b, r] = pads;
  return tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]], value);
}

/**
 * Extra bottom/right padding that turns floor into ceil output sizes (ONNX ceil_mode = 1), with PyTorch's rule
 * that the last window must start inside the input or the left padding.
 */
export function ceilExtra(n: number, k: number, s: number, padBegin: number, padEnd: number): number {
  const span = n + padBegin + padEnd - k;
  let out = Math.ceil(span / s) + 1;
  if ((out - 1) * s >= n + padBegin) out--;
  return Math.max((out - 1) * s + k - (n + padBegin + padEnd), 0);
}
