/**
 * Where an end-to-end run's start-up and tail go: explainVideo on a generated 720p clip (worker explainer, as
 * the CLI runs it), with timestamps for the probe, each batch handed to the worker and returned, the first
 * frame out and the last, and the end. Medians over a few runs; wall time, so read it at low load.
 *   node --import tsx bench/startup-breakdown.ts [frames=48] [runs=3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseExplainArgs } from '../src/cli/args.js';
import type { Frame } from '../src/ingest/frame.js';
import { makeTestClip } from '../src/ingest/make-test-clip.js';
import { explainVideo } from '../src/pipeline/explain-video.js';
import { createSessionWorker, openSession } from '../src/pipeline/session.js';

const frames = Number(process.argv[2] ?? 48);
const runs = Number(process.argv[3] ?? 3);
const dir = await mkdtemp(join(os.tmpdir(), 'metacam-startup-'));
try {
  const clip = join(dir, 'clip.mp4');
  await makeTestClip({ path: clip, width: 1280, height: 720, fps: 25, frames, audio: true, pattern: 'testsrc2' });
  const opts = parseExplainArgs([clip, '-o', join(dir, 'out.mp4'), '--model', 'mobilenet-v2']);
  const session = await openSession(opts, { optimize: false });
  const worker = await createSessionWorker(session);
  try {
    for (let r = 0; r <= runs; r++) {
      const marks: [string, number][] = [];
      const t0 = performance.now();
      const mark = (what: string) => marks.push([what, performance.now() - t0]);
      let n = 0;
      let b = 0;
      await explainVideo(session, {
        input: clip, output: join(dir, 'out.mp4'), overlay: {}, topK: 10, binary: false, smoothSeconds: 0.5, smoothMaps: 0,
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
  } finally {
    worker.dispose();
    session.dispose();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
