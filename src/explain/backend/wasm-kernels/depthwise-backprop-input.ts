/**
 * Why: stock wasm has no DepthwiseConv2dNativeBackpropInput, so gradients cannot pass a depthwise layer
 * (MobileNet). As for a regular conv, the input gradient is a stride-1 VALID depthwise conv of the
 * zero-interleaved, padded dy with the spatially flipped filter; with a channel multiplier m the Cin·m
 * gradient channels (ordered c·m + q) are summed back per input channel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, dilateSpatial, padForTransposedConv, opsKernel } from './run-with-ops.js';

export function depthwiseBackpropInputOps(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  const g = convGeometry(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode, true);
  const [n, inH, inW, cin] = inputShape;
  const [kh, kw, , m] = filter.shape;
  const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, cin * m, 1]) as tf.Tensor4D;
  const padded = padForTransposedConv(dilateSpatial(dy, g.strideHeight, g.strideWidth), g, inH, inW);
  const dil: [number, number] = [g.dilationHeight, g.dilationWidth];
  const dx = tf.depthwiseConv2d(padded, flipped, 1, 'valid', 'NHWC', dil);
  return m === 1 ? dx : tf.sum(tf.reshape(dx, [n, inH, inW, cin, m]), 4);
}

export const depthwiseBackpropInputConfig = opsKernel(tf.DepthwiseConv2dNativeBackpropInput, ['dy', 'filter'] as const,
  (t, a: tf.DepthwiseConv2dNativeBackpropInputAttrs) =>
    depthwiseBackpropInputOps(t.dy as tf.Tensor4D, t.filter as tf.Tensor4D, a.inputShape, a.strides, a.dilations, a.pad, a.dimRoundingMode));
