/**
 * Bilinear resizing with half-pixel centres and edge clamping — the convention of cv2.resize INTER_LINEAR and
 * tf.image.resizeBilinear(halfPixelCenters=true), which the CAM reference code uses to upsample maps.
 *
 * Why tables: for a video the sizes never change, so the per-axis source indices and weights are computed once
 * per (srcW, srcH, dstW, dstH) and cached; resizing is then two separable passes of multiply-adds. The
 * horizontal pass runs on the (few) source rows only, the vertical pass blends two pre-resized rows per
 * output row, so a 7×7 → 1280×720 upsample costs ~2 multiply-adds per output pixel.
 */
import type { CamMap } from '../core/cam-map.js';
import type { RgbImage } from '../core/frame.js';

/** One axis: output i reads source i0[i] and i1[i] with weight w[i] on i1 (1 − w on i0). */
export interface AxisTable {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly w: Float32Array;
}

export interface ResizeTables {
  readonly x: AxisTable;
  readonly y: AxisTable;
}

/** src = (dst + 0.5) · src/dst − 0.5, clamped into [0, src − 1] (cv2/TF half-pixel convention). */
export function axisTable(srcSize: number, dstSize: number): AxisTable {
  const i0 = new Int32Array(dstSize);
  const i1 = new Int32Array(dstSize);
  const w = new Float32Array(dstSize);
  const scale = srcSize / dstSize;
  for (let d = 0; d < dstSize; d++) {
    const s = Math.min(Math.max((d + 0.5) * scale - 0.5, 0), srcSize - 1);
    const lo = Math.floor(s);
    i0[d] = lo;
    i1[d] = Math.min(lo + 1, srcSize - 1);
    w[d] = s - lo;
  }
  return { i0, i1, w };
}

const MAX_CACHED = 16;
const tableCache = new Map<string, ResizeTables>();

/** Cached tables for one (src, dst) size pair; a small LRU so a grid's few tile sizes all stay cached. */
export function resizeTables(srcW: number, srcH: number, dstW: number, dstH: number): ResizeTables {
  const key = `${srcW}x${srcH}>${dstW}x${dstH}`;
  let t = tableCache.get(key);
  if (t) {
    tableCache.delete(key);
    tableCache.set(key, t);
    return t;
  }
  t = { x: axisTable(srcW, dstW), y: axisTable(srcH, dstH) };
  tableCache.set(key, t);
  if (tableCache.size > MAX_CACHED) tableCache.delete(tableCache.keys().next().value!);
  return t;
}

/** Number of cached table pairs (for tests). */
export function resizeTableCacheSize(): number {
  return tableCache.size;
}

// Scratch rows for the horizontal pass, reused across calls (synchronous, so never shared concurrently).
let scratch = new Float32Array(0);
function scratchOf(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch;
}

/** A rectangle of output pixels, end-exclusive. */
export interface PixelWindow {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/**
 * Resizes a single-channel map to dstW×dstH. Writes into `out` when given (length dstW·dstH), else allocates.
 * With `window`, only the output pixels inside it are computed (the rest of `out` is left as it was).
 */
export function resizeMap(map: CamMap, dstW: number, dstH: number, out?: Float32Array, window?: PixelWindow): Float32Array {
  const { width: sw, height: sh, data: src } = map;
  if (sw <= 0 || sh <= 0 || src.length !== sw * sh) {
    throw new RangeError(`map is ${sw}×${sh} with ${src.length} values; cannot resize`);
  }
  const dst = out ?? new Float32Array(dstW * dstH);
  if (dst.length < dstW * dstH) throw new RangeError(`output buffer holds ${dst.length} values, need ${dstW * dstH}`);
  const x0 = Math.max(0, window?.x0 ?? 0);
  const x1 = Math.min(dstW, window?.x1 ?? dstW);
  const y0 = Math.max(0, window?.y0 ?? 0);
  const y1 = Math.min(dstH, window?.y1 ?? dstH);
  if (x1 <= x0 || y1 <= y0) return dst;
  const { x, y } = resizeTables(sw, sh, dstW, dstH);
  const rows = scratchOf(sh * dstW);
  for (let r = y.i0[y0]!; r <= y.i1[y1 - 1]!; r++) {
    const so = r * sw;
    const ro = r * dstW;
    for (let d = x0; d < x1; d++) {
      const a = src[so + x.i0[d]!]!;
      rows[ro + d] = a + (src[so + x.i1[d]!]! - a) * x.w[d]!;
    }
  }
  for (let d = y0; d < y1; d++) {
    const r0 = y.i0[d]! * dstW;
    const r1 = y.i1[d]! * dstW;
    const wy = y.w[d]!;
    const o = d * dstW;
    if (wy === 0) {
      for (let c = x0; c < x1; c++) dst[o + c] = rows[r0 + c]!;
    } else {
      for (let c = x0; c < x1; c++) {
        const a = rows[r0 + c]!;
        dst[o + c] = a + (rows[r1 + c]! - a) * wy;
      }
    }
  }
  return dst;
}

/** Resizes an RGB24 image (used to make grid tiles); rounds to nearest. */
export function resizeRgb(image: RgbImage, dstW: number, dstH: number): RgbImage {
  const { width: sw, height: sh, data: src } = image;
  const { x, y } = resizeTables(sw, sh, dstW, dstH);
  const out = new Uint8Array(dstW * dstH * 3);
  const rowA = new Float32Array(dstW * 3);
  const rowB = new Float32Array(dstW * 3);
  let cachedA = -1;
  let cachedB = -1;
  const hpass = (r: number, row: Float32Array): void => {
    const so = r * sw * 3;
    for (let d = 0; d < dstW; d++) {
      const p0 = so + x.i0[d]! * 3;
      const p1 = so + x.i1[d]! * 3;
      const w = x.w[d]!;
      const o = d * 3;
      row[o] = src[p0]! + (src[p1]! - src[p0]!) * w;
      row[o + 1] = src[p0 + 1]! + (src[p1 + 1]! - src[p0 + 1]!) * w;
      row[o + 2] = src[p0 + 2]! + (src[p1 + 2]! - src[p0 + 2]!) * w;
    }
  };
  for (let d = 0; d < dstH; d++) {
    const r0 = y.i0[d]!;
    const r1 = y.i1[d]!;
    if (cachedA !== r0) {
      hpass(r0, rowA);
      cachedA = r0;
    }
    if (cachedB !== r1) {
      hpass(r1, rowB);
      cachedB = r1;
    }
    const wy = y.w[d]!;
    const o = d * dstW * 3;
    for (let c = 0; c < dstW * 3; c++) out[o + c] = (rowA[c]! + (rowB[c]! - rowA[c]!) * wy + 0.5) | 0;
  }
  return { width: dstW, height: dstH, data: out };
}
