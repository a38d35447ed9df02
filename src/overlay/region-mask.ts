/**
 * The MetaCAM region at frame resolution: the low-res map's support (value > 0) as a 0/1 indicator, upsampled
 * with the same half-pixel bilinear rule as the heatmap and cut at 0.5.
 *
 * Why not "upsampled map > 0": bilinear interpolation leaks positive values up to one source cell beyond the
 * region, so that mask would be a cell too fat. Cutting the interpolated indicator at 0.5 puts the boundary
 * on the cell edges (with slightly rounded corners), where the low-res region actually ends.
 */
import type { CamMap } from '../explain/cam-map.js';
import { resizeMap } from './bilinear-resize.js';

/** 1 where the region is, 0 elsewhere; `out` (length w·h) is reused when given. */
export function regionMask(metacam: CamMap, width: number, height: number, out?: Uint8Array): Uint8Array {
  const src = metacam.data;
  const indicator = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) indicator[i] = src[i]! > 0 ? 1 : 0;
  const mask = out ?? new Uint8Array(width * height);
  const up = scratchOf(width * height);
  resizeMap({ width: metacam.width, height: metacam.height, data: indicator }, width, height, up);
  for (let i = 0; i < width * height; i++) mask[i] = up[i]! >= 0.5 ? 1 : 0;
  return mask;
}

let scratch = new Float32Array(0);
function scratchOf(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch.length === n ? scratch : scratch.subarray(0, n);
}
