/**
 * The coordinator behind `metacam explain … --queue URL`: probes and hashes the input, plans frame-exact
 * segments, and adds one BullMQ flow (children = segments, parent = the join) with job ids derived from the
 * input's sha256, the settings and the segment index. It then only watches: progress over all segments (polled,
 * so a restarted coordinator sees the work already done), and the join's result. A coordinator killed and started
 * again with the same command adds the same ids (BullMQ keeps the existing jobs), so finished segments are
 * reused and running ones carry on.
 *
 * Order matters for "nothing written on failure": the input is checked and Redis is reached before any file or
 * folder is created.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FlowProducer, Job, Queue, QueueEvents } from 'bullmq';
import { sha256File } from '../audit/sha256.js';
import { MetacamError } from '../errors.js';
import { probeVideo, type VideoInfo } from '../ingest/probe-video.js';
import { resolveMetaCamSettings } from '../metacam/metacam-settings.js';
import { fromJobFailure } from './queue-error.js';
import { checkRedis, redisOptions } from './redis-connection.js';
import type { RedisTarget } from './redis-url.js';
import { joinJobId, runKey, segmentJobId } from './segment-job-id.js';
import { QUEUE_NAME, type JoinJobData, type JoinJobResult, type RunSettings, type SegmentJobData } from './segment-job.js';
import { planSegments, preRollFrames, type Segment } from './segment-plan.js';

/**
 * Default segment length. Every segment but the first also explains its pre-roll (9.2 of the longer smoothing
 * time constant, thresholds or maps: 4.6 s at the default 0.5 s), so the extra work is about preRoll / segment: 15 % at 30 s, 46 % at 10 s.
 */
export const DEFAULT_SEGMENT_SECONDS = 30;

export interface QueueExplainOptions {
  readonly target: RedisTarget;
  readonly input: string;
  readonly output: string;
  readonly audit?: string;
  readonly segmentSeconds?: number;
  readonly settings: RunSettings;
  readonly info?: VideoInfo;
  readonly onPlan?: (plan: { segments: readonly Segment[]; preRoll: number; info: VideoInfo; workDir: string }) => void;
  /** Frames finished over all segments, and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly pollMs?: number;
}

export interface QueueExplainResult extends JoinJobResult {
  readonly inputFrames: number;
  readonly segments: number;
  readonly seconds: number;
  readonly fps: number;
}

export async function explainOnQueue(o: QueueExplainOptions): Promise<QueueExplainResult> {
  const started = performance.now();
  const input = resolve(o.input);
  const output = resolve(o.output);
  const audit = o.audit ? resolve(o.audit) : undefined;
  const info = o.info ?? (await probeVideo(input));
  await checkRedis(o.target);
  const sha256 = await sha256File(input);
  const segmentSeconds = o.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  const smoothing = resolveMetaCamSettings(o.settings.metacam);
  const preRoll = preRollFrames(Math.max(smoothing.smoothSeconds, smoothing.smoothMaps), info.fps);
  const segments = planSegments({ frameCount: info.frameCount, fps: info.fps, segmentSeconds, preRoll });
  const key = runKey(sha256, { settings: o.settings, segmentSeconds, preRoll, output, audit: audit ?? null });
  const workDir = join(dirname(output), `.metacam-queue-${key}`);
  o.onPlan?.({ segments, preRoll, info, workDir });

  const connection = redisOptions(o.target);
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const queue = new Queue(QUEUE_NAME, { connection });
  const flows = new FlowProducer({ connection });
  let timer: NodeJS.Timeout | undefined;
  try {
    await events.waitUntilReady();
    const joinId = joinJobId(key);
    // The same command again: a run still going (or done, its output present) is joined, not added twice.
    let existing = await Job.fromId(queue, joinId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed' || (state === 'completed' && !existsSync(output))) {
        // Failed, or finished with its output since deleted: start over rather than report a stale result.
        await existing.remove({ removeChildren: true });
        existing = undefined;
      }
    }
    const joinData: JoinJobData = {
      input, output, ...(audit ? { audit } : {}), workDir, segments: segments.length, inputFrames: info.frameCount,
      input_sha256: sha256, inputSizeBytes: statSync(input).size,
    };
    if (!existing) {
      await mkdir(workDir, { recursive: true });
      await flows.add({
      name: 'join', queueName: QUEUE_NAME, data: joinData,
      opts: { jobId: joinId, attempts: 2, backoff: { type: 'fixed', delay: 1000 } },
      children: segments.map((segment) => ({
        name: 'segment', queueName: QUEUE_NAME,
        data: { input, workDir, segment, settings: o.settings } satisfies SegmentJobData,
        opts: { jobId: segmentJobId(key, segment.index), attempts: 3, backoff: { type: 'fixed', delay: 1000 }, failParentOnFailure: true },
      })),
      });
    }
    const poll = async () => {
      let done = 0;
      for (const s of segments) {
        const job = await Job.fromId(queue, segmentJobId(key, s.index));
        if (!job) continue;
        if (job.finishedOn && !job.failedReason) done += s.count;
        else if (typeof job.progress === 'number') done += Math.min(s.count, job.progress);
      }
      o.onProgress?.(done, info.frameCount);
    };
    timer = setInterval(() => { poll().catch(() => {}); }, o.pollMs ?? 500);
    const joinJob = await Job.fromId(queue, joinId);
    if (!joinJob) throw new MetacamError('E_INTERNAL', `the join job ${joinId} vanished from the queue`);
    let result: JoinJobResult;
    try {
      result = (await joinJob.waitUntilFinished(events)) as JoinJobResult;
    } catch (e) {
      // A segment that failed for good failed its parent: drop the run's segments still waiting (nobody will join
      // them), then report the failed segment's own error and code.
      let failure: MetacamError | undefined;
      for (const s of segments) {
        const child = await Job.fromId(queue, segmentJobId(key, s.index));
        if (!child) continue;
        if (child.failedReason) failure ??= fromJobFailure(child.failedReason, `segment ${s.index} (frames ${s.first}–${s.first + s.count - 1}) of ${input} failed`);
        const state = await child.getState();
        if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await child.remove().catch(() => {});
      }
      throw failure ?? fromJobFailure((e as Error).message, `the queued run of ${input} failed`);
    }
    clearInterval(timer);
    await poll();
    const seconds = (performance.now() - started) / 1000;
    return { ...result, inputFrames: info.frameCount, segments: segments.length, seconds, fps: result.frames / seconds };
  } finally {
    if (timer) clearInterval(timer);
    await Promise.allSettled([events.close(), queue.close(), flows.close()]);
  }
}
