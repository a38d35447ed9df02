import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { camMap, type CamMap } from '../core/cam-map.js';
import { axisTable, resizeMap, resizeRgb, resizeTableCacheSize, resizeTables } from './bilinear-resize.js';

/** Seeded PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomMap(w: number, h: number, seed: number): CamMap {
  const r = rng(seed);
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = r();
  return camMap(w, h, d);
}

/** Direct, per-pixel half-pixel bilinear (cv2 INTER_LINEAR semantics written out plainly). */
function reference(map: CamMap, W: number, H: number): Float64Array {
  const out = new Float64Array(W * H);
  const at = (x: number, y: number): number => map.data[y * map.width + x]!;
  for (let j = 0; j < H; j++) {
    let sy = ((j + 0.5) * map.height) / H - 0.5;
    sy = Math.min(Math.max(sy, 0), map.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, map.height - 1);
    const fy = sy - y0;
    for (let i = 0; i < W; i++) {
      let sx = ((i + 0.5) * map.width) / W - 0.5;
      sx = Math.min(Math.max(sx, 0), map.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, map.width - 1);
      const fx = sx - x0;
      out[j * W + i] =
        (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x1, y0)) + fy * ((1 - fx) * at(x0, y1) + fx * at(x1, y1));
    }
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('axisTable', () => {
  it('2 → 4 uses half-pixel centres and clamps at the edges', () => {
    // dst 0: s = 0.5·0.5 − 0.5 = −0.25 → clamped 0; dst 1: 0.25; dst 2: 0.75; dst 3: 1.25 → clamped 1.
    const t = axisTable(2, 4);
    expect(Array.from(t.i0)).toEqual([0, 0, 0, 1]);
    expect(Array.from(t.i1)).toEqual([1, 1, 1, 1]);
    expect(Array.from(t.w)).toEqual([0, 0.25, 0.75, 0]);
  });
});

describe('resizeMap', () => {
  it.each([
    [7, 7, 1280, 720],
    [7, 7, 13, 9],
    [32, 32, 224, 224],
    [5, 3, 17, 31],
    [14, 14, 7, 7], // downscale too
    [1, 1, 4, 3],
  ])('%i×%i → %i×%i matches the direct half-pixel reference', (w, h, W, H) => {
    const map = randomMap(w, h, w * 1000 + H);
    const got = resizeMap(map, W, H);
    expect(got.length).toBe(W * H);
    expect(maxAbsDiff(got, reference(map, W, H))).toBeLessThan(1e-5);
  });

  it('matches tf.image.resizeBilinear(halfPixelCenters=true)', () => {
    const map = randomMap(7, 7, 42);
    const t = tf.tensor4d(map.data, [1, 7, 7, 1]);
    const r = tf.image.resizeBilinear(t, [50, 80], false, true);
    const expected = r.dataSync();
    tf.dispose([t, r]);
    expect(maxAbsDiff(resizeMap(map, 80, 50), expected)).toBeLessThan(1e-5);
  });

  it('with a window computes exactly the full result inside it and leaves the rest alone', () => {
    const map = randomMap(7, 7, 9);
    const full = resizeMap(map, 200, 120);
    const part = resizeMap(map, 200, 120, new Float32Array(200 * 120).fill(-1), { x0: 31, y0: 17, x1: 150, y1: 90 });
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 200; x++) {
        const inside = x >= 31 && x < 150 && y >= 17 && y < 90;
        expect(part[y * 200 + x]).toBe(inside ? full[y * 200 + x] : -1);
      }
    }
  });

  it('preserves a constant map exactly', () => {
    const map = camMap(7, 7, new Float32Array(49).fill(0.375));
    const got = resizeMap(map, 1280, 720);
    expect(got.every((v) => v === 0.375)).toBe(true);
  });

  it('writes into a caller buffer and reuses cached tables', () => {
    const map = randomMap(7, 7, 1);
    const buf = new Float32Array(64 * 48);
    expect(resizeMap(map, 64, 48, buf)).toBe(buf);
    expect(resizeTables(7, 7, 64, 48)).toBe(resizeTables(7, 7, 64, 48));
    expect(resizeTableCacheSize()).toBeLessThanOrEqual(16);
    expect(() => resizeMap(map, 64, 48, new Float32Array(10))).toThrow(RangeError);
  });
});

describe('resizeRgb', () => {
  it('matches the per-channel reference (rounded) and keeps flat colours flat', () => {
    const r = rng(7);
    const w = 9;
    const h = 6;
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(r() * 256);
    const got = resizeRgb({ width: w, height: h, data }, 20, 11);
    for (let c = 0; c < 3; c++) {
      const plane = new Float32Array(w * h);
      for (let i = 0; i < w * h; i++) plane[i] = data[i * 3 + c]!;
      const ref = reference(camMap(w, h, plane), 20, 11);
      for (let i = 0; i < 20 * 11; i++) expect(Math.abs(got.data[i * 3 + c]! - ref[i]!)).toBeLessThanOrEqual(0.5 + 1e-3);
    }
    const flat = resizeRgb({ width: 4, height: 4, data: new Uint8Array(48).fill(77) }, 10, 3);
    expect(flat.data.every((v) => v === 77)).toBe(true);
  });
});
