import { describe, expect, it } from 'vitest';
import { camMap, type CamMap } from '../core/cam-map.js';
import { resizeMap } from './bilinear-resize.js';
import { blendHeatmap } from './blend-heatmap.js';
import { colormapLut } from './colormaps.js';
import { paintRegion } from './paint-region.js';
import { regionMask, regionWindow } from './region-mask.js';

/** A small deterministic generator (tests only). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('paintRegion', () => {
  it('gives the same pixels and mask as regionMask + resizeMap + blendHeatmap (random maps, sizes, alphas)', () => {
    const rand = rng(7);
    let cases = 0;
    for (let k = 0; k < 60; k++) {
      const sw = 2 + Math.floor(rand() * 8);
      const sh = 2 + Math.floor(rand() * 8);
      const w = 8 + Math.floor(rand() * 120);
      const h = 8 + Math.floor(rand() * 90);
      // Values beyond [0, 1] and exact zeros too: the LUT index clamps, the region is where the map is > 0.
      const colour: CamMap = camMap(sw, sh, Float32Array.from({ length: sw * sh }, () => rand() * 1.2 - 0.1));
      const region: CamMap = camMap(sw, sh, Float32Array.from(colour.data, (v) => (rand() < 0.4 ? 0 : Math.max(0, v))));
      const rect = regionWindow(region, w, h);
      if (!rect) continue;
      const frame = Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rand() * 256));
      const alpha = [0, 0.25, 0.5, 0.61, 1][k % 5]!;
      const lut = colormapLut((['jet', 'turbo', 'inferno'] as const)[k % 3]!);

      const wantMask = regionMask(region, w, h);
      const values = resizeMap(colour, w, h, new Float32Array(w * h), rect);
      const want = blendHeatmap(frame, values, lut, alpha, new Uint8Array(w * h * 3), wantMask, { rect, width: w });

      const out = new Uint8Array(w * h * 3).fill(0xa5);
      const mask = new Uint8Array(w * h).fill(1);
      paintRegion(frame, colour, region, lut, alpha, out, mask, w, h, rect);
      expect(mask).toEqual(wantMask);
      expect(out).toEqual(want);
      cases++;
    }
    expect(cases).toBeGreaterThan(40);
  });

  it('refuses maps of different sizes and buffers of the wrong size', () => {
    const m = camMap(2, 2, new Float32Array([1, 0, 0, 1]));
    const rect = { x0: 0, y0: 0, x1: 4, y1: 4 };
    const lut = colormapLut('jet');
    expect(() => paintRegion(new Uint8Array(48), m, camMap(1, 4, new Float32Array(4)), lut, 0.5, new Uint8Array(48), new Uint8Array(16), 4, 4, rect)).toThrow(RangeError);
    expect(() => paintRegion(new Uint8Array(48), m, m, lut, 0.5, new Uint8Array(47), new Uint8Array(16), 4, 4, rect)).toThrow(RangeError);
  });
});
