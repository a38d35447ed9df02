/**
 * How much of each map cell lies inside a box. Metrics treat a w×h map as piecewise constant: cell (i, j)
 * covers [j/w, (j+1)/w] × [i/h, (i+1)/h] in normalised coordinates. Coverage is the fraction of the cell's area
 * inside the box (0…1), which makes the metrics exact for coarse maps (a 7×7 layer against a small object) and
 * equal to the usual per-pixel definitions when the map has the image's resolution and the box pixel edges.
 */
import type { Box } from '../core/frame-explanation.js';

function overlap1d(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** Fraction of each cell inside `box`, row-major, length width·height. */
export function boxCoverage(width: number, height: number, box: Box): Float64Array {
  const cov = new Float64Array(width * height);
  const colCov = new Float64Array(width);
  for (let j = 0; j < width; j++) colCov[j] = overlap1d(j / width, (j + 1) / width, box.x0, box.x1) * width;
  for (let i = 0; i < height; i++) {
    const rowCov = overlap1d(i / height, (i + 1) / height, box.y0, box.y1) * height;
    if (rowCov === 0) continue;
    for (let j = 0; j < width; j++) cov[i * width + j] = rowCov * colCov[j];
  }
  return cov;
}

/** Area of a box clipped to the unit square. */
export function boxArea(box: Box): number {
  return overlap1d(0, 1, box.x0, box.x1) * overlap1d(0, 1, box.y0, box.y1);
}
