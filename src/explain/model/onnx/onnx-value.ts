/**
 * A value flowing through the ONNX executor. ONNX images are NCHW, TensorFlow.js convolutions are NHWC: a 4-D
 * image tensor is kept in NHWC (`nhwc: true`, frames arrive that way, so the input needs no transpose) and
 * converted only where an op depends on the axis order (Reshape, Flatten of a spatial map, Transpose…).
 * Small constants and the shape arithmetic stay in JS (`host`), so a dynamic batch size costs nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../errors.js';
import type { HostTensor } from './host-tensor.js';

export type Value =
  | { readonly kind: 'tensor'; readonly t: tf.Tensor; readonly nhwc: boolean }
  | { readonly kind: 'host'; readonly h: HostTensor };

export const NCHW_TO_NHWC = [0, 2, 3, 1];
export const NHWC_TO_NCHW = [0, 3, 1, 2];

export function tensorValue(t: tf.Tensor, nhwc = false): Value {
  return { kind: 'tensor', t, nhwc };
}

export function hostValue(h: HostTensor): Value {
  return { kind: 'host', h };
}

/** The value's shape in ONNX terms (NCHW for an image tensor). */
export function onnxShape(v: Value): number[] {
  if (v.kind === 'host') return [...v.h.dims];
  const s = v.t.shape as number[];
  return v.nhwc ? [s[0], s[3], s[1], s[2]] : [...s];
}

export function hostToTensor(h: HostTensor): tf.Tensor {
  return tf.tensor(h.data, [...h.dims], h.dtype);
}

/** The tensor in ONNX axis order. */
export function plain(v: Value): tf.Tensor {
  if (v.kind === 'host') return hostToTensor(v.h);
  return v.nhwc ? tf.transpose(v.t, NHWC_TO_NCHW) : v.t;
}

/** A 4-D value as an NHWC tensor. */
export function nhwc(v: Value, what: string): tf.Tensor4D {
  if (v.kind === 'tensor' && v.nhwc) return v.t as tf.Tensor4D;
  const t = plain(v);
  if (t.rank !== 4) throw new MetacamError('E_MODEL_UNSUPPORTED', `${what} needs a 4-D NCHW tensor, got shape [${t.shape.join(',')}]`);
  return tf.transpose(t, NCHW_TO_NHWC) as tf.Tensor4D;
}

/**
 * Brings `other` into the layout of a 4-D NHWC tensor for a broadcasting op: right-align it to rank 4 (ONNX
 * broadcasting), then move the channel axis last.
 */
export function alignToNhwc(other: Value): tf.Tensor {
  if (other.kind === 'tensor' && other.nhwc) return other.t;
  const t = plain(other);
  if (t.rank > 4) throw new MetacamError('E_MODEL_UNSUPPORTED', `cannot broadcast a rank-${t.rank} tensor against an image tensor`);
  if (t.rank === 0) return t;
  const shape = [...new Array<number>(4 - t.rank).fill(1), ...t.shape];
  return tf.transpose(tf.reshape(t, shape), NCHW_TO_NHWC);
}

/** Host integers as a JS array (shapes, axes, pads). */
export function hostNumbers(v: Value | undefined, what: string): number[] {
  if (!v) throw new MetacamError('E_MODEL_INVALID', `${what} is missing`);
  if (v.kind !== 'host') throw new MetacamError('E_MODEL_UNSUPPORTED', `${what} is computed from the image at run time; metacam needs it to be a constant or a shape computation`);
  return Array.from(v.h.data);
}

/** A scalar host value (Clip's min/max), or undefined when the input is absent. */
export function hostScalar(v: Value | undefined, what: string): number | undefined {
  if (!v) return undefined;
  const xs = hostNumbers(v, what);
  if (xs.length !== 1) throw new MetacamError('E_MODEL_UNSUPPORTED', `${what} must be a scalar`);
  return xs[0];
}
