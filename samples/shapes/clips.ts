/**
 * Why: the testbed clips as pure functions of a spec (seed, size, fps, scenes): frames and per-frame ground
 * truth come from the same render, so a test can regenerate any frame and check the committed gt.
 * A clip is a list of segments; each segment is one scene (background + moving tracks) and a segment
 * boundary is a hard cut.
 */
import { createPrng } from './prng.js';
import { renderScene, type GtObject } from './render.js';
import { randomClipTracks, shapeAt, type Track } from './scene.js';
import type { BackgroundKind, BackgroundSpec } from './background.js';
import { SHAPE_LABELS, type ShapeLabel } from './shape-geometry.js';

export interface SegmentSpec {
  readonly frames: number;
  readonly seed: number;
  readonly target: ShapeLabel;
  readonly background: BackgroundKind;
  readonly distractors?: number;
}

export interface ClipSpec {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly segments: readonly SegmentSpec[];
}

export interface GtLine {
  readonly frame: number;
  readonly pts: number;
  readonly objects: GtObject[];
}

export const DEMO_CLIP: ClipSpec = {
  name: 'clip', width: 256, height: 256, fps: 20,
  segments: [{ frames: 80, seed: 101, target: 'star', background: 'stripes', distractors: 2 }],
};

export const CUT_CLIP: ClipSpec = {
  name: 'cut', width: 256, height: 256, fps: 20,
  segments: [
    { frames: 40, seed: 202, target: 'circle', background: 'checks', distractors: 2 },
    { frames: 40, seed: 303, target: 'cross', background: 'noise', distractors: 2 },
  ],
};

/**
 * The held-out clip: made like the demo clip but from another seed (and another target and background), never
 * looked at while choosing settings. The demo clip (`clip.mp4`) is the calibration clip; this one is for
 * reporting (docs/metacam.md, "Evaluation metrics").
 */
export const HELDOUT_CLIP: ClipSpec = {
  name: 'heldout', width: 256, height: 256, fps: 20,
  segments: [{ frames: 80, seed: 404, target: 'triangle', background: 'gradient', distractors: 2 }],
};

/** Frame indices where a new segment (scene) starts, i.e. the hard cuts. */
export function cutFrames(spec: ClipSpec): number[] {
  const cuts: number[] = [];
  let at = 0;
  for (const s of spec.segments.slice(0, -1)) { at += s.frames; cuts.push(at); }
  return cuts;
}

export function frameCount(spec: ClipSpec): number {
  return spec.segments.reduce((n, s) => n + s.frames, 0);
}

interface PreparedSegment { readonly frames: number; readonly background: BackgroundSpec; readonly tracks: Track[] }

function prepare(spec: ClipSpec): PreparedSegment[] {
  return spec.segments.map((s) => {
    const { background, tracks } = randomClipTracks(createPrng(s.seed), {
      frames: s.frames, targetClass: SHAPE_LABELS.indexOf(s.target), background: s.background, distractors: s.distractors,
    });
    return { frames: s.frames, background, tracks };
  });
}

/** Yields every frame's RGB24 buffer and ground truth, in order. */
export function* renderClip(spec: ClipSpec): Generator<{ data: Uint8Array; gt: GtLine }> {
  let index = 0;
  for (const seg of prepare(spec)) {
    for (let t = 0; t < seg.frames; t++, index++) {
      const scene = { background: seg.background, shapes: seg.tracks.map((tr) => shapeAt(tr, t)) };
      const r = renderScene(scene, spec.width, spec.height);
      yield { data: r.data, gt: { frame: index, pts: Number((index / spec.fps).toFixed(6)), objects: r.objects } };
    }
  }
}
