/**
 * Statistics of a thresholded map's region (pixels with value > 0): area in percent, bounding box and
 * mass-weighted centroid in normalised image coordinates. Pixel (row i, column j) of a w×h map covers
 * [j/w, (j+1)/w] × [i/h, (i+1)/h]; its centre is ((j+½)/w, (i+½)/h). The bounding box spans the covered
 * pixels' outer edges; the centroid weights pixel centres by their values (in binary mode: the plain centre).
 */
import type { CamMap } from '../core/cam-map.js';
import type { Box } from '../core/frame-explanation.js';

export interface RegionStats {
  readonly areaPercent: number;
  readonly bbox: Box | null;
  readonly centroid: { readonly x: number; readonly y: number } | null;
}

export function regionStats(map: CamMap): RegionStats {
  const { width: w, height: h, data } = map;
  let count = 0;
  let mass = 0;
  let sx = 0;
  let sy = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = data[i * w + j];
      if (!(v > 0)) continue;
      count++;
      mass += v;
      sx += v * (j + 0.5);
      sy += v * (i + 0.5);
      if (j < minX) minX = j;
      if (j > maxX) maxX = j;
      if (i < minY) minY = i;
      if (i > maxY) maxY = i;
    }
  }
  if (count === 0) return { areaPercent: 0, bbox: null, centroid: null };
  return {
    areaPercent: (100 * count) / (w * h),
    bbox: { x0: minX / w, y0: minY / h, x1: (maxX + 1) / w, y1: (maxY + 1) / h },
    centroid: { x: sx / mass / w, y: sy / mass / h },
  };
}
