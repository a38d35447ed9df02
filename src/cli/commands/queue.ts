/**
 * `metacam queue clean --redis URL`: removes finished metacam runs (completed or failed joins with their
 * segments) from the queue's Redis; runs still going are kept. Checks Redis first (E_QUEUE_UNAVAILABLE, exit 2).
 */
import { parseQueueArgs } from '../args.js';
import { queueHelp } from '../help.js';
import { MetacamError } from '../../errors.js';
import { cleanQueue } from '../../queue/clean-queue.js';
import { checkRedis } from '../../queue/redis-connection.js';
import { parseRedisUrl } from '../../queue/redis-url.js';
import type { Io } from '../main.js';

export async function queueCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    io.stdout.write(`${queueHelp()}\n`);
    return sub ? 0 : 2;
  }
  if (sub !== 'clean') throw new MetacamError('E_ARG', `unknown queue subcommand '${sub}'; use 'clean'.\n${queueHelp()}`);
  const opts = parseQueueArgs(rest);
  const target = parseRedisUrl(opts.redis, '--redis');
  await checkRedis(target);
  const r = await cleanQueue(target);
  if (opts.json) io.stdout.write(`${JSON.stringify({ queue: target.redacted, runsRemoved: r.runs, jobsRemoved: r.jobs })}\n`);
  else io.stdout.write(`removed ${r.runs} finished run${r.runs === 1 ? '' : 's'} (${r.jobs} jobs) from ${target.redacted}\n`);
  return 0;
}
