/**
 * `metacam queue clean --redis URL`: removes the finished runs from Redis. A run is its join job (the flow's
 * parent) with its segments; a run counts as finished when its join completed or failed, and is then removed
 * with its segments. Segments of a run still going (their join waiting for children, or active) are kept: its
 * join reads their results. Segments left without a join (removed by hand) are removed when finished.
 * Only the metacam queue's keys are touched. After a clean, the same command again starts over instead of
 * reusing the finished run.
 */
import { Job, Queue } from 'bullmq';
import { redisOptions } from './redis-connection.js';
import type { RedisTarget } from './redis-url.js';
import { QUEUE_NAME } from './segment-job.js';

export interface CleanResult {
  /** Finished runs removed (join + segments). */
  readonly runs: number;
  /** Jobs removed in all. */
  readonly jobs: number;
}

const PAGE = 500;

export async function cleanQueue(target: RedisTarget): Promise<CleanResult> {
  const queue = new Queue(QUEUE_NAME, { connection: redisOptions(target) });
  let runs = 0;
  let jobs = 0;
  try {
    const before = await queue.getJobCountByTypes('completed', 'failed');
    // Joins first: each takes its segments with it.
    for (const state of ['completed', 'failed'] as const) {
      for (const job of await finished(queue, state)) {
        if (job.name !== 'join') continue;
        await job.remove({ removeChildren: true });
        runs++;
      }
    }
    // Finished segments whose join is gone; a segment whose join still exists belongs to a run still going.
    for (const state of ['completed', 'failed'] as const) {
      for (const job of await finished(queue, state)) {
        if (job.name !== 'segment') continue;
        if (job.parent?.id && (await Job.fromId(queue, job.parent.id))) continue;
        await job.remove();
      }
    }
    jobs = before - (await queue.getJobCountByTypes('completed', 'failed'));
    return { runs, jobs };
  } finally {
    await queue.close();
  }
}

async function finished(queue: Queue, state: 'completed' | 'failed'): Promise<Job[]> {
  const all: Job[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = (await queue.getJobs([state], start, start + PAGE - 1, true)).filter((j): j is Job => Boolean(j));
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}
