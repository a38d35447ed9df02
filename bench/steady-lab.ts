/**
 * Issue 15 lab: replay one clip's member maps through the MetaCAM stage with different temporal settings, fast.
 * Explains the clip once (realtime preset) and caches the member maps, then streams them through createMetaCam
 * for each settings JSON given and prints the streamed MetaCAM's flicker and pointing game (no intervals: use
 * `metacam evaluate` for claims; this is for trying things). Usage:
 *   node --import tsx bench/steady-lab.ts <clip.mp4> <gt.jsonl|-> <model> '{"smoothSeconds":0,"smoothMaps":0}' '{}' …
 */
import { readFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import type { CamMap } from '../src/core/cam-map.js';
import type { FrameMaps } from '../src/core/frame-maps.js';
import type { Frame } from '../src/core/frame.js';
import { pixelBoxToNormalised } from '../src/evaluate/pixel-box.js';
import { pointingGame } from '../src/evaluate/pointing-game.js';
import { decodeFrames } from '../src/ingest/index.js';
import { probeVideo } from '../src/ingest/probe-video.js';
import { createMetaCam } from '../src/metacam/create-metacam.js';
import { regionIoU } from '../src/metacam/flicker.js';
import { openSession } from '../src/pipeline/session.js';

const [clip, gtPath, model, ...settings] = process.argv.slice(2) as [string, string, string, ...string[]];
const boxes = new Map<number, [number, number, number, number]>();
if (gtPath && gtPath !== '-') {
  for (const line of readFileSync(gtPath, 'utf8').trim().split('\n')) {
    const r = JSON.parse(line) as { frame: number; objects: { target: boolean; bbox: [number, number, number, number] }[] };
    const t = r.objects.find((o) => o.target);
    if (t) boxes.set(r.frame, t.bbox);
  }
}
const session = await openSession({ model, preset: 'realtime' });
const info = await probeVideo(clip);
const frames: Frame[] = await lastValueFrom(decodeFrames(clip, { width: session.model.inputSize.width, height: session.model.inputSize.height, info }).pipe(toArray()));
const cached: { frame: Frame; maps: FrameMaps }[] = [];
for (let i = 0; i < frames.length; i += session.explainer.batchSize) {
  const batch = frames.slice(i, i + session.explainer.batchSize);
  (await session.explainer.explainBatch(batch)).forEach((maps, j) => cached.push({ frame: batch[j]!, maps }));
}
const members = session.members.filter((m) => m.group !== 'baseline').map((m) => m.id);
await session.dispose();

for (const json of settings.length ? settings : ['{"smoothSeconds":0,"smoothMaps":0}', '{}']) {
  const mc = createMetaCam({ members, ...(JSON.parse(json) as object) });
  let previous: CamMap | null = null;
  let flicker = 0;
  let pairs = 0;
  let pg = 0;
  let scored = 0;
  let area = 0;
  const t0 = performance.now();
  for (const { frame, maps } of cached) {
    const r = mc.explain(frame, maps, session.model.labels);
    if (r.explanation.sceneCut) previous = null;
    if (previous) {
      flicker += 1 - regionIoU(previous, r.maps.metacam);
      pairs++;
    }
    previous = r.maps.metacam;
    area += r.explanation.consensus.areaPercent;
    const box = boxes.get(frame.index);
    if (box) {
      pg += pointingGame(r.maps.metacam, pixelBoxToNormalised(box, info.width, info.height));
      scored++;
    }
  }
  const ms = (performance.now() - t0) / cached.length;
  console.log(`${json}: flicker ${(flicker / pairs).toFixed(4)}  pointing game ${scored ? (pg / scored).toFixed(4) : '-'}  area ${(area / cached.length).toFixed(1)} %  stage ${ms.toFixed(2)} ms/frame`);
}
