/**
 * Alpha blending of a colour-mapped [0,1] map onto an RGB24 frame: out = frame·(1 − α) + lut(v)·α.
 *
 * Integer maths with α quantised to 1/256 (α = 0 leaves the frame bit-exact, α = 1 gives the pure colormap),
 * one LUT lookup per pixel; the frame is only read, the caller's `out` buffer is written in full.
 */
import type { PixelWindow } from './bilinear-resize.js';

/** α ∈ [0,1] → the 0…256 integer weight used by the blend. */
export function alphaWeight(alpha: number): number {
  return Math.max(0, Math.min(256, Math.round(alpha * 256)));
}

/** The colour term of the blend per LUT entry, premultiplied by the weight `a` (plus the rounding half). */
export function premultipliedLut(lut: Uint8Array, a: number): Int32Array {
  const pre = new Int32Array(768);
  for (let k = 0; k < 768; k++) pre[k] = lut[k]! * a + 128;
  return pre;
}

/** Offset into a 256-entry RGB LUT of a map value v ∈ [0,1] (clamped, rounded to the nearest of 256 levels). */
export function lutOffset(v: number): number {
  return (v > 0 ? (v < 1 ? (v * 255 + 0.5) | 0 : 255) : 0) * 3;
}

/**
 * Writes every pixel of `out` (RGB24, same size as `frame`): blended where `mask` is unset or 1, a copy of the
 * frame where `mask` is 0. With a mask, `window` (a rectangle, in an image `width` wide, that holds every set
 * mask pixel) limits the work to that rectangle.
 */
export function blendHeatmap(
  frame: Uint8Array,
  values: Float32Array,
  lut: Uint8Array,
  alpha: number,
  out: Uint8Array,
  mask?: Uint8Array,
  window?: { readonly rect: PixelWindow; readonly width: number },
): Uint8Array {
  const n = values.length;
  if (frame.length !== n * 3 || out.length !== n * 3 || (mask && mask.length !== n)) {
    throw new RangeError(
      `blend sizes differ: frame ${frame.length} bytes, map ${n} values, out ${out.length} bytes, mask ${mask?.length ?? '-'}`,
    );
  }
  const a = alphaWeight(alpha);
  const ia = 256 - a;
  if (a === 0 || mask) out.set(frame);
  if (a === 0) return out;
  // Colour term premultiplied once per call, so each channel is one multiply-add.
  const pre = premultipliedLut(lut, a);
  // Two loops rather than one with a per-pixel `mask &&` test: the unmasked one is the whole-frame case.
  const blendRange = (from: number, to: number): void => {
    for (let i = from, p = from * 3; i < to; i++, p += 3) {
      const c = lutOffset(values[i]!);
      out[p] = (frame[p]! * ia + pre[c]!) >> 8;
      out[p + 1] = (frame[p + 1]! * ia + pre[c + 1]!) >> 8;
      out[p + 2] = (frame[p + 2]! * ia + pre[c + 2]!) >> 8;
    }
  };
  const blendMasked = (m: Uint8Array, from: number, to: number): void => {
    for (let i = from, p = from * 3; i < to; i++, p += 3) {
      if (m[i] === 0) continue;
      const c = lutOffset(values[i]!);
      out[p] = (frame[p]! * ia + pre[c]!) >> 8;
      out[p + 1] = (frame[p + 1]! * ia + pre[c + 1]!) >> 8;
      out[p + 2] = (frame[p + 2]! * ia + pre[c + 2]!) >> 8;
    }
  };
  if (mask && window) {
    const { rect, width } = window;
    for (let y = rect.y0; y < rect.y1; y++) blendMasked(mask, y * width + rect.x0, y * width + rect.x1);
  } else if (mask) blendMasked(mask, 0, n);
  else blendRange(0, n);
  return out;
}

/** Paints `color` (opaque) on the listed pixel indices, in place. */
export function paintPixels(out: Uint8Array, pixels: Int32Array, color: readonly [number, number, number]): void {
  const [r, g, b] = color;
  for (let k = 0; k < pixels.length; k++) {
    const p = pixels[k]! * 3;
    out[p] = r;
    out[p + 1] = g;
    out[p + 2] = b;
  }
}

/** Paints `color` on every pixel where `mask` is 1 (opaque), in place. */
export function paintMask(out: Uint8Array, mask: Uint8Array, color: readonly [number, number, number]): void {
  const [r, g, b] = color;
  for (let i = 0, p = 0; i < mask.length; i++, p += 3) {
    if (mask[i]) {
      out[p] = r;
      out[p + 1] = g;
      out[p + 2] = b;
    }
  }
}
