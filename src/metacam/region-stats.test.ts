import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { regionStats } from './region-stats.js';

const m = (w: number, h: number, d: number[]) => camMap(w, h, Float32Array.from(d));

describe('regionStats', () => {
  it.each([
    { name: 'empty', map: m(2, 2, [0, 0, 0, 0]), want: { areaPercent: 0, bbox: null, centroid: null } },
    { name: 'one pixel', map: m(4, 2, [0, 0, 0, 0, 0, 0.5, 0, 0]), want: { areaPercent: 12.5, bbox: { x0: 0.25, y0: 0.5, x1: 0.5, y1: 1 }, centroid: { x: 0.375, y: 0.75 } } },
    { name: 'whole map', map: m(2, 2, [1, 1, 1, 1]), want: { areaPercent: 100, bbox: { x0: 0, y0: 0, x1: 1, y1: 1 }, centroid: { x: 0.5, y: 0.5 } } },
    // two pixels on the top row, mass 3:1 → centroid at (3·0.125 + 1·0.875)/4 = 0.3125
    { name: 'mass-weighted centroid', map: m(4, 1, [0.75, 0, 0, 0.25]), want: { areaPercent: 50, bbox: { x0: 0, y0: 0, x1: 1, y1: 1 }, centroid: { x: 0.3125, y: 0.5 } } },
    { name: 'L shape', map: m(3, 3, [1, 0, 0, 1, 0, 0, 1, 1, 0]), want: { areaPercent: (4 / 9) * 100, bbox: { x0: 0, y0: 0, x1: 2 / 3, y1: 1 }, centroid: { x: (3 * (0.5 / 3) + 1.5 / 3) / 4, y: (0.5 / 3 + 1.5 / 3 + 2 * (2.5 / 3)) / 4 } } },
  ])('$name', ({ map, want }) => {
    const r = regionStats(map);
    expect(r.areaPercent).toBeCloseTo(want.areaPercent, 9);
    if (want.bbox === null) expect(r.bbox).toBeNull();
    else for (const k of ['x0', 'y0', 'x1', 'y1'] as const) expect(r.bbox![k]).toBeCloseTo(want.bbox[k], 9);
    if (want.centroid === null) expect(r.centroid).toBeNull();
    else {
      expect(r.centroid!.x).toBeCloseTo(want.centroid.x, 6);
      expect(r.centroid!.y).toBeCloseTo(want.centroid.y, 6);
    }
  });
});
