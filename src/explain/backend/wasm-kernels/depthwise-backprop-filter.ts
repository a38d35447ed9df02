/**
 * Why: stock wasm has no DepthwiseConv2dNativeBackpropFilter, needed to train depthwise layers.
 * dW[kh, kw, c, q] = Σ_{n,y,x} xPadded[n, y·s + kh·d, x·s + kw·d, c] · dy[n, y, x, c·m + q]: one shifted
 * window per tap, an elementwise product with dy viewed as [P, Cin, m], summed over the P positions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, filterTapSlices, opsKernel } from './run-with-ops.js';

export function depthwiseBackpropFilterOps(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  const g = convGeometry(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, true);
  const [kh, kw, cin, m] = filterShape;
  const rows = x.shape[0] * g.outHeight * g.outWidth;
  const dyM = tf.reshape(dy, [rows, cin, m]);
  const taps = filterTapSlices(x, g).map((tap) => tf.sum(tf.mul(tf.reshape(tap, [rows, cin, 1]), dyM), 0));
  return tf.reshape(tf.stack(taps), [kh, kw, cin, m]);
}

export const depthwiseBackpropFilterConfig = opsKernel(tf.DepthwiseConv2dNativeBackpropFilter, ['x', 'dy'] as const,
  (t, a: tf.DepthwiseConv2dNativeBackpropFilterAttrs) =>
    depthwiseBackpropFilterOps(t.x as tf.Tensor4D, t.dy as tf.Tensor4D, a.filterShape, a.strides, a.dilations, a.pad, a.dimRoundingMode));
