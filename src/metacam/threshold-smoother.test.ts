import { describe, expect, it } from 'vitest';
import { MapSmoother } from './map-smoother.js';
import { ThresholdSmoother } from './threshold-smoother.js';
import { camMap } from '../core/cam-map.js';

/**
 * Frame 0 (pts 0) has τ = 0, every later frame τ = 1: a unit step right after t = 0. Returns the smoothed τ
 * at every frame time up to `seconds`.
 */
function stepResponse(fps: number, T: number, seconds: number): Map<number, number> {
  const s = new ThresholdSmoother(T);
  const out = new Map<number, number>(); // key: pts rounded to 1 µs, for lookups across frame rates
  for (let i = 0; i <= Math.round(seconds * fps); i++) {
    const pts = i / fps;
    out.set(Math.round(pts * 1e6) / 1e6, s.update(i === 0 ? 0 : 1, pts));
  }
  return out;
}

describe('ThresholdSmoother', () => {
  it.each([10, 60])('a step reaches 1 − exp(−t/T) at every frame time, at %i fps', (fps) => {
    const T = 0.5;
    for (const [t, tau] of stepResponse(fps, T, 2)) expect(tau).toBeCloseTo(1 - Math.exp(-t / T), 5);
  });

  it('10 fps and 60 fps give the same τ at the same time', () => {
    const a = stepResponse(10, 0.5, 2);
    const b = stepResponse(60, 0.5, 2);
    for (const t of [0.5, 1, 1.5, 2]) expect(a.get(t)).toBeCloseTo(b.get(t)!, 9);
    // After one time constant, 63.2% of the step, at either rate.
    expect(a.get(0.5)).toBeCloseTo(1 - Math.exp(-1), 9);
    // A per-frame EMA with a fixed β would not do this: at 60 fps it would move 6× as far per second.
    const fixed = (fps: number) => 1 - Math.pow(Math.exp(-0.1 / 0.5), 0.5 * fps);
    expect(Math.abs(fixed(60) - fixed(10))).toBeGreaterThan(0.3);
  });

  it('T = 0 disables smoothing', () => {
    const s = new ThresholdSmoother(0);
    expect(s.update(0.2, 0)).toBe(0.2);
    expect(s.update(0.9, 0.1)).toBe(0.9);
  });

  it('reset() and pts going backwards restart from the raw value', () => {
    const s = new ThresholdSmoother(1);
    s.update(0, 0);
    expect(s.update(1, 0.1)).toBeLessThan(0.2);
    s.reset();
    expect(s.value).toBeNull();
    expect(s.update(1, 0.2)).toBe(1);
    expect(s.update(0.3, 0.1)).toBe(0.3);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects T=%s', (T) => {
    expect(() => new ThresholdSmoother(T)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});

describe('MapSmoother', () => {
  it('averages per pixel with β = exp(−Δt/T) and re-normalises', () => {
    const s = new MapSmoother(1);
    s.update(camMap(3, 1, Float32Array.from([0, 0.5, 1])), 0);
    const beta = Math.exp(-1);
    const out = s.update(camMap(3, 1, Float32Array.from([1, 0.5, 0])), 1);
    const raw = [beta * 0 + (1 - beta), 0.5, beta];
    const min = Math.min(...raw);
    const max = Math.max(...raw);
    expect(Array.from(out.data).map((v) => +v.toFixed(5))).toEqual(raw.map((v) => +((v - min) / (max - min)).toFixed(5)));
    s.reset();
    expect(Array.from(s.update(camMap(3, 1, Float32Array.from([1, 0.5, 0])), 2).data)).toEqual([1, 0.5, 0]);
  });
});
