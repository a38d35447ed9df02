/**
 * Alpha blending of a colour-mapped [0,1] map onto an RGB24 frame: out = frame·(1 − α) + lut(v)·α.
 *
 * Integer maths with α quantised to 1/256 (α = 0 leaves the frame bit-exact, α = 1 gives the pure colormap),
 * one LUT lookup per pixel; the frame is only read, the caller's `out` buffer is written in full.
 */
import { lutIndex } from './colormaps.js';

/** α ∈ [0,1] → the 0…256 integer weight used by the blend. */
export function alphaWeight(alpha: number): number {
  return Math.max(0, Math.min(256, Math.round(alpha * 256)));
}

/**
 * Writes every pixel of `out` (RGB24, same size as `frame`): blended where `mask` is unset or 1, a copy of the
 * frame where `mask` is 0.
 */
export function blendHeatmap(
  frame: Uint8Array,
  values: Float32Array,
  lut: Uint8Array,
  alpha: number,
  out: Uint8Array,
  mask?: Uint8Array,
): Uint8Array {
  const n = values.length;
  if (frame.length !== n * 3 || out.length !== n * 3) {
    throw new RangeError(`blend sizes differ: frame ${frame.length} bytes, map ${n} values, out ${out.length} bytes`);
  }
  const a = alphaWeight(alpha);
  const ia = 256 - a;
  if (a === 0) {
    out.set(frame);
    return out;
  }
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    if (mask && !mask[i]) {
      out[p] = frame[p]!;
      out[p + 1] = frame[p + 1]!;
      out[p + 2] = frame[p + 2]!;
      continue;
    }
    const c = lutIndex(values[i]!) * 3;
    out[p] = (frame[p]! * ia + lut[c]! * a + 128) >> 8;
    out[p + 1] = (frame[p + 1]! * ia + lut[c + 1]! * a + 128) >> 8;
    out[p + 2] = (frame[p + 2]! * ia + lut[c + 2]! * a + 128) >> 8;
  }
  return out;
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
