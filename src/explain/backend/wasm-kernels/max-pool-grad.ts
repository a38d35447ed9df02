/**
 * Why: stock tfjs-backend-wasm 4.22 registers a MaxPoolGrad that drops the gradient of every pooling window
 * whose values are all negative (checked against cpu in src/explain/backend/kernel-soundness.ts), so any gradient that
 * crosses a MaxPooling2D could be silently wrong. This one routes each output gradient to the first maximum of
 * its window — the cpu backend's rule — in a plain loop over typed arrays (pooling layers are small next to
 * convolutions, so this costs little).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MaxPoolGradAttrs } from '@tensorflow/tfjs-core';
import { opsKernel } from './run-with-ops.js';

/** dx for NHWC max pooling: each dy goes to the first maximum of its window (out-of-bounds taps skipped). */
export function maxPoolGradValues(x: Float32Array | Int32Array | Uint8Array, dy: Float32Array | Int32Array | Uint8Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = new Float32Array(batchSize * inHeight * inWidth * inChannels);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let c = 0; c < inChannels; c++) {
          let best = -Infinity;
          let at = -1;
          for (let fy = 0; fy < filterHeight; fy++) {
            const y = oy * strideHeight - top + fy * dilationHeight;
            if (y < 0 || y >= inHeight) continue;
            for (let fx = 0; fx < filterWidth; fx++) {
              const xx = ox * strideWidth - left + fx * dilationWidth;
              if (xx < 0 || xx >= inWidth) continue;
              const i = xb + (y * inWidth + xx) * inChannels + c;
              if (x[i]! > best) { best = x[i]!; at = i; }
            }
          }
          if (at >= 0) dx[at] += dy[((b * outHeight + oy) * outWidth + ox) * inChannels + c]!;
        }
      }
    }
  }
  return dx;
}

export const maxPoolGradConfig = opsKernel(tf.MaxPoolGrad, ['dy', 'input'] as const, ({ dy, input }, a: MaxPoolGradAttrs) => {
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  return tf.tensor(maxPoolGradValues(input.dataSync(), dy.dataSync(), info), input.shape, 'float32');
});
