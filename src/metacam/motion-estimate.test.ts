import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../core/frame.js';
import { estimateShift, motionPlanes, shiftMap } from './motion-estimate.js';

/** A 64×64 frame: a smooth muted background drifting by `bg` px and a saturated disc of radius 9 at (cx, cy). */
function frame(cx: number, cy: number, bg = 0): RgbImage {
  const w = 64;
  const data = new Uint8Array(w * w * 3);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 3;
      const t = 90 + 30 * Math.sin((x - bg) / 5) * Math.cos(y / 7);
      // anti-aliased disc edge so sub-pixel positions change the pixels
      const inside = Math.min(1, Math.max(0, 9.5 - Math.hypot(x - cx, y - cy)));
      data[p] = Math.round(t * (1 - inside) + 240 * inside);
      data[p + 1] = Math.round(t * (1 - inside) + 20 * inside);
      data[p + 2] = Math.round(t * (1 - inside) + 40 * inside);
    }
  }
  return { width: w, height: w, data };
}

function discWeight(cx: number, cy: number): Float32Array {
  return Float32Array.from({ length: 64 * 64 }, (_, i) => (Math.hypot((i % 64) - cx, Math.floor(i / 64) - cy) < 14 ? 1 : 0));
}

describe('estimateShift', () => {
  it('finds a sub-pixel translation of the object under the weight', () => {
    const s = estimateShift(motionPlanes(frame(30, 30)), motionPlanes(frame(31.5, 29.25)), discWeight(30, 30));
    expect(s.dx).toBeCloseTo(1.5, 1);
    expect(s.dy).toBeCloseTo(-0.75, 1);
  });

  it('follows the weighted object, not a background that moves the other way', () => {
    const s = estimateShift(motionPlanes(frame(30, 30, 0)), motionPlanes(frame(31, 30, -2)), discWeight(30, 30));
    expect(s.dx).toBeGreaterThan(0.5);
    const whole = estimateShift(motionPlanes(frame(30, 30, 0)), motionPlanes(frame(31, 30, -2)), new Float32Array(64 * 64).fill(1));
    expect(whole.dx).toBeLessThan(s.dx);
  });

  it('says no motion when nothing is weighted, when there is no texture, or when sizes differ', () => {
    const a = motionPlanes(frame(30, 30));
    const b = motionPlanes(frame(32, 30));
    expect(estimateShift(a, b, new Float32Array(64 * 64))).toEqual({ dx: 0, dy: 0 });
    const flat: RgbImage = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(100) };
    expect(estimateShift(motionPlanes(flat), motionPlanes(flat), new Float32Array(64 * 64).fill(1))).toEqual({ dx: 0, dy: 0 });
    expect(estimateShift(a, motionPlanes(frame(30, 30), 32), new Float32Array(64 * 64).fill(1))).toEqual({ dx: 0, dy: 0 });
  });
});

describe('motionPlanes', () => {
  it('box-averages to at most the requested side, one plane per channel in [0, 1]', () => {
    const big: RgbImage = { width: 224, height: 160, data: new Uint8Array(224 * 160 * 3).fill(255) };
    const p = motionPlanes(big, 64);
    expect([p.width, p.height]).toEqual([56, 40]);
    expect(p.planes).toHaveLength(3);
    expect(p.planes[1]![0]).toBeCloseTo(1, 6);
  });
});

describe('shiftMap', () => {
  it('moves a map by whole and fractional cells', () => {
    const m = Float32Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(shiftMap(m, 3, 3, { dx: 1, dy: 0 }))).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(shiftMap(m, 3, 3, { dx: 0.5, dy: 0 }))).toEqual([0, 0, 0, 0, 0.5, 0.5, 0, 0, 0]);
  });
});

describe('translatePlane', () => {
  it('equals bilinear sampling at every pixel, edges clamped, for shifts inside and beyond the plane', async () => {
    const { bilinear, translatePlane } = await import('./motion-estimate.js');
    const w = 7;
    const h = 5;
    const src = Float32Array.from({ length: w * h }, (_, i) => Math.sin(i * 1.7) + i / 10);
    for (const [ox, oy] of [[0, 0], [0.25, -0.5], [-1.75, 2.2], [3.5, -4.1], [-9, 9]] as const) {
      const out = translatePlane(src, w, h, ox, oy);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) expect(out[y * w + x]).toBeCloseTo(bilinear(src, w, h, x + ox, y + oy), 5);
      }
    }
  });
});
