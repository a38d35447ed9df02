import { describe, expect, it } from 'vitest';
import { camMap, type CamMap } from '../core/cam-map.js';
import type { RgbImage } from '../core/frame.js';
import { MapSmoother } from './map-smoother.js';

/** 64×64 frame with a red disc (radius 8) at (cx, 32) over a muted textured background. */
function frame(cx: number): RgbImage {
  const data = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < 64 * 64; i++) {
    const x = i % 64;
    const y = Math.floor(i / 64);
    const inside = Math.min(1, Math.max(0, 8.5 - Math.hypot(x - cx, y - 32)));
    const t = 100 + 20 * Math.sin(x / 4 + y / 6);
    data.set([t * (1 - inside) + 240 * inside, t * (1 - inside) + 10 * inside, t * (1 - inside) + 30 * inside].map(Math.round), i * 3);
  }
  return { width: 64, height: 64, data };
}

/** 8×8 map peaking on the cell under x = cx (frame pixels / 8). */
function blob(cx: number): CamMap {
  return camMap(8, 8, Float32Array.from({ length: 64 }, (_, i) => Math.exp(-(((i % 8) + 0.5 - cx / 8) ** 2 + (Math.floor(i / 8) + 0.5 - 4) ** 2) / 0.8)));
}

const peakX = (m: CamMap) => m.data.indexOf(Math.max(...m.data)) % 8;

describe('MapSmoother', () => {
  it('following motion, the smoothed map stays on a moving object; averaging in place trails it', () => {
    const follow = new MapSmoother(1, 'follow');
    const still = new MapSmoother(1, 'static');
    let f: CamMap = blob(12);
    let s: CamMap = f;
    for (let t = 0; t <= 8; t++) {
      const cx = 12 + 5 * t; // 5 px a frame: about 0.6 cells
      f = follow.update(blob(cx), t / 20, frame(cx));
      s = still.update(blob(cx), t / 20, frame(cx));
    }
    expect(peakX(f)).toBe(Math.floor(52 / 8));
    expect(peakX(s)).toBeLessThan(peakX(f));
    expect(follow.lastShift.dx).toBeGreaterThan(0.4);
    expect(follow.lastShift.dx).toBeLessThan(0.8);
  });

  it('with time constant 0 returns the map itself', () => {
    const m = blob(20);
    expect(new MapSmoother(0).update(m, 0, frame(20))).toBe(m);
  });

  it('restarts after reset, on a size change and when time goes backwards', () => {
    const sm = new MapSmoother(10, 'follow');
    sm.update(blob(12), 0, frame(12));
    const other = blob(52);
    expect(Array.from(sm.update(other, 1, frame(52)).data)).not.toEqual(Array.from(other.data));
    sm.reset();
    expect(peakX(sm.update(other, 2, frame(52)))).toBe(peakX(other));
    expect(peakX(sm.update(blob(12), 1, frame(12)))).toBe(peakX(blob(12)));
    const small = camMap(4, 4, Float32Array.from({ length: 16 }, (_, i) => i / 15));
    expect(Array.from(sm.update(small, 3, frame(12)).data)).toEqual(Array.from(small.data));
  });

  it('rejects a negative or non-finite time constant', () => {
    expect(() => new MapSmoother(-1)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => new MapSmoother(Number.NaN)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
