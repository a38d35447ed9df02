import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../core/frame.js';
import { colourHistogram, histogramDistance } from './colour-histogram.js';
import { DEFAULT_SCENE_CUT_THRESHOLD, SceneCutDetector } from './scene-cut-detector.js';

function solid(w: number, h: number, rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let p = 0; p < w * h; p++) data.set(rgb, p * 3);
  return { width: w, height: h, data };
}

/** A textured background with a bright square at column x: "ordinary motion" as the square moves. */
function movingSquare(x: number): RgbImage {
  const w = 32;
  const img = solid(w, w, [0, 0, 0]);
  for (let i = 0; i < w; i++) {
    for (let j = 0; j < w; j++) {
      const p = (i * w + j) * 3;
      const inside = j >= x && j < x + 8 && i >= 12 && i < 20;
      img.data[p] = inside ? 250 : 40 + ((i * 7 + j * 13) % 60);
      img.data[p + 1] = inside ? 250 : 90 + ((i * 3 + j * 5) % 40);
      img.data[p + 2] = inside ? 20 : 30 + ((i + j) % 20);
    }
  }
  return img;
}

describe('colour histogram distance', () => {
  it.each([
    { name: 'same image', a: solid(4, 4, [10, 20, 30]), b: solid(4, 4, [10, 20, 30]), want: 0 },
    { name: 'disjoint in every channel', a: solid(4, 4, [0, 0, 0]), b: solid(4, 4, [255, 255, 255]), want: 1 },
    { name: 'disjoint in one channel', a: solid(4, 4, [0, 0, 0]), b: solid(4, 4, [255, 0, 0]), want: 1 / 3 },
    { name: 'same bin', a: solid(4, 4, [0, 0, 0]), b: solid(4, 4, [15, 15, 15]), want: 0 },
  ])('$name → $want', ({ a, b, want }) => {
    expect(histogramDistance(colourHistogram(a), colourHistogram(b))).toBeCloseTo(want, 6);
  });

  it('histograms sum to 1 per channel', () => {
    const h = colourHistogram(movingSquare(3));
    for (let c = 0; c < 3; c++) expect(h.slice(c * 16, c * 16 + 16).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });
});

describe('SceneCutDetector', () => {
  it('ordinary motion does not fire; a cut to a different shot does', () => {
    const d = new SceneCutDetector();
    const cuts: number[] = [];
    const frames = [...Array.from({ length: 20 }, (_, i) => movingSquare(i)), solid(32, 32, [200, 30, 160]), solid(32, 32, [200, 30, 160])];
    frames.forEach((f, i) => d.update(f).cut && cuts.push(i));
    expect(cuts).toEqual([20]);
  });

  it('the first frame and the first after reset() are never cuts', () => {
    const d = new SceneCutDetector();
    expect(d.update(solid(2, 2, [0, 0, 0]))).toEqual({ cut: false, distance: 0 });
    expect(d.update(solid(2, 2, [255, 255, 255])).cut).toBe(true);
    d.reset();
    expect(d.update(solid(2, 2, [0, 0, 0])).cut).toBe(false);
  });

  it.each([0, -0.1, 1.5, Number.NaN])('threshold %s is rejected', (threshold) => {
    expect(() => new SceneCutDetector({ threshold })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it('has a documented default', () => {
    expect(new SceneCutDetector().threshold).toBe(DEFAULT_SCENE_CUT_THRESHOLD);
  });
});
