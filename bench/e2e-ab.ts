/**
 * A/B of end-to-end settings, paired: one session and one worker explainer, then explainVideo runs alternating
 * between variants (A, B, A, B, …) on one generated 720p clip, so load changes hit both. Prints per-variant
 * median wall time, fps and the B/A ratio of each pair. Speed only; the bench proper reports the ratios.
 *   node --import tsx bench/e2e-ab.ts [frames=48] [pairs=5] [variants=nice0,nice10]
 * Variants: niceN (ffmpegNiceness N), pool / nopool (recycleBuffers), firstN (first batch of N frames),
 * combined with '+' (e.g. nice10+first2).
 */
import os from 'node:os';
import { explainVideo, type ExplainVideoOptions } from '../src/pipeline/explain-video.js';
import { withE2eFixture } from './e2e-fixture.js';

const [framesArg = '48', pairsArg = '5', variantsArg = 'nice0,nice10'] = process.argv.slice(2);
const frames = Number(framesArg);
const pairs = Number(pairsArg);
const variants = variantsArg.split(',');

function settings(v: string): Partial<ExplainVideoOptions> {
  const o: { ffmpegNiceness?: number; recycleBuffers?: boolean; firstBatch?: number } = { recycleBuffers: true };
  for (const part of v.split('+')) {
    const nice = /^nice(\d+)$/.exec(part);
    const first = /^first(\d+)$/.exec(part);
    if (nice) o.ffmpegNiceness = Number(nice[1]);
    else if (first) o.firstBatch = Number(first[1]);
    else if (part === 'pool') o.recycleBuffers = true;
    else if (part === 'nopool') o.recycleBuffers = false;
    else throw new Error(`unknown variant part '${part}'`);
  }
  return o;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
await withE2eFixture(frames, async ({ clip, output, session, worker }) => {
  const run = async (v: string) => {
    const t0 = performance.now();
    let first = 0;
    await explainVideo(session, {
      input: clip, output, overlay: {}, topK: 10, binary: false, smoothSeconds: 0.5, smoothMaps: 0,
      explainer: worker, ...settings(v), onFrame: () => { first ||= performance.now(); },
    });
    return { ms: performance.now() - t0, firstMs: first - t0 };
  };
  for (const v of variants) await run(v); // warm-up
  const ms: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
  const firstMs: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
  for (let p = 0; p < pairs; p++) {
    const line: string[] = [];
    for (const v of variants) {
      const r = await run(v);
      ms[v]!.push(r.ms);
      firstMs[v]!.push(r.firstMs);
      line.push(`${v} ${Math.round(r.ms)} ms`);
    }
    process.stdout.write(`pair ${p + 1}: ${line.join(', ')}; load ${os.loadavg()[0]!.toFixed(2)}\n`);
  }
  for (const v of variants) {
    const m = median(ms[v]!);
    process.stdout.write(`${v}: median ${Math.round(m)} ms = ${(frames * 1000 / m).toFixed(2)} fps, first frame ${Math.round(median(firstMs[v]!))} ms; ${(median(ms[variants[0]!]!) / m).toFixed(3)}x ${variants[0]}\n`);
  }
});
