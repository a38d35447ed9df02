/**
 * `metacam worker --redis URL [--concurrency N] [--lock-seconds S]`: serves segment and join jobs of
 * `metacam explain … --queue` until SIGINT/SIGTERM, then finishes the jobs it holds and closes its connections.
 * Checks Redis first (E_QUEUE_UNAVAILABLE, exit 2); the model is loaded with the first job's settings.
 */
import { parseWorkerArgs, wantsHelp } from '../args.js';
import { workerHelp } from '../help.js';
import { openSession } from '../../pipeline/session.js';
import { checkRedis } from '../../queue/redis-connection.js';
import { parseRedisUrl } from '../../queue/redis-url.js';
import { startSegmentWorker } from '../../queue/segment-worker.js';
import { spawnExplainerWorker } from '../../explain/engine/worker-explainer.js';
import type { Io } from '../main.js';

export async function workerCommand(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(`${workerHelp()}\n`);
    return 0;
  }
  const opts = parseWorkerArgs(argv);
  const target = parseRedisUrl(opts.redis, '--redis');
  await checkRedis(target);
  const log = (line: string) => io.stderr.write(`metacam worker ${process.pid}: ${line}\n`);
  const worker = startSegmentWorker({
    target, concurrency: opts.concurrency, lockMs: Math.round(opts.lockSeconds * 1000), log,
    openSession: (model) => openSession(model, { worker: spawnExplainerWorker() }),
  });
  let stop!: () => void;
  const stopped = new Promise<void>((r) => { stop = r; });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await worker.worker.waitUntilReady();
    log(`waiting for jobs on ${target.redacted} (concurrency ${opts.concurrency})`);
    await stopped;
    log('stopping: finishing the jobs in hand');
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await worker.close();
  }
  return 0;
}
