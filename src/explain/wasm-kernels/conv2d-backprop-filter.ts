/**
 * Why: stock tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, and the fused conv's gradient asks for it
 * even when only input gradients are wanted — so any gradient through a conv (or any training) fails.
 * dW[kh, kw] = Σ_{n,y,x} xPadded[n, y·s + kh·d, x·s + kw·d, :]ᵀ · dy[n, y, x, :]: one shifted, strided
 * window of the padded input per filter tap, reshaped to [N·oH·oW, Cin], times dy reshaped to
 * [N·oH·oW, Cout] with a single transposed-A matMul (XNNPACK). Cost: k² matMuls of that size.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { assertNhwc, convGeometry, filterTapSlices, runWithOps } from './run-with-ops.js';

export function conv2dBackpropFilterOps(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
  dilations: number | [number, number] = 1,
): tf.Tensor4D {
  const g = convGeometry(x.shape, filterShape, strides, dilations, pad, dimRoundingMode, false);
  const [kh, kw, cin, cout] = filterShape;
  const rows = x.shape[0] * g.outHeight * g.outWidth;
  const dyM = tf.reshape(dy, [rows, cout]);
  const taps = filterTapSlices(x, g).map((tap) => tf.matMul(tf.reshape(tap, [rows, cin]), dyM, true, false));
  return tf.reshape(tf.stack(taps), [kh, kw, cin, cout]);
}

const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  assertNhwc('Conv2DBackpropFilter', a.dataFormat);
  return runWithOps('Conv2DBackpropFilter', backend, inputs, ['x', 'dy'] as const, (t) =>
    conv2dBackpropFilterOps(t.x as tf.Tensor4D, t.dy as tf.Tensor4D, a.filterShape, a.strides, a.pad, a.dimRoundingMode));
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc,
};
