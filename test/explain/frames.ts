/** Synthetic frames for engine tests: deterministic RGB24 patterns at a given size. */
import type { Frame, RgbImage } from '../../src/core/frame.js';

export function patternImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const blob = Math.exp(-(((x - ((seed * 37) % width)) ** 2 + (y - ((seed * 53) % height)) ** 2) / (0.02 * width * height)));
      data[i] = Math.round(255 * blob);
      data[i + 1] = (x * 7 + seed * 31) & 255;
      data[i + 2] = (y * 5 + seed * 17) & 255;
    }
  }
  return { width, height, data };
}

export function makeFrames(count: number, width: number, height: number, start = 0): Frame[] {
  return Array.from({ length: count }, (_, k) => {
    const index = start + k;
    const img = patternImage(width, height, index);
    return { index, ptsSeconds: index / 25, image: img, input: img };
  });
}
