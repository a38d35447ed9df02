import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { alphaWeight, blendHeatmap, paintMask } from './blend-heatmap.js';
import { colormapLut } from './colormaps.js';
import { resizeMap } from './bilinear-resize.js';
import { regionMask, regionWindow } from './region-mask.js';
import { maskBounds, regionOutline } from './region-outline.js';

/** Parse a picture of a mask ('#' = 1). */
function parse(rows: string[]): { mask: Uint8Array; w: number; h: number } {
  const h = rows.length;
  const w = rows[0]!.length;
  const mask = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((ch, x) => (mask[y * w + x] = ch === '#' || ch === 'o' ? 1 : 0)));
  return { mask, w, h };
}
const picture = (m: Uint8Array, w: number): string[] =>
  Array.from({ length: m.length / w }, (_, y) => Array.from(m.subarray(y * w, y * w + w), (v) => (v ? 'o' : '.')).join(''));

describe('regionOutline', () => {
  const region = [
    '..........',
    '..######..',
    '..######..',
    '..######..',
    '..######..',
    '..######..',
    '....###...',
    '..........',
  ];

  it('1 px: exactly the region pixels with a 4-neighbour outside', () => {
    const { mask, w, h } = parse(region);
    expect(picture(regionOutline(mask, w, h, 1), w)).toEqual([
      '..........',
      '..oooooo..',
      '..o....o..',
      '..o....o..',
      '..o....o..',
      '..oo...o..',
      '....ooo...',
      '..........',
    ]);
  });

  it('2 px: two steps deep, still inside the region', () => {
    const { mask, w, h } = parse(region);
    expect(picture(regionOutline(mask, w, h, 2), w)).toEqual([
      '..........',
      '..oooooo..',
      '..oooooo..',
      '..oo..oo..',
      '..oo..oo..', // (4,4) and (5,4) are 3 steps from outside in every direction
      '..oooooo..',
      '....ooo...',
      '..........',
    ]);
  });

  it('does not outline along the image border; empty mask → empty outline', () => {
    const { mask, w, h } = parse(['####..', '####..', '####..']);
    expect(picture(regionOutline(mask, w, h, 1), w)).toEqual(['...o..', '...o..', '...o..']);
    expect(regionOutline(new Uint8Array(12), 4, 3).every((v) => v === 0)).toBe(true);
  });

  it('maskBounds', () => {
    const { mask, w, h } = parse(region);
    expect(maskBounds(mask, w, h)).toEqual({ x0: 2, y0: 1, x1: 8, y1: 7 });
    expect(maskBounds(new Uint8Array(4), 2, 2)).toBeNull();
  });
});

describe('regionMask', () => {
  it('cuts the upsampled indicator at 0.5: the boundary falls on the source cell edges', () => {
    // 2×2 map with only the top-left cell in the region, upsampled ×4 to 8×8.
    const m = regionMask(camMap(2, 2, new Float32Array([0.7, 0, 0, 0])), 8, 8);
    const rows = picture(m, 8);
    expect(rows.slice(0, 4).every((r) => r.startsWith('oooo'))).toBe(false); // corner at the cell edge is rounded
    expect(rows[0]).toBe('oooo....');
    expect(rows[1]).toBe('oooo....');
    expect(rows[4]).toBe('........');
    expect(m.reduce((s, v) => s + v, 0)).toBeGreaterThanOrEqual(14);
    expect(m.reduce((s, v) => s + v, 0)).toBeLessThanOrEqual(16);
  });

  it('computed in its window equals cutting the full upsampled indicator at 0.5, and the window holds it all', () => {
    let seed = 5;
    const rnd = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 20; trial++) {
      const data = new Float32Array(49);
      const cx = Math.floor(rnd() * 7);
      const cy = Math.floor(rnd() * 7);
      for (let i = 0; i < 49; i++) if (Math.abs((i % 7) - cx) + Math.abs(Math.floor(i / 7) - cy) <= trial % 3) data[i] = 0.5 + rnd() / 2;
      const map = camMap(7, 7, data);
      const indicator = camMap(7, 7, data.map((v) => (v > 0 ? 1 : 0)));
      const full = resizeMap(indicator, 160, 90);
      const mask = regionMask(map, 160, 90, new Uint8Array(160 * 90).fill(1));
      const win = regionWindow(map, 160, 90)!;
      for (let i = 0; i < 160 * 90; i++) {
        expect(mask[i]).toBe(full[i]! >= 0.5 ? 1 : 0);
        const x = i % 160;
        const y = Math.floor(i / 160);
        if (full[i]! > 0) expect(x >= win.x0 && x < win.x1 && y >= win.y0 && y < win.y1).toBe(true);
      }
    }
    expect(regionWindow(camMap(2, 2, new Float32Array(4)), 10, 10)).toBeNull();
  });

  it('is all set for a map that is positive everywhere, empty for a zero map', () => {
    expect(regionMask(camMap(3, 3, new Float32Array(9).fill(0.2)), 20, 10).every((v) => v === 1)).toBe(true);
    expect(regionMask(camMap(3, 3, new Float32Array(9)), 20, 10).every((v) => v === 0)).toBe(true);
  });
});

