/**
 * The MetaCAM region at frame resolution: the low-res map's support (value > 0) as a 0/1 indicator, upsampled
 * with the same half-pixel bilinear rule as the heatmap and cut at 0.5.
 *
 * Why not "upsampled map > 0": bilinear interpolation leaks positive values up to one source cell beyond the
 * region, so that mask would be a cell too fat. Cutting the interpolated indicator at 0.5 puts the boundary
 * on the cell edges (with slightly rounded corners), where the low-res region actually ends.
 *
 * Only the window of output pixels that can see a region cell is computed, so the cost follows the region's
 * size, not the frame's.
 */
import type { CamMap } from '../core/cam-map.js';
import { resizeMap, resizeTables, type AxisTable, type PixelWindow } from './bilinear-resize.js';

/** Output indices [first, last+1) whose two source taps touch source range [lo, hi]. */
function axisSpan(t: AxisTable, lo: number, hi: number): [number, number] {
  let first = -1;
  let last = -1;
  for (let d = 0; d < t.i0.length; d++) {
    const touches = (t.i0[d]! >= lo && t.i0[d]! <= hi) || (t.w[d]! > 0 && t.i1[d]! >= lo && t.i1[d]! <= hi);
    if (touches) {
      if (first < 0) first = d;
      last = d;
    }
  }
  return [first, last + 1];
}

/** The output pixels that can be inside the region (null when the map has no positive value). */
export function regionWindow(metacam: CamMap, width: number, height: number): PixelWindow | null {
  const { width: sw, height: sh, data } = metacam;
  let cx0 = sw;
  let cy0 = sh;
  let cx1 = -1;
  let cy1 = -1;
  for (let r = 0; r < sh; r++) {
    for (let c = 0; c < sw; c++) {
      if (data[r * sw + c]! > 0) {
        if (c < cx0) cx0 = c;
        if (c > cx1) cx1 = c;
        if (r < cy0) cy0 = r;
        if (r > cy1) cy1 = r;
      }
    }
  }
  if (cx1 < 0) return null;
  const { x, y } = resizeTables(sw, sh, width, height);
  const [x0, x1] = axisSpan(x, cx0, cx1);
  const [y0, y1] = axisSpan(y, cy0, cy1);
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

let indicator = new Float32Array(0);
let scratch = new Float32Array(0);

/** 1 where the region is, 0 elsewhere; `out` (length w·h) is reused when given. */
export function regionMask(metacam: CamMap, width: number, height: number, out?: Uint8Array): Uint8Array {
  const mask = out ?? new Uint8Array(width * height);
  if (out) mask.fill(0);
  const win = regionWindow(metacam, width, height);
  if (!win) return mask;
  const src = metacam.data;
  if (indicator.length !== src.length) indicator = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) indicator[i] = src[i]! > 0 ? 1 : 0;
  if (scratch.length < width * height) scratch = new Float32Array(width * height);
  resizeMap({ width: metacam.width, height: metacam.height, data: indicator }, width, height, scratch, win);
  for (let yy = win.y0; yy < win.y1; yy++) {
    for (let i = yy * width + win.x0, end = yy * width + win.x1; i < end; i++) mask[i] = scratch[i]! >= 0.5 ? 1 : 0;
  }
  return mask;
}
