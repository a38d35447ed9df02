/**
 * Issue 15 experiment: lag-free ways to steady the MetaCAM region, simulated offline on the per-frame consensus
 * maps of `explain --smooth 0 --smooth-maps 0` (the library's own stage). A pixel is in the region when it is in
 * the current top 10 % (so the map's maximum, and the pointing game, stay where the current frame puts them),
 * or in the top 10 % of the consensus EMA-smoothed with time constant T (0: not used), or (hysteresis) it was in
 * the previous region and is still ≥ ratio·τ (ratio 1: not used). Row T 0 / ratio 1 reproduces the unsmoothed run.
 * Usage: node --import tsx bench/region-steadiness-experiment.ts <clip.mp4> <gt.jsonl> <model>   (20 fps clips)
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession, explainVideo } from '../src/index.js';
import { parseExplainArgs } from '../src/cli/args.js';
import { quantile } from '../src/metacam/quantile.js';
import { pointingGame } from '../src/evaluate/pointing-game.js';
import { pixelBoxToNormalised } from '../src/evaluate/pixel-box.js';
import { energyInBox } from '../src/evaluate/energy-in-box.js';
import { camMap } from '../src/core/cam-map.js';

const [clip, gtPath, model] = process.argv.slice(2);
const opts = parseExplainArgs([clip!, '-o', join(tmpdir(), 'metacam-steadiness.mp4'), '-m', model!, '--smooth', '0', '--smooth-maps', '0']);
const session = await openSession(opts);
const cons: { w: number; h: number; d: Float32Array }[] = [];
await explainVideo(session, { ...opts, overlay: {}, onFrame: (it) => { const c = it.maps.consensus; cons[it.frame.index] = { w: c.width, h: c.height, d: Float32Array.from(c.data) }; } });
session.dispose();
const gt = gtPath === '-' ? null : readFileSync(gtPath!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const size = 256;
const fps = 20;
for (const [T, ratio] of [[0, 1], [0, 0.8], [0, 0.6], [0, 0.4], [0.25, 1], [0.5, 1], [1, 1], [0.5, 0.6], [1, 0.6]] as const) {
  let prev: Uint8Array | null = null;
  let ema: Float32Array | null = null;
  let flk = 0, pairs = 0, pg = 0, eib = 0, n = 0, area = 0;
  for (const [i, c] of cons.entries()) {
    const tau = quantile(c.d, 0.9);
    const beta = T > 0 ? Math.exp(-1 / fps / T) : 0;
    ema = ema ? Float32Array.from(ema, (a: number, p: number) => beta * a + (1 - beta) * c.d[p]!) : Float32Array.from(c.d);
    const tauE = quantile(ema, 0.9);
    const region = new Uint8Array(c.d.length);
    for (let p = 0; p < c.d.length; p++) {
      const v = c.d[p]!;
      region[p] = v > 0 && (v >= tau || (T > 0 && ema[p]! >= tauE && ema[p]! > 0) || (prev !== null && prev[p] === 1 && v >= ratio * tau)) ? 1 : 0;
    }
    if (prev) { let inter = 0, uni = 0; for (let p = 0; p < region.length; p++) { if (region[p] && prev[p]) inter++; if (region[p] || prev[p]) uni++; } flk += 1 - (uni ? inter / uni : 1); pairs++; }
    prev = region;
    const mc = camMap(c.w, c.h, Float32Array.from(c.d, (v, p) => (region[p] ? v : 0)));
    area += region.reduce((a, b) => a + b, 0) / region.length;
    if (gt) { const o = gt[i].objects.find((x: any) => x.target); const box = pixelBoxToNormalised(o.bbox, size, size); pg += pointingGame(mc, box); eib += energyInBox(mc, box); n++; }
  }
  console.log(`T ${T} ratio ${ratio}: flicker ${(flk / pairs).toFixed(4)} area ${(100 * area / cons.length).toFixed(1)}% PG ${gt ? (pg / n).toFixed(4) : '-'} EiB ${gt ? (eib / n).toFixed(4) : '-'}`);
}
