/**
 * The coordinator behind `metacam explain … --queue URL` (one input with -o, or several with --out-dir): probes
 * and hashes every input, plans frame-exact segments (queued-run.ts), and adds one BullMQ flow per input
 * (children = segments, parent = the join) with job ids derived from the input's sha256, the settings and the
 * segment index. Every input's segments are enqueued up front, so a worker that finishes one file's segments
 * takes the next file's. It then only watches: progress over all segments of all inputs (polled, so a restarted
 * coordinator sees the work already done), and each join's result. A coordinator killed and started again with
 * the same command adds the same ids (BullMQ keeps the existing jobs), so finished segments are reused and
 * running ones carry on.
 *
 * Order matters for "nothing written on failure": every input is checked and Redis is reached before any file or
 * folder is created. One input's run failing does not stop the others: the coordinator waits for all, keeps what
 * finished, and then reports the failed input's error.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { FlowProducer, Job, Queue, QueueEvents } from 'bullmq';
import { MetacamError } from '../errors.js';
import { probeVideo, type VideoInfo } from '../ingest/probe-video.js';
import { runFailure, type ExplainRun } from '../pipeline/out-dir-runs.js';
import { fromJobFailure } from './queue-error.js';
import { planQueuedRun, type QueuedRun } from './queued-run.js';
import { checkRedis, redisOptions } from './redis-connection.js';
import type { RedisTarget } from './redis-url.js';
import { joinJobId, segmentJobId } from './segment-job-id.js';
import { QUEUE_NAME, type JoinJobResult, type RunSettings, type SegmentJobData } from './segment-job.js';

/**
 * Default segment length. Every segment but the first also explains its pre-roll (9.2 of the longer smoothing
 * time constant, thresholds or maps: 4.6 s at the default 0.5 s), so the extra work is about preRoll / segment: 15 % at 30 s, 46 % at 10 s.
 */
export const DEFAULT_SEGMENT_SECONDS = 30;

export interface QueueExplainOptions {
  readonly target: RedisTarget;
  /** One run per input; `info` when already probed. */
  readonly runs: readonly (ExplainRun & { readonly info?: VideoInfo })[];
  readonly segmentSeconds?: number;
  /** Explain only each input's first N frames (`--max-frames`). */
  readonly maxFrames?: number;
  readonly settings: RunSettings;
  /** Every input planned (nothing enqueued yet). */
  readonly onPlan?: (runs: readonly QueuedRun[]) => void;
  /** Every input's flow is in Redis. */
  readonly onEnqueued?: () => void;
  /** Frames finished over all segments of all inputs, and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly pollMs?: number;
}

export interface QueueRunResult extends JoinJobResult {
  readonly input: string;
  readonly inputFrames: number;
  readonly segments: number;
  /** From the start of the command to this input's join done. */
  readonly seconds: number;
  readonly fps: number;
}

export interface QueueExplainResult {
  readonly runs: readonly QueueRunResult[];
  readonly frames: number;
  /** The whole command: probe and plan → the last join. */
  readonly seconds: number;
  readonly fps: number;
}

