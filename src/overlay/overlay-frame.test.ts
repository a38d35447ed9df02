import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import type { RgbImage } from '../core/frame.js';
import type { ExplanationMaps, FrameExplanation } from '../core/frame-explanation.js';
import { resizeRgb } from './bilinear-resize.js';
import { gridLayout } from './grid-layout.js';
import { overlayFrame, renderOverlay } from './overlay-frame.js';
import { resolveOverlayOptions } from './overlay-options.js';
import { regionMask } from './region-mask.js';
import { regionOutline } from './region-outline.js';

const W = 64;
const H = 48;
const flat = (w: number, h: number, rgb: [number, number, number]): RgbImage => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(rgb, i * 3);
  return { width: w, height: h, data };
};
const hash = (d: Uint8Array): string => createHash('sha256').update(d).digest('hex');
const px = (img: RgbImage, x: number, y: number): number[] => Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

// 4×4 maps: consensus a ramp, MetaCAM = the top-right 2×2 block.
const consensus = camMap(4, 4, Float32Array.from({ length: 16 }, (_, i) => i / 15));
const metacam = camMap(4, 4, Float32Array.from({ length: 16 }, (_, i) => (i % 4 >= 2 && i < 8 ? i / 15 : 0)));
const maps: ExplanationMaps = {
  members: { gradcam: camMap(4, 4, new Float32Array(16).fill(1)), hirescam: consensus },
  consensus,
  metacam,
};
const explanation: FrameExplanation = {
  index: 3,
  ptsSeconds: 0.1,
  target: { index: 1, label: 'Cat', score: 0.8712 },
  top5: [],
  members: {},
  merged: [],
  consensus: { tauRaw: 0.5, tauSmoothed: 0.5, areaPercent: 25, bbox: null, centroid: null },
  sceneCut: false,
  dropped: 0,
  timings: {},
};

describe('overlayFrame, single layout', () => {
  it('never mutates the input frame and returns a new buffer of the same size', () => {
    const frame = flat(W, H, [40, 80, 120]);
    const before = hash(frame.data);
    for (const show of ['metacam', 'raw'] as const) {
      const out = overlayFrame(frame, explanation, maps, { show });
      expect(out.data).not.toBe(frame.data);
      expect([out.width, out.height, out.data.length]).toEqual([W, H, W * H * 3]);
    }
    overlayFrame(frame, explanation, maps, { layout: 'grid' });
    expect(hash(frame.data)).toBe(before);
  });

  it('metacam: heatmap only inside the region, outline (2 px, white) exactly on its inner boundary', () => {
    const frame = flat(W, H, [40, 80, 120]);
    const out = overlayFrame(frame, explanation, maps, { show: 'metacam', label: false });
    const mask = regionMask(metacam, W, H);
    const outline = regionOutline(mask, W, H, 2);
    let inside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        const p = px(out, x, y);
        if (outline[i]) expect(p, `outline (${x},${y})`).toEqual([255, 255, 255]);
        else if (mask[i]) {
          expect(p).not.toEqual([40, 80, 120]);
          inside++;
        } else expect(p, `outside (${x},${y})`).toEqual([40, 80, 120]);
      }
    }
    expect(inside).toBeGreaterThan(100);
    // The region is the top-right quarter: x ≥ 32, y < 24.
    expect(mask[10 * W + 50]).toBe(1);
    expect(mask[10 * W + 10]).toBe(0);
    expect(mask[40 * W + 50]).toBe(0);
  });

  it('raw: the whole frame is tinted; α = 0 without label returns the frame bit-exact', () => {
    const frame = flat(W, H, [40, 80, 120]);
    const raw = overlayFrame(frame, explanation, maps, { show: 'raw', label: false, alpha: 1, colormap: 'jet' });
    expect(px(raw, 0, 0)).toEqual([0, 0, 128]); // jet(0): consensus is 0 at the top-left
    expect(px(raw, W - 1, H - 1)).toEqual([128, 0, 0]); // jet(1)
    const same = overlayFrame(frame, explanation, maps, { show: 'raw', alpha: 0, label: false });
    expect(hash(same.data)).toBe(hash(frame.data));
    // In metacam mode α = 0 still draws the outline (an "outline only" look); outlineWidth 0 turns it off.
    const outlined = overlayFrame(frame, explanation, maps, { alpha: 0, label: false });
    expect(hash(outlined.data)).not.toBe(hash(frame.data));
    const bare = overlayFrame(frame, explanation, maps, { alpha: 0, label: false, outlineWidth: 0 });
    expect(hash(bare.data)).toBe(hash(frame.data));
  });

  it('draws "<label> <score>" top-left in a dark box', () => {
    const frame = flat(W * 4, H * 4, [200, 200, 200]);
    const out = overlayFrame(frame, explanation, maps, { show: 'raw', alpha: 0 });
    // "Cat 0.87" at scale 1 (192 px tall frame): box from (2,2), (8·6 − 1) + 2 = 49 wide, 10 tall.
    let white = 0;
    let dark = 0;
    for (let y = 0; y < 30; y++) {
      for (let x = 0; x < 80; x++) {
        const [r] = px(out, x, y);
        const inBox = x >= 2 && x < 51 && y >= 2 && y < 12;
        if (!inBox) expect(r, `(${x},${y})`).toBe(200);
        else if (r === 255) white++;
        else if (r! < 100) dark++;
      }
    }
    expect(white).toBeGreaterThan(40);
    expect(dark).toBeGreaterThan(white);
  });

  it('validates options (E_ARG) and inputs (E_INTERNAL)', () => {
    const frame = flat(W, H, [0, 0, 0]);
    expect(() => overlayFrame(frame, explanation, maps, { colormap: 'hot' as 'jet' })).toThrowError(/valid: jet, turbo, inferno/);
    const bad = { width: W, height: H, data: new Uint8Array(10) };
    try {
      overlayFrame(bad, explanation, maps, {});
      expect.unreachable();
    } catch (e) {
      expect((e as MetacamError).code).toBe('E_INTERNAL');
    }
    const badMaps = { ...maps, metacam: { width: 4, height: 4, data: new Float32Array(3) } };
    expect(() => overlayFrame(frame, explanation, badMaps, {})).toThrowError(/map 'metacam' is 4×4 with 3 values/);
  });
});

