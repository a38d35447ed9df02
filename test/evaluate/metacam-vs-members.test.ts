/**
 * End to end on hand-made data: a ground-truth JSONL line per frame, members whose maps are noisy blobs on the
 * object (plus one outlier member firing elsewhere), createMetaCam over the sequence, and the evaluation metrics.
 * MetaCAM must localise better than the outlier and no worse than the best single member; smoothing must not
 * increase flicker.
 */
import { describe, expect, it } from 'vitest';
import { camMap, type CamMap } from '../../src/core/cam-map.js';
import {
  FlickerMeter, energyInBox, parseGroundTruth, pixelBoxToNormalised, pointingGame, regionBoxIoU, seededRng,
} from '../../src/evaluate/index.js';
import { adaptiveThreshold, createMetaCam } from '../../src/metacam/index.js';

const CLIP_W = 160;
const CLIP_H = 120;
const MAP = 14;
const FPS = 25;
const FRAMES = 40;

/** The object moves right by 1 px per frame. */
const gtText = Array.from({ length: FRAMES }, (_, f) =>
  JSON.stringify({ frame: f, pts: f / FPS, objects: [{ class: 2, label: 'circle', bbox: [40 + f, 30, 80 + f, 70] }] }),
).join('\n');

function blob(cx: number, cy: number, sigma: number, noise: number, rng: ReturnType<typeof seededRng>): CamMap {
  const d = new Float32Array(MAP * MAP);
  for (let i = 0; i < MAP; i++) {
    for (let j = 0; j < MAP; j++) {
      const x = (j + 0.5) / MAP;
      const y = (i + 0.5) / MAP;
      d[i * MAP + j] = Math.max(0, Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma ** 2)) + noise * rng.normal());
    }
  }
  let max = 0;
  for (const v of d) max = Math.max(max, v);
  return camMap(MAP, MAP, d.map((v) => v / max));
}

function run(smoothSeconds: number, smoothMaps = 0) {
  const rng = seededRng(11);
  const gt = parseGroundTruth(gtText);
  const mc = createMetaCam({ members: ['a', 'b', 'c', 'outlier'], topK: 10, smoothSeconds, smoothMaps });
  const input = { width: 4, height: 4, data: new Uint8Array(48).fill(90) };
  const scores: Record<string, { pg: number; eib: number; iou: number }> = {};
  const add = (k: string, pg: number, eib: number, iou: number) => {
    const s = (scores[k] ??= { pg: 0, eib: 0, iou: 0 });
    s.pg += pg / FRAMES;
    s.eib += eib / FRAMES;
    s.iou += iou / FRAMES;
  };
  const flicker = new FlickerMeter();
  for (const g of gt) {
    const box = pixelBoxToNormalised(g.objects[0].bbox, CLIP_W, CLIP_H);
    const cx = (box.x0 + box.x1) / 2;
    const cy = (box.y0 + box.y1) / 2;
    const maps = {
      a: blob(cx, cy, 0.1, 0.25, rng),
      b: blob(cx + 0.02, cy, 0.12, 0.25, rng),
      c: blob(cx, cy - 0.02, 0.1, 0.25, rng),
      outlier: blob(0.85, 0.85, 0.08, 0.1, rng),
    };
    const probabilities = Float32Array.from([0.1, 0.1, 0.7, 0.1]);
    const { maps: out } = mc.explain({ index: g.frame, ptsSeconds: g.pts, input }, { index: g.frame, probabilities, classIndex: 2, maps, timings: {} }, ['a', 'b', 'circle', 'd']);
    for (const [id, m] of Object.entries(maps)) {
      // Members are scored like MetaCAM: on their own top-k% thresholded map T_i.
      const t = adaptiveThreshold(m, 10).map;
      add(id, pointingGame(t, box), energyInBox(t, box), regionBoxIoU(t, box));
    }
    add('metacam', pointingGame(out.metacam, box), energyInBox(out.metacam, box), regionBoxIoU(out.metacam, box));
    flicker.push(out.metacam);
  }
  return { scores, flicker: flicker.value };
}

describe('MetaCAM against its members on hand-made frames with ground truth', () => {
  it('localises at least as well as the best member and far better than the outlier', () => {
    const { scores } = run(0);
    if (process.env.METACAM_PRINT) console.log(JSON.stringify(scores));
    const members = ['a', 'b', 'c', 'outlier'];
    for (const metric of ['pg', 'eib', 'iou'] as const) {
      const best = Math.max(...members.map((m) => scores[m][metric]));
      expect(scores.metacam[metric]).toBeGreaterThanOrEqual(best - 1e-9);
      expect(scores.metacam[metric]).toBeGreaterThan(scores.outlier[metric] + 0.3);
    }
  });

  it('smoothing does not increase flicker; map smoothing reduces it', () => {
    const off = run(0).flicker;
    const on = run(0.5).flicker;
    const maps = run(0.5, 0.3).flicker;
    if (process.env.METACAM_PRINT) console.log({ off, on, maps });
    expect(off).toBeGreaterThan(0);
    expect(on).toBeLessThanOrEqual(off + 1e-9);
    expect(maps).toBeLessThan(off);
  });
});
