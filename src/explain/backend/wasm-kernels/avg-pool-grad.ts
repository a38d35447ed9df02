/**
 * Why: stock tfjs-backend-wasm's AvgPoolGrad is a slow scalar loop — 12 ms per batch of 8 for the 7×7 global
 * pooling at the end of MobileNetV2, six times the rest of the head gradient. For non-overlapping VALID pooling
 * (window = stride, the usual global/2×2 average pool) each input cell receives its window's dy/(fh·fw): a
 * broadcast multiply through the fast elementwise kernels (≈ 1 ms). Overlapping or padded pooling runs the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AvgPoolGradAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { overStock, runWithOps } from './run-with-ops.js';

/** The pool geometry when it is non-overlapping and unpadded (window = stride, VALID), else undefined. */
export function tiledPoolWindow(info: tf.backend_util.Conv2DInfo): { fh: number; fw: number } | undefined {
  const { filterHeight: fh, filterWidth: fw, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  const unpadded = padInfo.top === 0 && padInfo.left === 0 && padInfo.bottom === 0 && padInfo.right === 0;
  if (!unpadded || fh !== strideHeight || fw !== strideWidth || dilationHeight !== 1 || dilationWidth !== 1) return undefined;
  return { fh, fw };
}

export function avgPoolGradConfig(stock: KernelConfig | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { filterSize, strides, pad } = args.attrs as unknown as AvgPoolGradAttrs;
    const input = args.inputs.input!;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
    const tiled = tiledPoolWindow(info);
    if (stock && (!tiled || args.inputs.dy!.dtype !== 'float32')) return stock.kernelFunc(args);
    const { fh, fw } = tiled ?? { fh: info.filterHeight, fw: info.filterWidth };
    return runWithOps('AvgPoolGrad', args.backend, args.inputs, ['dy'] as const, (t) => {
      const [n, oh, ow, c] = t.dy.shape as [number, number, number, number];
      // dy times a constant 1/(fh·fw) of the covered shape (a multiply by a filled tensor is the fastest
      // broadcast on wasm); global pooling stays rank 4.
      const share = 1 / (fh * fw);
      const covered = oh === 1 && ow === 1
        ? tf.mul(t.dy, tf.fill([n, fh, fw, c], share))
        : tf.reshape(tf.mul(tf.reshape(t.dy, [n, oh, 1, ow, 1, c]), tf.fill([n, oh, fh, ow, fw, c], share)), [n, oh * fh, ow * fw, c]);
      // VALID pooling drops the last rows/columns that do not fill a window: their gradient is zero.
      const [, inH, inW] = input.shape;
      if (oh * fh === inH && ow * fw === inW) return covered;
      return tf.pad(covered, [[0, 0], [0, inH! - oh * fh], [0, inW! - ow * fw], [0, 0]]);
    });
  };
  return overStock(tf.AvgPoolGrad, stock, kernelFunc);
}
