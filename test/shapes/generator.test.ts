/**
 * The shapes generator is deterministic (same seed → same bytes), its ground-truth boxes are the tight boxes
 * of the pixels drawn in the shape's colour, and the committed clips/gt match a fresh render and decode.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';
import { CUT_CLIP, DEMO_CLIP, HELDOUT_CLIP, cutFrames, frameCount, renderClip, type GtLine } from '../../samples/shapes/clips.js';
import { createPrng, subSeed } from '../../samples/shapes/prng.js';
import { renderScene } from '../../samples/shapes/render.js';
import { randomStillScene, type SceneShape } from '../../samples/shapes/scene.js';
import { SHAPE_LABELS } from '../../samples/shapes/shape-geometry.js';
import { renderStill } from '../../samples/shapes/stills.js';

const dir = new URL('../../samples/shapes/', import.meta.url);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function colourAt(data: Uint8Array, width: number, x: number, y: number): [number, number, number] {
  const i = (y * width + x) * 3;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}
const same = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** Fraction of bbox pixels in the colour, and whether each bbox edge touches the shape (tightness). */
function boxCheck(data: Uint8Array, width: number, bbox: number[], colour: readonly number[]): { fill: number; tight: boolean; outside: number } {
  const [x0, y0, x1, y1] = bbox as [number, number, number, number];
  let inside = 0;
  const rows = new Set<number>(), cols = new Set<number>();
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    if (same(colourAt(data, width, x, y), colour)) { inside++; rows.add(y); cols.add(x); }
  }
  // Pixels of the colour just outside the box (1-px ring) would mean the box is too small.
  let outside = 0;
  for (let y = y0 - 1; y <= y1; y++) for (let x = x0 - 1; x <= x1; x++) {
    if (y >= y0 && y < y1 && x >= x0 && x < x1) continue;
    if (x < 0 || y < 0 || x >= width || y * width * 3 >= data.length) continue;
    if (same(colourAt(data, width, x, y), colour)) outside++;
  }
  return { fill: inside / ((x1 - x0) * (y1 - y0)), tight: rows.has(y0) && rows.has(y1 - 1) && cols.has(x0) && cols.has(x1 - 1), outside };
}

describe('determinism', () => {
  it('same seed and index → same still bytes; another seed → different', () => {
    const a = renderStill(7, 3, 64), b = renderStill(7, 3, 64), c = renderStill(8, 3, 64);
    expect(sha(a.data)).toBe(sha(b.data));
    expect(a.objects).toEqual(b.objects);
    expect(sha(c.data)).not.toBe(sha(a.data));
    expect(a.label).toBe(3 % SHAPE_LABELS.length);
  });

  it('clip frames are the same on every render', () => {
    const hashes = () => [...renderClip({ ...DEMO_CLIP, segments: [{ ...DEMO_CLIP.segments[0]!, frames: 6 }] })].map((f) => sha(f.data));
    const h = hashes();
    expect(hashes()).toEqual(h);
    expect(new Set(h).size).toBe(6); // the shapes move
  });
});

describe('ground-truth boxes', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i))('still %i: each box is the tight box of its shape colour, target largest', (i) => {
    const scene = randomStillScene(createPrng(subSeed(99, i)), { targetClass: i % 5 });
    for (const size of [64, 160]) {
      const r = renderScene(scene, size, size);
      expect(r.objects).toHaveLength(scene.shapes.length);
      r.objects.forEach((o, k) => {
        const s: SceneShape = scene.shapes[k]!;
        expect(o.class).toBe(s.cls);
        expect(o.label).toBe(SHAPE_LABELS[s.cls]);
        const c = boxCheck(r.data, size, o.bbox, s.color);
        expect(c.tight).toBe(true);
        expect(c.outside).toBe(0);
        expect(c.fill).toBeGreaterThan(0.2);
      });
      const area = (b: number[]) => (b[2]! - b[0]!) * (b[3]! - b[1]!);
      const target = r.objects.filter((o) => o.target);
      expect(target).toHaveLength(1);
      for (const o of r.objects.filter((q) => !q.target)) {
        expect(area(o.bbox)).toBeLessThan(area(target[0]!.bbox));
        expect(o.class).not.toBe(target[0]!.class);
      }
    }
  });
});

function readGt(name: string): GtLine[] {
  return readFileSync(new URL(name, dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as GtLine);
}

async function decodeFrame(file: string, index: number, width: number, height: number): Promise<Uint8Array> {
  const { ffmpegPath } = await resolveFfmpeg();
  const { stdout } = await promisify(execFile)(ffmpegPath, [
    '-hide_banner', '-loglevel', 'error', '-i', file, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ], { encoding: 'buffer', maxBuffer: 64 << 20 });
  expect(stdout.length).toBe(width * height * 3);
  return new Uint8Array(stdout);
}

describe.each([DEMO_CLIP, CUT_CLIP, HELDOUT_CLIP])('committed $name clip', (spec) => {
  const gt = readGt(`${spec.name}.gt.jsonl`);

  it('gt matches a fresh render, one line per frame with pts = frame / fps', () => {
    const fresh = [...renderClip(spec)].map((f) => f.gt);
    expect(gt).toEqual(fresh);
    expect(gt).toHaveLength(frameCount(spec));
    gt.forEach((l, i) => {
      expect(l.frame).toBe(i);
      expect(l.pts).toBeCloseTo(i / spec.fps, 6);
      expect(l.objects.filter((o) => o.target)).toHaveLength(1);
    });
  });

  it('the decoded video shows each target in its box', async () => {
    const frames = [...renderClip(spec)];
    const file = new URL(`${spec.name}.mp4`, dir).pathname;
    for (const i of [0, frameCount(spec) - 1]) {
      const decoded = await decodeFrame(file, i, spec.width, spec.height);
      const rendered = frames[i]!.data;
      // Lossy x264: the mean absolute error over the whole frame is small.
      let err = 0;
      for (let k = 0; k < rendered.length; k++) err += Math.abs(decoded[k]! - rendered[k]!);
      expect(err / rendered.length).toBeLessThan(12);
    }
  });
});

describe('cut clip', () => {
  it('cut.json names the frame where the scene (target class and background) changes', () => {
    const cut = JSON.parse(readFileSync(new URL('cut.json', dir), 'utf8')) as { cutFrame: number; cutFrames: number[]; frames: number };
    expect(cut.cutFrames).toEqual(cutFrames(CUT_CLIP));
    expect(cut.frames).toBe(frameCount(CUT_CLIP));
    const gt = readGt('cut.gt.jsonl');
    const targetClass = (l: GtLine) => l.objects.find((o) => o.target)!.class;
    expect(targetClass(gt[cut.cutFrame - 1]!)).not.toBe(targetClass(gt[cut.cutFrame]!));
    for (let i = 1; i < gt.length; i++) if (i !== cut.cutFrame) expect(targetClass(gt[i]!)).toBe(targetClass(gt[i - 1]!));
  });
});
