/**
 * Where an end-to-end run's start-up and tail go: explainVideo on a generated 720p clip (worker explainer, as
 * the CLI runs it), with timestamps for the probe, each batch handed to the worker and returned, the first
 * frame out and the last, and the end. Medians over a few runs; wall time, so read it at low load.
 *   node --import tsx bench/startup-breakdown.ts [frames=48] [runs=3]
 */
import type { Frame } from '../src/core/frame.js';
import { explainVideo } from '../src/pipeline/explain-video.js';
import { withE2eFixture } from './e2e-fixture.js';

const frames = Number(process.argv[2] ?? 48);
const runs = Number(process.argv[3] ?? 3);
await withE2eFixture(frames, async ({ clip, output, session, worker }) => {
  for (let r = 0; r <= runs; r++) {
    const marks: [string, number][] = [];
    const t0 = performance.now();
    const mark = (what: string) => marks.push([what, performance.now() - t0]);
    let n = 0;
    let b = 0;
    await explainVideo(session, {
      input: clip, output, overlay: {}, topK: 10, binary: false, smoothSeconds: 0.5, smoothMaps: 0,
      recycleBuffers: true,
      explainer: {
        batchSize: worker.batchSize,
        async explainBatch(batch: readonly Frame[]) {
          const k = b++;
          if (k < 2 || batch.length < worker.batchSize || (k + 1) * worker.batchSize >= frames) mark(`batch ${k} (${batch.length}) to worker`);
          const maps = await worker.explainBatch(batch);
          if (k < 2 || (k + 1) * worker.batchSize >= frames) mark(`batch ${k} back`);
          return maps;
        },
      },
      onStart: () => mark('probed'),
      onFrame: () => { n++; if (n === 1) mark('first frame out'); if (n === frames) mark('last frame out'); },
    });
    mark('done (encoder exited, renamed)');
    if (r > 0) process.stdout.write(`run ${r}: ${marks.map(([w, t]) => `${w} ${Math.round(t)}`).join(' | ')}\n`);
  }
});
