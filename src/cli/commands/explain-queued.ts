/**
 * `metacam explain in.mp4 -o out.mp4 --queue URL` and `metacam explain a.mp4 b.mp4 --out-dir d --queue URL`: the
 * coordinator side of a segment-parallel run (src/queue). Loads no model: workers do the explaining; this
 * process plans, enqueues every input's segments, shows one progress bar over all of them and prints the same
 * summary shapes as a local run (one object for -o; `{ outDir, runs: […] }` for --out-dir).
 */
import type { ExplainOptions } from '../args.js';
import { createProgress } from '../progress.js';
import type { VideoInfo } from '../../ingest/probe-video.js';
import { pickModelSettings } from '../../explain/model/model-settings.js';
import { pickMetaCamSettings } from '../../metacam/metacam-settings.js';
import type { ExplainRun } from '../../pipeline/out-dir-runs.js';
import { explainOnQueue, type QueueRunResult } from '../../queue/coordinator.js';
import { parseRedisUrl } from '../../queue/redis-url.js';
import type { Io } from '../main.js';
import { profileRefOf, type LoadedProfile } from '../../metacam/profile.js';

export async function runQueuedExplain(opts: ExplainOptions, runs: readonly ExplainRun[], infos: readonly VideoInfo[], profile: LoadedProfile | undefined, io: Io): Promise<number> {
  const target = parseRedisUrl(opts.queue!, '--queue');
  let progress: ReturnType<typeof createProgress> | undefined;
  // The bar's line is ended on failure too, so the error starts on a line of its own.
  const result = await explainOnQueue({
    target,
    runs: runs.map((r, i) => ({ ...r, info: infos[i]! })),
    ...(opts.segmentSeconds !== undefined ? { segmentSeconds: opts.segmentSeconds } : {}),
    ...(opts.maxFrames !== undefined ? { maxFrames: opts.maxFrames } : {}),
    settings: {
      model: pickModelSettings(opts),
      metacam: pickMetaCamSettings(opts),
      overlay: { colormap: opts.colormap, alpha: opts.alpha, show: opts.show, layout: opts.layout },
      ...(profile ? { profile: profileRefOf(profile) } : {}),
    },
    onPlan: (plans) => {
      if (opts.json) return;
      for (const p of plans) {
        io.stderr.write(`metacam: queue ${target.redacted}: ${p.input}: ${p.segments.length} segments of ≤ ${p.segments[0]!.count} frames, pre-roll ${p.preRoll} frames each\n`);
      }
    },
    onEnqueued: () => {
      // A line tests and scripts can wait for: every input's jobs are in Redis now.
      if (!opts.json) io.stderr.write(`metacam: enqueued ${runs.length} input${runs.length === 1 ? '' : 's'}; waiting for workers\n`);
      const total = infos.reduce((n, i) => n + (opts.maxFrames === undefined ? i.frameCount : Math.min(opts.maxFrames, i.frameCount)), 0);
      progress = opts.json ? undefined : createProgress(io.stderr, total, { label: 'explain (queued)' });
    },
    onProgress: (done) => progress?.update(done),
  }).finally(() => progress?.finish());
  // result.runs is in the order of `runs` (all of them: a failed one throws).
  const summary = (r: QueueRunResult, i: number) => ({
    output: r.output, input: runs[i]!.input, interrupted: false,
    frames: r.frames, inputFrames: r.inputFrames, fps: Number(r.fps.toFixed(3)), seconds: Number(r.seconds.toFixed(3)),
    segments: r.segments, joinSeconds: Number(r.joinSeconds.toFixed(3)), queue: target.redacted, audit: r.audit ?? null,
  });
  if (opts.outDir === undefined) {
    const r = result.runs[0]!;
    if (opts.json) io.stdout.write(`${JSON.stringify(summary(r, 0))}\n`);
    else {
      io.stdout.write(`wrote ${r.output} (${r.frames}/${r.inputFrames} frames in ${r.segments} segments, ${r.fps.toFixed(2)} fps end to end)\n`);
      if (r.audit) io.stdout.write(`audit log: ${r.audit}\n`);
    }
    return 0;
  }
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({
      outDir: opts.outDir, inputs: result.runs.length, frames: result.frames, seconds: Number(result.seconds.toFixed(3)),
      fps: Number(result.fps.toFixed(3)), queue: target.redacted, runs: result.runs.map(summary),
    })}\n`);
  } else {
    for (const r of result.runs) io.stdout.write(`wrote ${r.output} (${r.frames}/${r.inputFrames} frames in ${r.segments} segments), audit log ${r.audit}\n`);
    io.stdout.write(`${result.frames} frames of ${result.runs.length} inputs in ${result.seconds.toFixed(1)} s (${result.fps.toFixed(2)} fps end to end)\n`);
  }
  return 0;
}
