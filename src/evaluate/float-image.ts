/**
 * An image with float samples in [0,1], interleaved channels: what ROAD perturbs and hands to the scorer.
 * Floats, not bytes, so σ = 0.01 imputation noise is not quantised away.
 */
import { MetacamError } from '../errors.js';
import type { RgbImage } from '../core/frame.js';

export interface FloatImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** Row-major, channels interleaved, width·height·channels values. */
  readonly data: Float32Array;
}

export function floatImage(width: number, height: number, channels: number, data?: Float32Array): FloatImage {
  const d = data ?? new Float32Array(width * height * channels);
  if (d.length !== width * height * channels) {
    throw new MetacamError('E_INTERNAL', `image data has ${d.length} values, expected ${width}×${height}×${channels}`);
  }
  return { width, height, channels, data: d };
}

export function fromRgbImage(image: RgbImage): FloatImage {
  const out = new Float32Array(image.width * image.height * 3);
  for (let i = 0; i < out.length; i++) out[i] = image.data[i] / 255;
  return floatImage(image.width, image.height, 3, out);
}
