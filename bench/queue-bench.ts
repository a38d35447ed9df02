/**
 * The queue row of the benchmark: what segment-parallel explain (`explain --queue`, docs/scale-out.md) gains on
 * this machine. All real: a redis-server of its own on a free loopback port, `metacam` CLI processes. On one
 * generated 720p clip (testsrc2 + a sine tone, 25 fps; 20 s, or 4 s with --quick), realtime preset (the
 * default), mobilenet-v2 (the default), each timed as the wall clock of the command a user runs:
 *   - local:     `metacam explain clip -o out.mp4`
 *   - 1 worker:  `metacam explain clip -o out.mp4 --queue URL --segment-seconds S` with one `metacam worker`
 *   - 2 workers: the same with two worker processes.
 * Workers are started (and idle) before the command is timed; each loads the model on its first job, inside the
 * timing, as the local run does. Redis is flushed and the output names differ between runs, so no job is reused.
 *
 * Segment length: 10 s for the 20 s clip (2 s with --quick): two segments, one per worker with 2 workers, and one
 * pre-roll (9.2 × --smooth 0.5 s = 116 frames at 25 fps, +23 % frames explained) — the same work for the 1- and
 * 2-worker runs, so their ratio is the parallel gain alone. Shorter segments balance better over more workers but
 * pay a pre-roll each.
 *
 * Reports fps (clip frames / wall seconds) of each, their ratios to local, the join's seconds, the segment
 * length, and the load average at start and end. Skipped with a one-line notice when redis-server is absent.
 * Every child process and Redis are stopped at the end, on error too.
 *
 *   node --import tsx bench/queue-bench.ts [--quick] [--json bench/results/queue.json]   (also writes queue.txt)
 * `npm run bench` runs it after the model rows (skip with --skip-queue).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { makeTestClip } from '../src/ingest/make-test-clip.js';
import { startCli, type CliResult } from '../test/helpers/cli.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../test/helpers/redis-server.js';
import { round } from './timing.js';

const CLIP = { width: 1280, height: 720, fps: 25 } as const;

export interface QueueRun {
  readonly workers: number;
  readonly wallSeconds: number;
  readonly fps: number;
  readonly overLocal: number | null;
  readonly segments: number;
  readonly joinSeconds: number;
}

export interface QueueBench {
  readonly kind: 'metacam-queue-bench';
  readonly quick: boolean;
  readonly clip: { width: number; height: number; fps: number; frames: number; seconds: number; pattern: 'testsrc2'; audio: 'aac 440 Hz' };
  readonly preset: 'realtime';
  readonly model: 'mobilenet-v2';
  readonly segmentSeconds: number;
  readonly local: { readonly wallSeconds: number; readonly fps: number };
  readonly queued: readonly QueueRun[];
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
  readonly cores: number;
  readonly notes: readonly string[];
}

export type QueueBenchOutcome = QueueBench | { readonly skipped: string };

const loadavg = () => os.loadavg().map((l) => round(l, 2));

/** A CLI command, timed by wall clock; a non-zero exit is an error with its stderr's tail. */
async function timed(args: readonly string[], children: Set<ChildProcess>): Promise<{ seconds: number; json: Record<string, number> }> {
  const t0 = performance.now();
  const run = startCli(args);
  children.add(run.child);
  const r = await run.done.finally(() => children.delete(run.child));
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new Error(`metacam ${args.slice(0, 2).join(' ')} … exited ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-4).join(' | ')}`);
  return { seconds, json: JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number> };
}

/** A worker process, resolved once it waits for jobs. */
async function startWorker(url: string, children: Set<ChildProcess>): Promise<{ child: ChildProcess; done: Promise<CliResult> }> {
  const w = startCli(['worker', '--redis', url]);
  children.add(w.child);
  let log = '';
  await new Promise<void>((ready, fail) => {
    w.child.stderr!.on('data', (d: string) => {
      log += d;
      if (/waiting for jobs/.test(log)) ready();
    });
    void w.done.then((r) => fail(new Error(`metacam worker exited ${r.code ?? r.signal} before it was ready: ${log.trim()}`)));
  });
  return w;
}

async function stopAll(children: Set<ChildProcess>): Promise<void> {
  const ends = [...children].map((c) => new Promise<void>((r) => {
    if (c.exitCode !== null || c.signalCode !== null) return r();
    c.once('close', () => r());
    c.kill('SIGTERM');
    // A worker finishing a job on SIGTERM could take a while: an error path does not wait for it.
    setTimeout(() => c.kill('SIGKILL'), 5000).unref();
  }));
  await Promise.all(ends);
  children.clear();
}

