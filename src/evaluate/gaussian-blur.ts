/**
 * Separable Gaussian blur of a float image (edges clamped): the insertion metric's starting image, as in RISE
 * (Petsiuk et al. 2018), which inserts pixels into a blurred copy so that the curve starts from an image with
 * the colours but not the shapes.
 */
import { floatImage, type FloatImage } from './float-image.js';

export function gaussianBlur(image: FloatImage, sigma: number): FloatImage {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const kernel = Float64Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = kernel.reduce((a, b) => a + b, 0);
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  const { width: w, height: h, channels: C } = image;
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < C; c++) {
          let s = 0;
          for (let k = -r; k <= r; k++) {
            const xx = horizontal ? Math.min(w - 1, Math.max(0, x + k)) : x;
            const yy = horizontal ? y : Math.min(h - 1, Math.max(0, y + k));
            s += kernel[k + r]! * src[(yy * w + xx) * C + c]!;
          }
          out[(y * w + x) * C + c] = s;
        }
      }
    }
    return out;
  };
  return floatImage(w, h, C, pass(pass(image.data, true), false));
}
