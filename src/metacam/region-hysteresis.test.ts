import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { RegionHysteresis } from './region-hysteresis.js';

const map = (...v: number[]) => camMap(v.length, 1, Float32Array.from(v));
const region = (t: { map: { data: Float32Array } }) => Array.from(t.map.data, (v) => (v > 0 ? 1 : 0));

describe('RegionHysteresis', () => {
  it('keeps a pixel that was in the region while it stays ≥ (1 − h)·τ, and lets new pixels in only at τ', () => {
    const h = new RegionHysteresis(0.2);
    expect(region(h.apply(map(0.9, 0.5, 0.1), 0.5, false))).toEqual([1, 1, 0]);
    // τ = 0.5: the second pixel (was in) holds at 0.45 ≥ 0.4; the third (was out) needs 0.5.
    expect(region(h.apply(map(0.9, 0.45, 0.45), 0.5, false))).toEqual([1, 1, 0]);
    // below (1 − h)·τ it leaves
    expect(region(h.apply(map(0.9, 0.35, 0.45), 0.5, false))).toEqual([1, 0, 0]);
  });

  it('with band 0, or after reset, is the plain threshold', () => {
    const none = new RegionHysteresis(0);
    none.apply(map(0.9, 0.5), 0.5, false);
    expect(region(none.apply(map(0.9, 0.45), 0.5, false))).toEqual([1, 0]);
    const h = new RegionHysteresis(0.2);
    h.apply(map(0.9, 0.5), 0.5, false);
    h.reset();
    expect(region(h.apply(map(0.9, 0.45), 0.5, false))).toEqual([1, 0]);
  });

  it('never keeps a pixel whose value is 0, and forgets the region when the size changes', () => {
    const h = new RegionHysteresis(0.5);
    h.apply(map(0.9, 0.5), 0.5, true);
    expect(region(h.apply(map(0.9, 0), 0.5, true))).toEqual([1, 0]);
    expect(region(h.apply(map(0.9, 0.3, 0.3), 0.5, true))).toEqual([1, 0, 0]);
  });

  it('rejects a band outside [0, 0.9]', () => {
    expect(() => new RegionHysteresis(1)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => new RegionHysteresis(-0.1)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
