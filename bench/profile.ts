/**
 * One scenario of the benchmark, alone, for a CPU profile (the bench itself is not profiled: the profiler's
 * overhead would skew its ratios). Run:
 *   node --cpu-prof --cpu-prof-dir=bench/profiles --import tsx bench/profile.ts <scenario> [frames] [model]
 *   node --import tsx bench/summarize-profile.ts bench/profiles/<file>.cpuprofile
 * Scenarios: forward (engine forward only), realtime (realtime members + MetaCAM), explain-only (+ overlay on
 * pre-decoded 720p frames), end-to-end (explainVideo on a generated 720p clip).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { parseExplainArgs } from '../src/cli/args.js';
import { decodeFrames } from '../src/ingest/decode-frames.js';
import { makeTestClip } from '../src/ingest/make-test-clip.js';
import { createMetaCam } from '../src/metacam/create-metacam.js';
import { renderOverlay, resolveOverlayOptions } from '../src/overlay/index.js';
import { explainVideo } from '../src/pipeline/explain-video.js';
import { openSession } from '../src/pipeline/session.js';
import { BATCH } from './model-bench.js';

const [scenario = 'end-to-end', framesArg = '48', model = 'mobilenet-v2'] = process.argv.slice(2);
const frames = Number(framesArg);
const dir = await mkdtemp(join(os.tmpdir(), 'metacam-profile-'));
try {
  const clip = join(dir, 'clip.mp4');
  await makeTestClip({ path: clip, width: 1280, height: 720, fps: 25, frames, audio: true, pattern: 'testsrc2' });
  const options = parseExplainArgs([clip, '-o', join(dir, 'out.mp4'), '--model', model]);
  const session = await openSession(options);
  try {
    const decoded = await lastValueFrom(decodeFrames(clip, session.model.inputSize).pipe(toArray()));
    const overlay = resolveOverlayOptions({});
    const explainer = scenario === 'forward' ? session.engine!.explainerFor({ methods: [], batchSize: BATCH }) : session.explainer;
    await explainer.explainBatch(decoded.slice(0, BATCH)); // warm-up
    const t0 = performance.now();
    if (scenario === 'end-to-end') {
      await explainVideo(session, { input: clip, output: join(dir, 'out.mp4'), overlay, topK: 10, binary: false, smoothSeconds: 0.5, smoothMaps: 0 });
    } else {
      const metacam = createMetaCam({ members: session.members.map((m) => m.id) });
      for (let i = 0; i < decoded.length; i += BATCH) {
        const chunk = decoded.slice(i, i + BATCH);
        const maps = await explainer.explainBatch(chunk);
        if (scenario === 'forward') continue;
        for (let j = 0; j < chunk.length; j++) {
          const r = metacam.explain(chunk[j], maps[j], session.model.labels);
          if (scenario === 'explain-only') renderOverlay(chunk[j].image, r.explanation, r.maps, overlay);
        }
      }
    }
    const s = (performance.now() - t0) / 1000;
    process.stdout.write(`${scenario}: ${frames} frames in ${s.toFixed(2)} s = ${(frames / s).toFixed(2)} fps\n`);
    if (explainer !== session.explainer) explainer.dispose();
  } finally {
    session.dispose();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
