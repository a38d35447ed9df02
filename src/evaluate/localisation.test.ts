import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { boxCoverage } from './box-coverage.js';
import { energyInBox } from './energy-in-box.js';
import { pixelBoxToNormalised } from './pixel-box.js';
import { pointingGame } from './pointing-game.js';
import { regionBoxIoU } from './region-box-iou.js';

/** 4×4 maps written as rows. */
const m = (...rows: number[][]) => camMap(rows[0].length, rows.length, Float32Array.from(rows.flat()));
const topLeft = { x0: 0, y0: 0, x1: 0.5, y1: 0.5 }; // the top-left 2×2 cells of a 4×4 map

describe('boxCoverage', () => {
  it('is the fraction of each cell inside the box', () => {
    expect(Array.from(boxCoverage(2, 2, { x0: 0.25, y0: 0, x1: 1, y1: 0.5 }))).toEqual([0.5, 1, 0, 0]);
  });
});

describe('pointing game', () => {
  it.each([
    { name: 'unique max inside', map: m([0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0.5, 0], [0, 0, 0, 0]), box: topLeft, want: 1 },
    { name: 'unique max outside', map: m([0, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]), box: topLeft, want: 0 },
    { name: 'tie: 1 of 2 maxima inside', map: m([1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]), box: topLeft, want: 0.5 },
    { name: 'max cell half inside the box', map: m([0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]), box: { x0: 0, y0: 0, x1: 0.375, y1: 1 }, want: 0.5 },
    { name: 'all-zero map points nowhere', map: m([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]), box: topLeft, want: 0 },
  ])('$name → $want', ({ map, box, want }) => {
    expect(pointingGame(map, box)).toBeCloseTo(want, 12);
  });
});

describe('energy in box', () => {
  it.each([
    { name: 'all mass inside', map: m([1, 0.5, 0, 0], [0.5, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]), box: topLeft, want: 1 },
    { name: 'uniform map → box area', map: m([1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]), box: topLeft, want: 0.25 },
    { name: '3 of 4 units inside', map: m([1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]), box: topLeft, want: 0.75 },
    { name: 'partial cell counted by coverage', map: m([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 4]), box: { x0: 0.875, y0: 0.75, x1: 1, y1: 1 }, want: 0.5 },
    { name: 'all-zero map', map: m([0, 0], [0, 0]), box: topLeft, want: 0 },
  ])('$name → $want', ({ map, box, want }) => {
    expect(energyInBox(map, box)).toBeCloseTo(want, 12);
  });
});

describe('IoU of the thresholded region with the box', () => {
  it.each([
    { name: 'region = box', map: m([1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]), box: topLeft, want: 1 },
    { name: 'region inside box, 1 of 4 cells', map: m([0.3, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]), box: topLeft, want: 0.25 },
    { name: 'region twice the box', map: m([1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0]), box: topLeft, want: 0.5 },
    { name: 'disjoint', map: m([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]), box: topLeft, want: 0 },
    // region: top-left 2×2 cells (area 0.25); box: [0.25,0.75]² (area 0.25); overlap: 1 cell (1/16)
    { name: 'shifted by one cell', map: m([1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]), box: { x0: 0.25, y0: 0.25, x1: 0.75, y1: 0.75 }, want: (1 / 16) / (0.5 - 1 / 16) },
    { name: 'empty region', map: m([0, 0], [0, 0]), box: topLeft, want: 0 },
  ])('$name → $want', ({ map, box, want }) => {
    expect(regionBoxIoU(map, box)).toBeCloseTo(want, 12);
  });
});

describe('pixelBoxToNormalised', () => {
  it('divides by the clip size', () => {
    expect(pixelBoxToNormalised([32, 18, 64, 36], 128, 72)).toEqual({ x0: 0.25, y0: 0.25, x1: 0.5, y1: 0.5 });
  });
  it('rejects a zero-size clip', () => {
    expect(() => pixelBoxToNormalised([0, 0, 1, 1], 0, 10)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
