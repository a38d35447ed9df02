import { describe, expect, it } from 'vitest';
import { camMap, type CamMap } from '../core/cam-map.js';
import { adaptiveThreshold } from './adaptive-threshold.js';
import { consensusMap } from './consensus.js';
import { normaliseMinMax } from './normalise.js';

/** A 10×10 map that is 0.1 everywhere, with a peak of the given value on the listed pixels. */
function blob(pixels: number[], value = 1): CamMap {
  const d = new Float32Array(100).fill(0.1);
  for (const p of pixels) d[p] = value;
  return camMap(10, 10, d);
}

describe('consensus', () => {
  it('two agreeing members beat one outlier', () => {
    const agree = [44, 45, 54, 55, 46, 56, 64, 65, 66, 34]; // 10 pixels = top 10%
    const outlier = [0, 1, 2, 10, 11, 12, 20, 21, 22, 3];
    const members = [blob(agree), blob(agree, 0.9), blob(outlier)];
    const t = members.map((m) => adaptiveThreshold(m, 10).map);
    const s = consensusMap(t);
    const metacam = adaptiveThreshold(s, 10).map;
    const region = Array.from(metacam.data).flatMap((v, i) => (v > 0 ? [i] : []));
    expect(region.sort((a, b) => a - b)).toEqual([...agree].sort((a, b) => a - b));
    for (const p of outlier) expect(metacam.data[p]).toBe(0);
  });

  it('normalise(S) is in [0,1] with max 1', () => {
    const s = consensusMap([camMap(2, 1, Float32Array.from([0.5, 1])), camMap(2, 1, Float32Array.from([0, 1]))]);
    expect(Array.from(s.data)).toEqual([0, 1]);
  });

  it('an all-zero S gives an all-zero consensus and an empty region, no NaN', () => {
    const s = consensusMap([camMap(3, 3), camMap(3, 3)]);
    expect(Array.from(s.data).every((v) => v === 0)).toBe(true);
    const r = adaptiveThreshold(s, 10);
    expect(r.areaPercent).toBe(0);
    expect(Number.isNaN(r.tau)).toBe(false);
  });

  it.each([
    { data: [2, 4, 6], want: [0, 0.5, 1] },
    { data: [3, 3, 3], want: [0, 0, 0] },
    { data: [0, 0], want: [0, 0] },
  ])('normaliseMinMax($data)', ({ data, want }) => {
    expect(Array.from(normaliseMinMax(camMap(data.length, 1, Float32Array.from(data))).data)).toEqual(want);
  });

  it('rejects members of different sizes', () => {
    expect(() => consensusMap([camMap(2, 2), camMap(3, 3)])).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
  });
});
