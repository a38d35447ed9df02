import { describe, expect, it } from 'vitest';
import { gridLayout } from './grid-layout.js';

describe('gridLayout', () => {
  it.each([
    // frame, tiles → cols×rows
    [1280, 720, 13, 4, 4],
    [1280, 720, 8, 3, 3],
    [1280, 720, 3, 2, 2],
    [224, 224, 2, 2, 1],
    [1920, 1080, 1, 1, 1],
    [321, 181, 13, 4, 4],
  ])('%i×%i with %i tiles → %i×%i, even sizes, within limits', (w, h, tiles, cols, rows) => {
    const g = gridLayout(w, h, tiles);
    expect([g.cols, g.rows]).toEqual([cols, rows]);
    for (const v of [g.width, g.height, g.tileWidth, g.tileHeight, g.gap]) expect(v % 2).toBe(0);
    expect(g.width).toBeLessThanOrEqual(1920);
    expect(g.height).toBeLessThanOrEqual(1080);
    expect(g.width).toBe(cols * g.tileWidth + (cols + 1) * g.gap);
    expect(g.height).toBe(rows * g.tileHeight + (rows + 1) * g.gap);
    expect(g.tileWidth).toBeLessThanOrEqual(w + 1);
    // Aspect ratio of the tiles follows the frame (within the even rounding).
    expect(Math.abs(g.tileWidth / g.tileHeight - w / h)).toBeLessThan(0.05 * (w / h) + 2 / g.tileHeight);
  });

  it('places tiles row-major with gutters, none overlapping, all inside', () => {
    const g = gridLayout(1280, 720, 13);
    expect(g.cells[0]).toEqual({ x: g.gap, y: g.gap });
    expect(g.cells[1]).toEqual({ x: 2 * g.gap + g.tileWidth, y: g.gap });
    expect(g.cells[4]).toEqual({ x: g.gap, y: 2 * g.gap + g.tileHeight });
    for (const c of g.cells) {
      expect(c.x + g.tileWidth).toBeLessThanOrEqual(g.width - g.gap);
      expect(c.y + g.tileHeight).toBeLessThanOrEqual(g.height - g.gap);
    }
  });

  it('is the same for the same inputs (constant per member count) and keeps small frames at full size', () => {
    expect(gridLayout(640, 360, 5)).toEqual(gridLayout(640, 360, 5));
    const small = gridLayout(224, 224, 13);
    expect([small.tileWidth, small.tileHeight]).toEqual([224, 224]);
  });

  it('respects custom limits and rejects a bad tile count', () => {
    const g = gridLayout(1280, 720, 4, 800, 800);
    expect(g.width).toBeLessThanOrEqual(800);
    expect(() => gridLayout(100, 100, 0)).toThrow(RangeError);
  });
});
