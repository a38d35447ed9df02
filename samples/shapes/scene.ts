/**
 * Why: one scene description for stills and clips. A scene is a textured background plus shapes in
 * normalised units (x, y, r as fractions of the width/height), so a 64² training still and a 256² clip frame
 * are the same picture at two sizes. The target is the single dominant shape; distractors of other classes
 * are smaller and never overlap it (nor each other), so every ground-truth box is the tight box of a fully
 * visible shape and "where is the target" has one answer.
 */
import { randomBackground, type BackgroundKind, type BackgroundSpec } from './background.js';
import type { Prng } from './prng.js';
import { SHAPE_LABELS } from './shape-geometry.js';

export interface SceneShape {
  readonly cls: number;
  readonly cx: number; // fraction of width
  readonly cy: number; // fraction of height
  readonly r: number; // fraction of width
  readonly angle: number;
  readonly color: readonly [number, number, number];
  readonly target: boolean;
}

export interface Scene {
  readonly background: BackgroundSpec;
  readonly shapes: readonly SceneShape[];
  /** Horizontal scroll of the background texture in pixels at width 256 (clips pan slowly). */
  readonly backgroundShift?: number;
}

export const TARGET_RADIUS: readonly [number, number] = [0.2, 0.32];
export const DISTRACTOR_RADIUS: readonly [number, number] = [0.07, 0.11];

/** A saturated colour (one channel high, one low), far from the muted backgrounds. */
export function saturatedColor(p: Prng): [number, number, number] {
  const hi = Math.round(p.range(225, 256)) - 1;
  const lo = Math.round(p.range(0, 35));
  const mid = Math.round(p.range(0, 256)) % 256;
  const order = p.int(6);
  const perms: [number, number, number][] = [[hi, lo, mid], [hi, mid, lo], [lo, hi, mid], [mid, hi, lo], [lo, mid, hi], [mid, lo, hi]];
  return perms[order]!;
}

export function otherClass(p: Prng, not: number): number {
  const c = p.int(SHAPE_LABELS.length - 1);
  return c >= not ? c + 1 : c;
}

function overlaps(a: { cx: number; cy: number; r: number }, b: { cx: number; cy: number; r: number }, margin: number): boolean {
  return Math.hypot(a.cx - b.cx, a.cy - b.cy) < a.r + b.r + margin;
}

export interface StillOptions {
  readonly targetClass?: number;
  readonly background?: BackgroundKind;
  /** Distractor count; random 0–2 when omitted. */
  readonly distractors?: number;
}

/** One training/evaluation still: the labelled class is the big target shape. */
export function randomStillScene(p: Prng, opts: StillOptions = {}): Scene {
  const background = randomBackground(p, opts.background);
  const cls = opts.targetClass ?? p.int(SHAPE_LABELS.length);
  const r = p.range(TARGET_RADIUS[0], TARGET_RADIUS[1]);
  const target: SceneShape = {
    cls, r, angle: p.range(0, 2 * Math.PI), color: saturatedColor(p), target: true,
    cx: p.range(r + 0.02, 0.98 - r), cy: p.range(r + 0.02, 0.98 - r),
  };
  const shapes: SceneShape[] = [target];
  const count = opts.distractors ?? [0, 1, 1, 2, 2][p.int(5)]!;
  for (let k = 0; k < count; k++) {
    for (let attempt = 0; attempt < 40; attempt++) {
      const dr = p.range(DISTRACTOR_RADIUS[0], DISTRACTOR_RADIUS[1]);
      const d: SceneShape = {
        cls: otherClass(p, cls), r: dr, angle: p.range(0, 2 * Math.PI), color: saturatedColor(p), target: false,
        cx: p.range(dr + 0.01, 0.99 - dr), cy: p.range(dr + 0.01, 0.99 - dr),
      };
      if (shapes.every((s) => !overlaps(s, d, 0.03))) { shapes.push(d); break; }
    }
  }
  // Distractors first, target last: draw order never matters since nothing overlaps.
  return { background, shapes: [...shapes.slice(1), target] };
}

/** A moving shape: position at time t (frames) bounces inside the frame; it spins slowly. */
export interface Track {
  readonly shape: SceneShape;
  readonly vx: number; // fraction of width per frame
  readonly vy: number;
  readonly spin: number; // radians per frame
}

function bounce(x0: number, v: number, t: number, lo: number, hi: number): number {
  const span = hi - lo;
  if (span <= 0) return (lo + hi) / 2;
  let u = (x0 - lo + v * t) % (2 * span);
  if (u < 0) u += 2 * span;
  return lo + (u <= span ? u : 2 * span - u);
}

export function shapeAt(track: Track, t: number): SceneShape {
  const s = track.shape;
  return {
    ...s,
    cx: bounce(s.cx, track.vx, t, s.r + 0.01, 0.99 - s.r),
    cy: bounce(s.cy, track.vy, t, s.r + 0.01, 0.99 - s.r),
    angle: s.angle + track.spin * t,
  };
}

export interface ClipSceneOptions {
  readonly frames: number;
  readonly targetClass?: number;
  readonly background?: BackgroundKind;
  readonly distractors?: number;
}

/** Tracks for a clip whose shapes never overlap in any frame (rejection-sampled). */
export function randomClipTracks(p: Prng, opts: ClipSceneOptions): { background: BackgroundSpec; tracks: Track[] } {
  const background = randomBackground(p, opts.background);
  const cls = opts.targetClass ?? p.int(SHAPE_LABELS.length);
  const speed = (): number => p.range(0.004, 0.009) * (p.next() < 0.5 ? -1 : 1);
  const r = p.range(0.2, 0.26);
  const target: Track = {
    shape: { cls, r, angle: p.range(0, 2 * Math.PI), color: saturatedColor(p), target: true, cx: p.range(r, 1 - r), cy: p.range(r, 1 - r) },
    vx: speed(), vy: speed(), spin: p.range(-0.03, 0.03),
  };
  const tracks: Track[] = [target];
  const want = opts.distractors ?? 2;
  for (let k = 0; k < want; k++) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const dr = p.range(0.08, 0.11);
      const d: Track = {
        shape: { cls: otherClass(p, cls), r: dr, angle: p.range(0, 2 * Math.PI), color: saturatedColor(p), target: false, cx: p.range(dr, 1 - dr), cy: p.range(dr, 1 - dr) },
        vx: speed(), vy: speed(), spin: p.range(-0.05, 0.05),
      };
      let clear = true;
      for (let t = 0; t < opts.frames && clear; t++) {
        const a = shapeAt(d, t);
        clear = tracks.every((o) => !overlaps(shapeAt(o, t), a, 0.03));
      }
      if (clear) { tracks.push(d); break; }
    }
  }
  return { background, tracks };
}
