/**
 * The MetaCAM-region heatmap in one pass: for each pixel of the region's window, the upsampled region indicator
 * (cut at 0.5) and, inside the region, the upsampled colour value and its blend onto the frame. The same
 * arithmetic as regionMask + resizeMap + blendHeatmap (the same tables, the same float32 roundings), so the
 * same pixels and mask, without writing and re-reading two float images of the window (≈ 2.5 MB each at 720p).
 * Both maps must have the same size; paintHeatmap uses the separate steps otherwise.
 */
import type { CamMap } from '../core/cam-map.js';
import { resizeTables, type PixelWindow } from './bilinear-resize.js';
import { alphaWeight, lutOffset, premultipliedLut } from './blend-heatmap.js';

// Scratch reused across calls (synchronous, so never shared concurrently).
let rowsColour = new Float32Array(0);
let rowsRegion = new Float32Array(0);
let indicator = new Float32Array(0);

/** Horizontal pass of one map over the window's columns, for the source rows the window's rows read. */
function horizontal(src: Float32Array, sw: number, dstW: number, x: { i0: Int32Array; i1: Int32Array; w: Float32Array }, r0: number, r1: number, x0: number, x1: number, rows: Float32Array): void {
  for (let r = r0; r <= r1; r++) {
    const so = r * sw;
    const ro = r * dstW;
    for (let d = x0; d < x1; d++) {
      const a = src[so + x.i0[d]!]!;
      rows[ro + d] = a + (src[so + x.i1[d]!]! - a) * x.w[d]!;
    }
  }
}

/**
 * Writes `out` = the frame, blended with `lut(colour)` at `alpha` where the region is, and `mask` = 1 on the
 * region, 0 elsewhere (all of it). `rect` is regionWindow(region, width, height).
 */
export function paintRegion(
  frame: Uint8Array, colour: CamMap, region: CamMap, lut: Uint8Array, alpha: number,
  out: Uint8Array, mask: Uint8Array, width: number, height: number, rect: PixelWindow,
): void {
  const { width: sw, height: sh } = colour;
  if (region.width !== sw || region.height !== sh) throw new RangeError(`paintRegion: maps differ in size (${sw}×${sh} vs ${region.width}×${region.height})`);
  const n = width * height;
  if (frame.length !== n * 3 || out.length !== n * 3 || mask.length !== n) throw new RangeError('paintRegion: buffer sizes do not match the image');
  out.set(frame);
  mask.fill(0);
  const { x, y } = resizeTables(sw, sh, width, height);
  const { x0, x1, y0, y1 } = rect;
  if (indicator.length !== sw * sh) indicator = new Float32Array(sw * sh);
  for (let i = 0; i < sw * sh; i++) indicator[i] = region.data[i]! > 0 ? 1 : 0;
  if (rowsColour.length < sh * width) {
    rowsColour = new Float32Array(sh * width);
    rowsRegion = new Float32Array(sh * width);
  }
  const rFirst = y.i0[y0]!;
  const rLast = y.i1[y1 - 1]!;
  horizontal(indicator, sw, width, x, rFirst, rLast, x0, x1, rowsRegion);
  const a = alphaWeight(alpha);
  if (a > 0) horizontal(colour.data, sw, width, x, rFirst, rLast, x0, x1, rowsColour);
  const ia = 256 - a;
  const pre = premultipliedLut(lut, a);
  const rc = rowsColour;
  const rr = rowsRegion;
  for (let yy = y0; yy < y1; yy++) {
    const o0 = y.i0[yy]! * width;
    const o1 = y.i1[yy]! * width;
    const wy = y.w[yy]!;
    const row = yy * width;
    for (let c = x0; c < x1; c++) {
      const m0 = rr[o0 + c]!;
      // Math.fround: resizeMap stores each interpolated value in a Float32Array before it is compared or used.
      const m = wy === 0 ? m0 : Math.fround(m0 + (rr[o1 + c]! - m0) * wy);
      if (!(m >= 0.5)) continue;
      const i = row + c;
      mask[i] = 1;
      if (a === 0) continue;
      const c0 = rc[o0 + c]!;
      const v = wy === 0 ? c0 : Math.fround(c0 + (rc[o1 + c]! - c0) * wy);
      const k = lutOffset(v);
      const p = i * 3;
      out[p] = (frame[p]! * ia + pre[k]!) >> 8;
      out[p + 1] = (frame[p + 1]! * ia + pre[k + 1]!) >> 8;
      out[p + 2] = (frame[p + 2]! * ia + pre[k + 2]!) >> 8;
    }
  }
}
