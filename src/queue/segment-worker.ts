/**
 * `metacam worker`: a BullMQ worker on the explain queue. `segment` jobs explain one segment (explain-segment.ts)
 * with a session opened once per model setting and reused; `join` jobs (a flow's parent, started by BullMQ when
 * all its segments are done) join them (join-segments.ts). Progress is the segment's frames done.
 *
 * A worker that dies (SIGKILL, power) stops renewing its job's lock; after `lockMs` BullMQ's stalled-job check
 * moves the job back to waiting and another worker redoes the whole segment (its half-written files have
 * temporary names and are overwritten). close() waits for running jobs, then closes the Redis connections and
 * the session.
 */
import { Worker, type Job } from 'bullmq';
import { MetacamError } from '../errors.js';
import type { Session } from '../pipeline/session.js';
import { explainSegment } from './explain-segment.js';
import { joinSegments } from './join-segments.js';
import { toJobError } from './queue-error.js';
import { redisOptions } from './redis-connection.js';
import type { RedisTarget } from './redis-url.js';
import { canonicalJson } from './segment-job-id.js';
import { QUEUE_NAME, type JoinJobData, type RunSettings, type SegmentJobData, type SegmentJobResult } from './segment-job.js';

export interface SegmentWorkerOptions {
  readonly target: RedisTarget;
  readonly concurrency?: number;
  /** Lock duration: how long a dead worker's segment waits before another worker takes it (default 30 s). */
  readonly lockMs?: number;
  readonly openSession: (model: RunSettings['model']) => Promise<Session>;
  readonly log?: (line: string) => void;
}

export interface SegmentWorker {
  readonly worker: Worker;
  close(): Promise<void>;
}

export function startSegmentWorker(o: SegmentWorkerOptions): SegmentWorker {
  let current: { key: string; session: Promise<Session> } | undefined;
  const sessionFor = (model: RunSettings['model']): Promise<Session> => {
    const key = canonicalJson(model);
    if (current?.key !== key) {
      const old = current;
      current = { key, session: o.openSession(model) };
      void old?.session.then((s) => s.dispose(), () => {});
    }
    return current.session;
  };
  const lockMs = o.lockMs ?? 30_000;
  const worker = new Worker(QUEUE_NAME, async (job: Job) => {
    try {
      if (job.name === 'segment') {
        const data = job.data as SegmentJobData;
        o.log?.(`segment ${data.segment.index}: frames ${data.segment.first}–${data.segment.first + data.segment.count - 1} (from ${data.segment.decodeFrom})`);
        const session = await sessionFor(data.settings.model);
        return await explainSegment(session, data, (n) => job.updateProgress(n));
      }
      if (job.name === 'join') {
        const data = job.data as JoinJobData;
        o.log?.(`join: ${data.segments} segments → ${data.output}`);
        const children = Object.values(await job.getChildrenValues()) as SegmentJobResult[];
        return await joinSegments(data, children);
      }
      throw new MetacamError('E_INTERNAL', `unknown job kind '${job.name}' on ${QUEUE_NAME}`);
    } catch (e) {
      throw toJobError(e);
    }
  }, {
    connection: redisOptions(o.target),
    concurrency: o.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.round(lockMs / 2)),
    maxStalledCount: 2,
  });
  worker.on('error', (e) => o.log?.(`queue error: ${e.message.replaceAll(o.target.password ?? '\u0000', '***')}`));
  let closing: Promise<void> | undefined;
  return {
    worker,
    close() {
      closing ??= (async () => {
        try {
          await worker.close();
        } finally {
          const s = current?.session;
          current = undefined;
          await s?.then((x) => x.dispose(), () => {});
        }
      })();
      return closing;
    },
  };
}