export async function benchQueue(options: { quick: boolean; log?: (line: string) => void }): Promise<QueueBenchOutcome> {
  const log = options.log ?? (() => {});
  if (!hasRedisServer()) return { skipped: 'redis-server not found (Debian: apt-get install redis-server): queue row skipped' };
  const loadAverageAtStart = loadavg();
  const seconds = options.quick ? 4 : 20;
  const segmentSeconds = options.quick ? 2 : 10;
  const frames = seconds * CLIP.fps;
  const workDir = await mkdtemp(join(os.tmpdir(), 'metacam-queue-bench-'));
  const children = new Set<ChildProcess>();
  let redis: RedisServer | null = null;
  try {
    const clip = join(workDir, 'clip-720p.mp4');
    await makeTestClip({ path: clip, ...CLIP, frames, audio: true, pattern: 'testsrc2' });
    redis = await startRedisServer();
    if (!redis) return { skipped: 'redis-server did not start: queue row skipped' };
    log(`queue: clip 720p ${seconds} s (${frames} frames), segments of ${segmentSeconds} s, redis on ${redis.port}`);
    const local = await timed(['explain', clip, '-o', join(workDir, 'local.mp4'), '--json'], children);
    const localFps = frames / local.seconds;
    log(`queue: local ${local.seconds.toFixed(1)} s = ${localFps.toFixed(2)} fps`);
    const queued: QueueRun[] = [];
    for (const n of [1, 2]) {
      const flush = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
      try {
        await flush.connect();
        await flush.flushdb();
      } finally {
        flush.disconnect();
      }
      for (let i = 0; i < n; i++) await startWorker(redis.url, children);
      const q = await timed(['explain', clip, '-o', join(workDir, `queued-${n}.mp4`), '--queue', redis.url, '--segment-seconds', String(segmentSeconds), '--json'], children);
      await stopAll(children);
      const fps = frames / q.seconds;
      queued.push({ workers: n, wallSeconds: round(q.seconds, 2), fps: round(fps, 2), overLocal: round(fps / localFps, 3), segments: q.json.segments!, joinSeconds: round(q.json.joinSeconds!, 2) });
      log(`queue: ${n} worker${n > 1 ? 's' : ''} ${q.seconds.toFixed(1)} s = ${fps.toFixed(2)} fps (${(fps / localFps).toFixed(2)}× local), join ${q.json.joinSeconds} s`);
    }
    return {
      kind: 'metacam-queue-bench', quick: options.quick,
      clip: { ...CLIP, frames, seconds, pattern: 'testsrc2', audio: 'aac 440 Hz' },
      preset: 'realtime', model: 'mobilenet-v2', segmentSeconds,
      local: { wallSeconds: round(local.seconds, 2), fps: round(localFps, 2) },
      queued, loadAverageAtStart, loadAverageAtEnd: loadavg(), cores: os.cpus().length,
      notes: [
        'fps = clip frames / wall seconds of the command (process start → exit), model load included; workers were started and idle before',
        `every segment after the first also explains a pre-roll (9.2 × --smooth 0.5 s); ${segmentSeconds} s segments → ${Math.ceil(seconds / segmentSeconds)} segments`,
        'joinSeconds: the join job (concat demuxer -c:v copy, AAC audio, one audit pass), as the worker measured it',
      ],
    };
  } finally {
    await stopAll(children);
    await redis?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

export function formatQueueRow(b: QueueBenchOutcome): string {
  if ('skipped' in b) return `queue: ${b.skipped}`;
  const rows = [
    ['run', 'wall s', 'fps', '× local', 'segments', 'join s'],
    ['local', b.local.wallSeconds.toFixed(1), b.local.fps.toFixed(2), '1.00', '–', '–'],
    ...b.queued.map((q) => [`--queue, ${q.workers} worker${q.workers > 1 ? 's' : ''}`, q.wallSeconds.toFixed(1), q.fps.toFixed(2), q.overLocal?.toFixed(2) ?? '–', String(q.segments), q.joinSeconds.toFixed(2)]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')).join('\n');
  return [
    `queue row — ${b.clip.width}×${b.clip.height}@${b.clip.fps} ${b.clip.seconds} s (${b.clip.frames} frames), ${b.model}, preset ${b.preset}, --segment-seconds ${b.segmentSeconds}${b.quick ? ' (--quick)' : ''}; ${b.cores} cores, load ${b.loadAverageAtStart.join('/')} → ${b.loadAverageAtEnd.join('/')}`,
    table,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({ args: process.argv.slice(2), options: { quick: { type: 'boolean' }, json: { type: 'string' } }, strict: true });
  const log = (line: string) => process.stderr.write(`[queue-bench] ${line}\n`);
  const b = await benchQueue({ quick: Boolean(v.quick), log });
  const text = formatQueueRow(b);
  process.stdout.write(`${text}\n`);
  if (v.json) {
    const path = resolve(v.json);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify({ date: new Date().toISOString(), ...b }, null, 2)}\n`);
    writeFileSync(path.replace(/\.json$/i, '') + '.txt', `${text}\n`);
    process.stdout.write(`JSON: ${path}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    process.stderr.write(`queue-bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
