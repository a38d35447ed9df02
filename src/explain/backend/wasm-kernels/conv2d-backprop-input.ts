/**
 * Why: stock wasm Conv2DBackpropInput is a naive loop, ~10× slower than the forward conv. The input
 * gradient of a conv is itself a stride-1 VALID forward conv (XNNPACK) of dy — zero-interleaved by the
 * stride and padded by kEff − 1 − pad — with the spatially flipped filter, in/out channels swapped.
 * For a 1×1 stride-1 conv that is just dy · Wᵀ, itself a 1×1 conv with the transposed filter. Where this route does not apply (NCHW) the stock kernel runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { convGeometry, dilateSpatial, padForTransposedConv, overStock, runWithOps } from './run-with-ops.js';

export function conv2dBackpropInputOps(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  const g = convGeometry(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false);
  const [, inH, inW] = inputShape;
  const [kh, kw] = filter.shape;
  if (kh === 1 && kw === 1 && g.strideHeight === 1 && g.strideWidth === 1 && !g.top && !g.left && !g.bottom && !g.right) {
    // dy · Wᵀ as a 1×1 forward conv (XNNPACK): wasm's matMul with a transposed operand is ≈ 4× slower.
    return tf.conv2d(dy, tf.transpose(filter, [0, 1, 3, 2]) as tf.Tensor4D, 1, 'valid');
  }
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  const padded = padForTransposedConv(dilateSpatial(dy, g.strideHeight, g.strideWidth), g, inH, inW);
  return tf.conv2d(padded, flipped, 1, 'valid');
}

/** Wraps the stock kernel: the fast route for NHWC, the stock one otherwise. */
export function conv2dBackpropInputConfig(stock: KernelConfig | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const a = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (stock && a.dataFormat === 'NCHW') return stock.kernelFunc(args);
    return runWithOps('Conv2DBackpropInput', args.backend, args.inputs, ['dy', 'filter'] as const, (t) =>
      conv2dBackpropInputOps(t.dy as tf.Tensor4D, t.filter as tf.Tensor4D, a.inputShape, a.strides, a.pad, a.dimRoundingMode));
  };
  return overStock(tf.Conv2DBackpropInput, stock, kernelFunc);
}