describe('blendHeatmap (2×2 by hand)', () => {
  const frame = new Uint8Array([10, 20, 30, 200, 100, 50, 0, 0, 0, 255, 255, 255]);
  const values = new Float32Array([0, 1, 0.5, 1]);
  const jet = colormapLut('jet');
  const col = (v: number): number[] => {
    const i = Math.round(v * 255) * 3;
    return [jet[i]!, jet[i + 1]!, jet[i + 2]!];
  };

  it('α = 0 leaves the frame unchanged', () => {
    const out = blendHeatmap(frame, values, jet, 0, new Uint8Array(12));
    expect(Array.from(out)).toEqual(Array.from(frame));
  });

  it('α = 1 gives the pure colormap inside the mask and the frame outside', () => {
    const mask = new Uint8Array([1, 1, 0, 1]);
    const out = blendHeatmap(frame, values, jet, 1, new Uint8Array(12), mask);
    expect(Array.from(out)).toEqual([...col(0), ...col(1), 0, 0, 0, ...col(1)]);
    expect(col(0)).toEqual([0, 0, 128]);
    expect(col(1)).toEqual([128, 0, 0]);
  });

  it('α = 0.5 is the rounded mean of frame and colour', () => {
    const out = blendHeatmap(frame, values, jet, 0.5, new Uint8Array(12));
    // pixel 0: frame (10,20,30), jet(0) = (0,0,128) → (5, 10, 79); pixel 1: (200,100,50)+(128,0,0) → (164, 50, 25)
    expect(Array.from(out.subarray(0, 6))).toEqual([5, 10, 79, 164, 50, 25]);
    const c = col(0.5);
    expect(Array.from(out.subarray(6, 9))).toEqual(c.map((v) => Math.floor((v * 128 + 128) / 256)));
  });

  it('α = 0.25 weights 64/256 and never touches the input frame', () => {
    const before = Array.from(frame);
    const out = blendHeatmap(frame, values, jet, 0.25, new Uint8Array(12));
    expect(alphaWeight(0.25)).toBe(64);
    expect(out[0]).toBe((10 * 192 + 0 * 64 + 128) >> 8);
    expect(out[2]).toBe((30 * 192 + 128 * 64 + 128) >> 8);
    expect(Array.from(frame)).toEqual(before);
  });

  it('with a mask window, blends only inside it and copies the frame elsewhere', () => {
    // 3×2 image, mask set at (1,0) and (2,1); window covers x 1..2, y 0..1.
    const f = new Uint8Array(18).fill(100);
    const v = new Float32Array(6).fill(1);
    const mask = new Uint8Array([0, 1, 0, 0, 0, 1]);
    const out = blendHeatmap(f, v, jet, 1, new Uint8Array(18).fill(7), mask, { rect: { x0: 1, y0: 0, x1: 3, y1: 2 }, width: 3 });
    expect(Array.from(out)).toEqual([100, 100, 100, 128, 0, 0, 100, 100, 100, 100, 100, 100, 100, 100, 100, 128, 0, 0]);
  });

  it('rejects mismatched sizes', () => {
    expect(() => blendHeatmap(frame, new Float32Array(3), jet, 0.5, new Uint8Array(12))).toThrow(RangeError);
  });

  it('paintMask writes the colour only on set pixels', () => {
    const out = new Uint8Array(12);
    paintMask(out, new Uint8Array([0, 1, 0, 1]), [1, 2, 3]);
    expect(Array.from(out)).toEqual([0, 0, 0, 1, 2, 3, 0, 0, 0, 1, 2, 3]);
  });
});
