import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { adaptiveThreshold, applyThreshold } from './adaptive-threshold.js';

const ramp = (n: number) => camMap(n, 1, Float32Array.from({ length: n }, (_, i) => i / (n - 1)));

describe('adaptiveThreshold', () => {
  it.each([
    // 0..1 in 11 steps: the 0.9 quantile is 0.9 exactly, so 0.9 and 1.0 stay (2 of 11 pixels).
    { name: 'k=10 on an 11-ramp', map: ramp(11), k: 10, tau: 0.9, kept: [0.9, 1], area: (2 / 11) * 100 },
    // 0..1 in 10 steps: h = 8.1 → τ between 8/9 and 1, only the maximum stays: exactly 10%.
    { name: 'k=10 on a 10-ramp', map: ramp(10), k: 10, tau: 8 / 9 + 0.1 / 9, kept: [1], area: 10 },
    { name: 'k=50 on a 10-ramp', map: ramp(10), k: 50, tau: 0.5, kept: [5 / 9, 6 / 9, 7 / 9, 8 / 9, 1], area: 50 },
    // ties are never split: three pixels share the maximum, k=10 keeps all three.
    { name: 'ties kept together', map: camMap(5, 1, Float32Array.from([0, 0.2, 1, 1, 1])), k: 10, tau: 1, kept: [1, 1, 1], area: 60 },
    // constant non-zero map: the whole map is the region.
    { name: 'constant map', map: camMap(2, 2, Float32Array.from([0.5, 0.5, 0.5, 0.5])), k: 10, tau: 0.5, kept: [0.5, 0.5, 0.5, 0.5], area: 100 },
    // all-zero map: τ = 0 but a zero pixel is never in a region.
    { name: 'all-zero map → empty', map: camMap(2, 2), k: 10, tau: 0, kept: [], area: 0 },
  ])('$name', ({ map, k, tau, kept, area }) => {
    const r = adaptiveThreshold(map, k);
    expect(r.tau).toBeCloseTo(tau, 6);
    expect(r.areaPercent).toBeCloseTo(area, 6);
    expect(Array.from(r.map.data).filter((v) => v > 0).map((v) => +v.toFixed(6))).toEqual(kept.map((v) => +v.toFixed(6)));
    expect(r.map.width).toBe(map.width);
    expect(r.map.height).toBe(map.height);
  });

  it('binary mode keeps 1s, and still nothing on an all-zero map', () => {
    expect(Array.from(adaptiveThreshold(ramp(10), 30, { binary: true }).map.data)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(adaptiveThreshold(camMap(3, 1), 30, { binary: true }).map.data)).toEqual([0, 0, 0]);
  });

  it.each([0, 100, -5, 150, Number.NaN, Number.POSITIVE_INFINITY])('k=%s is rejected with E_ARG and says what is accepted', (k) => {
    expect(() => adaptiveThreshold(ramp(10), k)).toThrow(expect.objectContaining({ code: 'E_ARG', message: expect.stringMatching(/strictly between 0 and 100/) }));
  });

  it('applyThreshold applies a given (smoothed) τ', () => {
    const r = applyThreshold(ramp(5), 0.6);
    expect(Array.from(r.map.data)).toEqual([0, 0, 0, 0.75, 1]);
    expect(r.areaPercent).toBe(40);
  });
});
