/**
 * Where did the explained object move between two frames? A weighted Lucas–Kanade estimate of one translation
 * (the inverse-compositional form: the current frame's gradients and Hessian are computed once, each iteration
 * only re-samples the previous frame). Both frames are box-downsampled to at most `MOTION_SIDE` pixels a side
 * and used as three colour planes (saturated objects over muted backgrounds are told apart by colour, not by
 * brightness). The weight — the smoothed consensus map, read at plane resolution — makes the estimate follow
 * what MetaCAM is looking at rather than the background. Used by map-smoother.ts; pure functions.
 */
import type { RgbImage } from '../core/frame.js';

/** Longest side of the planes the motion is estimated on, in pixels. */
export const MOTION_SIDE = 64;
const ITERATIONS = 8;
const CONVERGED = 1e-3;

export interface MotionPlanes {
  readonly width: number;
  readonly height: number;
  /** One Float32Array per colour channel, values in [0, 1], row-major. */
  readonly planes: readonly Float32Array[];
}

/** Shift in plane pixels: the content at x in the previous frame is at x + (dx, dy) in the current one. */
export interface Shift {
  readonly dx: number;
  readonly dy: number;
}

/** The image as three box-averaged colour planes of at most `maxSide` pixels a side. */
export function motionPlanes(image: RgbImage, maxSide = MOTION_SIDE): MotionPlanes {
  const f = Math.max(1, Math.ceil(Math.max(image.width, image.height) / maxSide));
  const width = Math.max(1, Math.floor(image.width / f));
  const height = Math.max(1, Math.floor(image.height / f));
  const planes = [0, 1, 2].map(() => new Float32Array(width * height));
  const scale = 1 / (f * f * 255);
  const src = image.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y * f; sy < (y + 1) * f; sy++) {
        for (let p = (sy * image.width + x * f) * 3, end = p + f * 3; p < end; p += 3) {
          r += src[p];
          g += src[p + 1];
          b += src[p + 2];
        }
      }
      const i = y * width + x;
      planes[0]![i] = r * scale;
      planes[1]![i] = g * scale;
      planes[2]![i] = b * scale;
    }
  }
  return { width, height, planes };
}

/** Bilinear sample of a row-major plane at (x, y), clamped to the edges. */
export function bilinear(d: Float32Array, width: number, height: number, x: number, y: number): number {
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const top = d[y0 * width + x0] * (1 - fx) + d[y0 * width + x1] * fx;
  const bottom = d[y1 * width + x0] * (1 - fx) + d[y1 * width + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Clamped integer index pairs and the shared fraction for sampling at i + offset, i in [0, n). */
function taps(n: number, offset: number): { lo: Int32Array; hi: Int32Array; f: number } {
  const base = Math.floor(offset);
  const f = offset - base;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    lo[i] = Math.min(Math.max(i + base, 0), n - 1);
    hi[i] = Math.min(Math.max(i + base + 1, 0), n - 1);
  }
  return { lo, hi, f };
}

/**
 * out(x, y) = src(x + ox, y + oy), bilinear, edges clamped — `bilinear` at every pixel, but one translation has
 * the same weights everywhere, so they and the clamped indices are worked out once per row and column.
 */
export function translatePlane(src: Float32Array, width: number, height: number, ox: number, oy: number, out = new Float32Array(src.length)): Float32Array {
  const xs = taps(width, ox);
  const ys = taps(height, oy);
  const fx = xs.f;
  const fy = ys.f;
  for (let y = 0; y < height; y++) {
    const r0 = ys.lo[y]! * width;
    const r1 = ys.hi[y]! * width;
    for (let x = 0; x < width; x++) {
      const a = xs.lo[x]!;
      const b = xs.hi[x]!;
      const top = src[r0 + a] + (src[r0 + b] - src[r0 + a]) * fx;
      const bottom = src[r1 + a] + (src[r1 + b] - src[r1 + a]) * fx;
      out[y * width + x] = top + (bottom - top) * fy;
    }
  }
  return out;
}

/**
 * The translation (dx, dy) with current(x) ≈ previous(x − (dx, dy)) over the pixels where `weight` (plane
 * resolution, ≥ 0) is positive. No texture under the weight (a singular system) → no motion. The result is
 * clamped to a quarter of the plane: a larger jump is a cut or a failure, not motion to follow.
 */
export function estimateShift(previous: MotionPlanes, current: MotionPlanes, weight: Float32Array): Shift {
  const { width: w, height: h } = current;
  if (previous.width !== w || previous.height !== h || w < 3 || h < 3) return { dx: 0, dy: 0 };
  // Gradients of the current frame (the template) and the weighted Hessian, once.
  const n = w * h;
  const gx = current.planes.map(() => new Float32Array(n));
  const gy = current.planes.map(() => new Float32Array(n));
  let a = 0;
  let b = 0;
  let c = 0;
  for (let k = 0; k < current.planes.length; k++) {
    const t = current.planes[k]!;
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        const ix = (t[i + 1] - t[i - 1]) / 2;
        const iy = (t[i + w] - t[i - w]) / 2;
        gx[k]![i] = ix;
        gy[k]![i] = iy;
        const wt = weight[i];
        a += wt * ix * ix;
        b += wt * ix * iy;
        c += wt * iy * iy;
      }
    }
  }
  const det = a * c - b * b;
  if (!(det > 1e-12 * Math.max(1, a * c))) return { dx: 0, dy: 0 };
  let px = 0; // previous(x + p) ≈ current(x), so p = −shift
  let py = 0;
  const warped = new Float32Array(n);
  for (let it = 0; it < ITERATIONS; it++) {
    let ex = 0;
    let ey = 0;
    for (let k = 0; k < current.planes.length; k++) {
      const t = current.planes[k]!;
      translatePlane(previous.planes[k]!, w, h, px, py, warped);
      for (let y = 1; y < h - 1; y++) {
        for (let x = 1; x < w - 1; x++) {
          const i = y * w + x;
          const wt = weight[i];
          if (!(wt > 0)) continue;
          const e = warped[i] - t[i];
          ex += wt * gx[k]![i] * e;
          ey += wt * gy[k]![i] * e;
        }
      }
    }
    const ux = (c * ex - b * ey) / det;
    const uy = (a * ey - b * ex) / det;
    px -= ux;
    py -= uy;
    if (Math.abs(ux) + Math.abs(uy) < CONVERGED) break;
  }
  const limit = Math.max(w, h) / 4;
  const clamp = (v: number): number => (Number.isFinite(v) ? Math.max(-limit, Math.min(limit, v)) : 0);
  return { dx: clamp(-px), dy: clamp(-py) };
}

/** The map moved by (dx, dy) map cells (bilinear, edges clamped). */
export function shiftMap(data: Float32Array, width: number, height: number, shift: Shift): Float32Array {
  return translatePlane(data, width, height, -shift.dx, -shift.dy);
}