export async function explainOnQueue(o: QueueExplainOptions): Promise<QueueExplainResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const infos: VideoInfo[] = [];
  for (const r of o.runs) infos.push(r.info ?? (await probeVideo(r.input)));
  await checkRedis(o.target);
  const segmentSeconds = o.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  const plans: QueuedRun[] = [];
  for (const [i, r] of o.runs.entries()) {
    plans.push(await planQueuedRun({ ...r, info: infos[i]!, segmentSeconds, settings: o.settings, startedAt, ...(o.maxFrames !== undefined ? { maxFrames: o.maxFrames } : {}) }));
  }
  o.onPlan?.(plans);
  const total = plans.reduce((n, p) => n + p.frames, 0);

  const connection = redisOptions(o.target);
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const queue = new Queue(QUEUE_NAME, { connection });
  const flows = new FlowProducer({ connection });
  let timer: NodeJS.Timeout | undefined;
  try {
    await events.waitUntilReady();
    for (const plan of plans) await enqueue(queue, flows, plan, o.settings);
    o.onEnqueued?.();
    const poll = async () => {
      let done = 0;
      for (const plan of plans) done += await framesDone(queue, plan);
      o.onProgress?.(done, total);
    };
    timer = setInterval(() => { poll().catch(() => {}); }, o.pollMs ?? 500);
    const settled = await Promise.allSettled(plans.map(async (plan): Promise<QueueRunResult> => {
      const result = await waitForJoin(queue, events, plan);
      const seconds = (performance.now() - started) / 1000;
      return { ...result, input: plan.input, inputFrames: plan.info.frameCount, segments: plan.segments.length, seconds, fps: result.frames / seconds };
    }));
    clearInterval(timer);
    const runs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.findIndex((s) => s.status === 'rejected');
    if (failed >= 0) {
      const e = (settled[failed] as PromiseRejectedResult).reason;
      throw plans.length === 1 ? e : runFailure(e, o.runs[failed]!, runs.map((r) => r.output));
    }
    await poll();
    const seconds = (performance.now() - started) / 1000;
    const frames = runs.reduce((n, r) => n + r.frames, 0);
    return { runs, frames, seconds, fps: frames / seconds };
  } finally {
    if (timer) clearInterval(timer);
    await Promise.allSettled([events.close(), queue.close(), flows.close()]);
  }
}

/** Adds the input's flow, unless the same command's run is already there (running, or done with its output). */
async function enqueue(queue: Queue, flows: FlowProducer, plan: QueuedRun, settings: RunSettings): Promise<void> {
  const joinId = joinJobId(plan.key);
  const existing = await Job.fromId(queue, joinId);
  if (existing) {
    const state = await existing.getState();
    // Failed, or finished with its output since deleted: start over rather than report a stale result.
    if (state !== 'failed' && !(state === 'completed' && !existsSync(plan.output))) return;
    await existing.remove({ removeChildren: true });
  }
  await mkdir(plan.workDir, { recursive: true });
  await flows.add({
    name: 'join', queueName: QUEUE_NAME, data: plan.joinData,
    opts: { jobId: joinId, attempts: 2, backoff: { type: 'fixed', delay: 1000 } },
    children: plan.segments.map((segment) => ({
      name: 'segment', queueName: QUEUE_NAME,
      data: { input: plan.input, workDir: plan.workDir, segment, settings } satisfies SegmentJobData,
      opts: { jobId: segmentJobId(plan.key, segment.index), attempts: 3, backoff: { type: 'fixed', delay: 1000 }, failParentOnFailure: true },
    })),
  });
}

async function framesDone(queue: Queue, plan: QueuedRun): Promise<number> {
  let done = 0;
  for (const s of plan.segments) {
    const job = await Job.fromId(queue, segmentJobId(plan.key, s.index));
    if (!job) continue;
    if (job.finishedOn && !job.failedReason) done += s.count;
    else if (typeof job.progress === 'number') done += Math.min(s.count, job.progress);
  }
  return done;
}

async function waitForJoin(queue: Queue, events: QueueEvents, plan: QueuedRun): Promise<JoinJobResult> {
  const joinId = joinJobId(plan.key);
  const joinJob = await Job.fromId(queue, joinId);
  if (!joinJob) throw new MetacamError('E_INTERNAL', `the join job ${joinId} vanished from the queue`);
  try {
    return (await joinJob.waitUntilFinished(events)) as JoinJobResult;
  } catch (e) {
    // A segment that failed for good failed its parent: drop the run's segments still waiting (nobody will join
    // them), then report the failed segment's own error and code.
    let failure: MetacamError | undefined;
    for (const s of plan.segments) {
      const child = await Job.fromId(queue, segmentJobId(plan.key, s.index));
      if (!child) continue;
      if (child.failedReason) failure ??= fromJobFailure(child.failedReason, `segment ${s.index} (frames ${s.first}–${s.first + s.count - 1}) of ${plan.input} failed`);
      const state = await child.getState();
      if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await child.remove().catch(() => {});
    }
    throw failure ?? fromJobFailure((e as Error).message, `the queued run of ${plan.input} failed`);
  }
}
