/**
 * `metacam explain in.mp4 -o out.mp4 --queue URL`: the coordinator side of a segment-parallel run (src/queue).
 * Loads no model: workers do the explaining; this process plans, enqueues, shows one progress bar over all
 * segments and prints the same summary shape as a local run.
 */
import type { ExplainOptions } from '../args.js';
import { createProgress } from '../progress.js';
import type { VideoInfo } from '../../ingest/probe-video.js';
import { pickModelSettings } from '../../explain/model/model-settings.js';
import { pickMetaCamSettings } from '../../metacam/metacam-settings.js';
import { explainOnQueue } from '../../queue/coordinator.js';
import { parseRedisUrl } from '../../queue/redis-url.js';
import type { Io } from '../main.js';

export async function runQueuedExplain(opts: ExplainOptions, info: VideoInfo, io: Io): Promise<number> {
  const target = parseRedisUrl(opts.queue!, '--queue');
  let progress: ReturnType<typeof createProgress> | undefined;
  // The bar's line is ended on failure too, so the error starts on a line of its own.
  const result = await explainOnQueue({
    target, input: opts.input, output: opts.output, info,
    ...(opts.audit ? { audit: opts.audit } : {}),
    ...(opts.segmentSeconds !== undefined ? { segmentSeconds: opts.segmentSeconds } : {}),
    settings: {
      model: pickModelSettings(opts),
      metacam: pickMetaCamSettings(opts),
      overlay: { colormap: opts.colormap, alpha: opts.alpha, show: opts.show, layout: opts.layout },
    },
    onPlan: ({ segments, preRoll }) => {
      if (opts.json) return;
      io.stderr.write(`metacam: queue ${target.redacted}: ${segments.length} segments of ≤ ${segments[0]!.count} frames, pre-roll ${preRoll} frames each\n`);
      progress = createProgress(io.stderr, info.frameCount, { label: 'explain (queued)' });
    },
    onProgress: (done) => progress?.update(done),
  }).finally(() => progress?.finish());
  const summary = {
    output: result.output, input: opts.input, interrupted: false, frames: result.frames, inputFrames: result.inputFrames,
    fps: Number(result.fps.toFixed(3)), seconds: Number(result.seconds.toFixed(3)), segments: result.segments,
    joinSeconds: Number(result.joinSeconds.toFixed(3)), queue: target.redacted, audit: result.audit ?? null,
  };
  if (opts.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    io.stdout.write(`wrote ${result.output} (${result.frames}/${result.inputFrames} frames in ${result.segments} segments, ${result.fps.toFixed(2)} fps end to end)\n`);
    if (result.audit) io.stdout.write(`audit log: ${result.audit}\n`);
  }
  return 0;
}
