/**
 * Frames (RGB24 bytes at the model's input size) → one float32 NHWC batch scaled as the model expects:
 * range 0..1, −1..1 or 0..255, then optional per-channel (v − mean)/std. Done in one JS pass (cheaper than a
 * chain of tensor ops for a few frames, and it validates sizes at the boundary).
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import type { RgbImage } from '../../core/frame.js';
import type { Preprocess } from './loaded-model.js';

export function preprocessPixels(images: readonly RgbImage[], size: { width: number; height: number }, pre: Preprocess): Float32Array {
  const { width, height } = size;
  const per = width * height * 3;
  const out = new Float32Array(images.length * per);
  const [scale, offset] = pre.range === '0,1' ? [1 / 255, 0] : pre.range === '-1,1' ? [2 / 255, -1] : [1, 0];
  const mean = pre.mean ?? [0, 0, 0];
  const inv = (pre.std ?? [1, 1, 1]).map((s) => {
    if (!(s > 0)) throw new MetacamError('E_ARG', `--std values must be positive, got ${s}`);
    return 1 / s;
  });
  images.forEach((img, i) => {
    if (img.width !== width || img.height !== height || img.data.length !== per) {
      throw new MetacamError('E_INTERNAL', `frame ${i} is ${img.width}×${img.height} (${img.data.length} bytes); the model needs ${width}×${height} RGB24`);
    }
    const base = i * per;
    const d = img.data;
    for (let p = 0; p < per; p += 3) {
      out[base + p] = (d[p] * scale + offset - mean[0]) * inv[0];
      out[base + p + 1] = (d[p + 1] * scale + offset - mean[1]) * inv[1];
      out[base + p + 2] = (d[p + 2] * scale + offset - mean[2]) * inv[2];
    }
  });
  return out;
}

/** The batch as a tensor [N,H,W,3] (caller owns it). */
export function preprocessFrames(images: readonly RgbImage[], size: { width: number; height: number }, pre: Preprocess): tf.Tensor4D {
  return tf.tensor4d(preprocessPixels(images, size, pre), [images.length, size.height, size.width, 3]);
}