describe('overlayFrame, grid layout', () => {
  it('composes frame, MetaCAM and member tiles where gridLayout puts them', () => {
    const frame = flat(W, H, [40, 80, 120]);
    const out = overlayFrame(frame, explanation, maps, { layout: 'grid', label: false, titles: { gradcam: 'Grad-CAM' } });
    const g = gridLayout(W, H, 4);
    expect([out.width, out.height]).toEqual([g.width, g.height]);
    expect(out.width % 2 + (out.height % 2)).toBe(0);
    const small = resizeRgb(frame, g.tileWidth, g.tileHeight);
    const tilePx = (t: number, x: number, y: number): number[] => px(out, g.cells[t]!.x + x, g.cells[t]!.y + y);
    // Tile 0: the plain frame (below its caption).
    expect(tilePx(0, g.tileWidth - 1, g.tileHeight - 1)).toEqual(px(small, g.tileWidth - 1, g.tileHeight - 1));
    // Tile 1: MetaCAM — bottom-left untouched, inside the top-right region tinted.
    expect(tilePx(1, 2, g.tileHeight - 2)).toEqual([40, 80, 120]);
    expect(tilePx(1, Math.floor(g.tileWidth * 0.8), Math.floor(g.tileHeight * 0.3))).not.toEqual([40, 80, 120]);
    // Tile 2: gradcam, a constant 1 map → jet(1) blended at α 0.5 everywhere (below the caption).
    expect(tilePx(2, g.tileWidth - 1, g.tileHeight - 1)).toEqual([84, 40, 60]);
    // Gutters stay background.
    expect(px(out, 0, 0)).toEqual([24, 24, 24]);
    // The same member count gives the same size.
    const again = overlayFrame(frame, explanation, { ...maps, members: { a: consensus, b: consensus } }, { layout: 'grid' });
    expect([again.width, again.height]).toEqual([out.width, out.height]);
  });
});

describe('renderOverlay into a recycled buffer', () => {
  it('writes every byte of `into` (stale contents never show), the same pixels as a fresh output, for every mode', () => {
    const frame = flat(W, H, [40, 80, 120]);
    for (const o of [{ show: 'metacam' }, { show: 'raw' }, { show: 'metacam', alpha: 0 }, { layout: 'grid' }] as const) {
      const resolved = resolveOverlayOptions(o);
      const fresh = renderOverlay(frame, explanation, maps, resolved);
      const stale = new Uint8Array(fresh.data.length).fill(0xa5);
      const into = renderOverlay(frame, explanation, maps, resolved, stale);
      expect(into.data).toBe(stale);
      expect([into.width, into.height]).toEqual([fresh.width, fresh.height]);
      expect(hash(into.data)).toBe(hash(fresh.data));
    }
  });

  it('refuses a buffer of the wrong size or the input frame itself', () => {
    const frame = flat(W, H, [40, 80, 120]);
    const o = resolveOverlayOptions({});
    expect(() => renderOverlay(frame, explanation, maps, o, new Uint8Array(10))).toThrow(RangeError);
    expect(() => renderOverlay(frame, explanation, maps, o, frame.data)).toThrow(RangeError);
    expect(() => renderOverlay(frame, explanation, maps, resolveOverlayOptions({ layout: 'grid' }), new Uint8Array(10))).toThrow(RangeError);
  });
});
