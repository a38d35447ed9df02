/**
 * Why: textured backgrounds (noise, stripes, gradients, checks) so that the classifier must use shape, not
 * a flat-colour contrast, and so that CAM maps on background texture are visibly wrong. Rendered at any
 * size from one spec: texture scales are fractions of the image width.
 */
import type { Prng } from './prng.js';

export type BackgroundKind = 'noise' | 'stripes' | 'gradient' | 'checks';
export const BACKGROUND_KINDS: readonly BackgroundKind[] = ['noise', 'stripes', 'gradient', 'checks'];

export interface BackgroundSpec {
  readonly kind: BackgroundKind;
  readonly a: readonly [number, number, number];
  readonly b: readonly [number, number, number];
  readonly angle: number;
  readonly period: number; // fraction of width
  readonly noise: number; // ± amplitude per pixel
  readonly seed: number;
}

/** Muted, mid-range colours: shapes are drawn saturated on top. */
function mutedColor(p: Prng): [number, number, number] {
  const base = p.range(60, 170);
  return [0, 1, 2].map(() => Math.round(base + p.range(-45, 45))) as [number, number, number];
}

export function randomBackground(p: Prng, kind: BackgroundKind = p.pick(BACKGROUND_KINDS)): BackgroundSpec {
  return {
    kind,
    a: mutedColor(p),
    b: mutedColor(p),
    angle: p.range(0, Math.PI),
    period: p.range(0.08, 0.22),
    noise: p.range(8, 30),
    seed: p.int(2 ** 31),
  };
}

/** Hash noise in [−1, 1] per pixel from the background's own seed (independent of render order). */
function hashNoise(seed: number, x: number, y: number): number {
  let h = (seed ^ Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return (((h ^ (h >>> 15)) >>> 0) / 4294967296) * 2 - 1;
}

export function renderBackground(bg: BackgroundSpec, width: number, height: number, out: Uint8Array, offsetX = 0): void {
  const ca = Math.cos(bg.angle), sa = Math.sin(bg.angle);
  const period = Math.max(2, bg.period * width);
  // Noise cells grow with the image so a 64² still and a 256² frame look alike.
  const cell = Math.max(1, Math.round(width / 64));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const xs = x + offsetX;
      const t = (xs * ca + y * sa) / period;
      let mix: number;
      switch (bg.kind) {
        case 'stripes': mix = Math.floor(t) % 2 === 0 ? 0 : 1; break;
        case 'gradient': mix = Math.min(1, Math.max(0, (xs * ca + y * sa) / (width * 1.2) + 0.3)); break;
        case 'checks': mix = (Math.floor(xs / period) + Math.floor(y / period)) % 2 === 0 ? 0 : 1; break;
        default: mix = 0.5 + 0.5 * hashNoise(bg.seed + 7, Math.floor(xs / (cell * 4)), Math.floor(y / (cell * 4)));
      }
      const n = bg.noise * hashNoise(bg.seed, Math.floor(xs / cell), Math.floor(y / cell));
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = bg.a[c]! * (1 - mix) + bg.b[c]! * mix + n;
        out[i + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  }
}
