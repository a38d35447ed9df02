/**
 * The queue's command-line flags: `metacam worker`, `metacam queue clean`, and `explain`'s --queue /
 * --segment-seconds. Pure, like args.ts; the queue itself (src/queue) owns what the values mean.
 */
import { argError, parse, parseNumber } from './flag-parsing.js';

export interface WorkerOptions {
  readonly redis: string;
  readonly concurrency: number;
  /** Seconds a dead worker's segment waits before another worker takes it (BullMQ lock duration). */
  readonly lockSeconds: number;
}

/** `explain`'s --queue and --segment-seconds (and what cannot go with --queue). */
export function queueFlags(s: (k: string) => string | undefined): { queue?: string; segmentSeconds?: number } {
  const queue = s('queue');
  if (queue === undefined) {
    if (s('segment-seconds') !== undefined) throw argError('--segment-seconds needs --queue redis://host:port.');
    return {};
  }
  if (s('audit-thumbs') !== undefined) throw argError('--audit-thumbs cannot be combined with --queue yet.');
  const raw = s('segment-seconds');
  return { queue, ...(raw === undefined ? {} : { segmentSeconds: parseNumber('segment-seconds', raw, 0, { min: 0.1, max: 86400 }) }) };
}

export function parseWorkerArgs(argv: readonly string[]): WorkerOptions {
  const { values: v, positionals } = parse(argv, {
    redis: { type: 'string' },
    concurrency: { type: 'string' },
    'lock-seconds': { type: 'string' },
  }, 'worker');
  if (positionals.length) throw argError(`metacam worker takes no positional arguments; got ${positionals.join(' ')}.`);
  const vv = v as Record<string, string | undefined>;
  if (!vv.redis) throw argError('metacam worker needs --redis redis://host:port (the same Redis as the coordinator\'s --queue).');
  return {
    redis: vv.redis,
    concurrency: parseNumber('concurrency', vv.concurrency, 1, { min: 1, max: 64, integer: true }),
    lockSeconds: parseNumber('lock-seconds', vv['lock-seconds'], 30, { min: 1, max: 3600 }),
  };
}

export interface QueueOptions {
  readonly redis: string;
  readonly json: boolean;
}

/** `metacam queue clean --redis URL [--json]` (after the subcommand). */
export function parseQueueArgs(argv: readonly string[]): QueueOptions {
  const { values: v, positionals } = parse(argv, { redis: { type: 'string' }, json: { type: 'boolean' } }, 'queue');
  if (positionals.length) throw argError(`metacam queue clean takes no positional arguments; got ${positionals.join(' ')}.`);
  if (!v.redis) throw argError('metacam queue clean needs --redis redis://host:port (the Redis of the workers and --queue).');
  return { redis: v.redis as string, json: Boolean(v.json) };
}
