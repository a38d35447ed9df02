/**
 * Segment-parallel explain end to end, all real: a redis-server of its own, `metacam worker` child processes,
 * the `metacam explain --queue` coordinator, ffmpeg. The queued result must equal a local run of the same
 * settings: frame count, predicted class per frame, MetaCAM's smoothed threshold per frame within 1e-3, and the
 * joined audit log verifies against the joined video. Then the same with a worker SIGKILLed mid-segment.
 *
 * --smooth 0.1 --smooth-maps 0.1 make the pre-roll 24 frames (0.1 s · ln 1e4 · 25 fps), shorter than a 1.5 s segment's start, so
 * segments really start mid-stream from a pre-roll rather than all decoding from frame 0.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/ingest/probe-video.js';
import { QUEUE_NAME } from '../../src/queue/segment-job.js';
import { runCli, startCli, type CliResult } from '../helpers/cli.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const SAMPLE = 'samples/sample.mp4';
const SETTINGS = ['--smooth', '0.1', '--smooth-maps', '0.1'];

interface Rec { index: number; target: { index: number }; consensus: { tauSmoothed: number }; pixelsSha256: string }
const frames = (path: string): Rec[] => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec & { type: string }).filter((r) => r.type === 'frame');

function expectSameAsLocal(local: Rec[], queued: Rec[]): void {
  expect(queued.map((r) => r.index)).toEqual(local.map((r) => r.index));
  expect(queued.map((r) => r.target.index)).toEqual(local.map((r) => r.target.index));
  expect(queued.map((r) => r.pixelsSha256)).toEqual(local.map((r) => r.pixelsSha256));
  const worst = Math.max(...local.map((r, i) => Math.abs(r.consensus.tauSmoothed - queued[i]!.consensus.tauSmoothed)));
  expect(worst).toBeLessThan(1e-3);
}

function ffmpegPidsMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmd.includes('ffmpeg') && cmd.includes(text)) pids.push(Number(p));
    } catch { /* gone */ }
  }
  return pids;
}

function startWorker(url: string): { child: ChildProcess; done: Promise<CliResult>; log: () => string } {
  const w = startCli(['worker', '--redis', url, '--lock-seconds', '2']);
  let log = '';
  w.child.stderr!.on('data', (d: string) => { log += d; });
  return { ...w, log: () => log };
}

async function stopWorker(w: { child: ChildProcess; done: Promise<CliResult> }): Promise<CliResult> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  return w.done;
}

let redis: RedisServer | null = null;
let dir = '';
let local: Rec[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  if (!redis) return;
  dir = mkdtempSync(join(tmpdir(), 'metacam-queue-'));
  const r = await runCli(['explain', SAMPLE, '-o', join(dir, 'local.mp4'), '--audit', join(dir, 'local.jsonl'), ...SETTINGS, '--json']);
  expect(r.code, r.stderr).toBe(0);
  local = frames(join(dir, 'local.jsonl'));
  expect(local).toHaveLength(100);
}, 240_000);

afterAll(async () => {
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function expectQueueDrained(url: string): Promise<void> {
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: Number(new URL(url).port) } });
  try {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'waiting-children', 'failed');
    expect(counts).toEqual({ waiting: 0, active: 0, delayed: 0, 'waiting-children': 0, failed: 0 });
  } finally {
    await queue.close();
  }
}

async function checkOutput(name: string): Promise<void> {
  const out = join(dir, `${name}.mp4`);
  const info = await probeVideo(out);
  expect(info.frameCount).toBe(100);
  expect(info.hasAudio).toBe(true);
  const verify = await runCli(['audit', 'verify', join(dir, `${name}.jsonl`), '--video', out]);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toMatch(/intact/);
  expectSameAsLocal(local, frames(join(dir, `${name}.jsonl`)));
}

describe.skipIf(!hasRedisServer() && process.env.CI !== 'true')('explain --queue (real Redis, BullMQ, worker processes)', () => {
  it('a coordinator and 2 workers produce the local run\'s result; the audit log verifies', async () => {
    const workers = [startWorker(redis!.url), startWorker(redis!.url)];
    try {
      const r = await runCli(['explain', SAMPLE, '-o', join(dir, 'two.mp4'), '--audit', join(dir, 'two.jsonl'), ...SETTINGS,
        '--queue', redis!.url, '--segment-seconds', '1.5', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ frames: 100, inputFrames: 100, segments: 3 });
      await checkOutput('two');
      // One chain over all segments: segment 2's records moved before segment 1's → broken, not intact.
      const lines = readFileSync(join(dir, 'two.jsonl'), 'utf8').split('\n');
      // line 0 header, lines 1..100 frames 0..99: segment 1 = frames 38–75, segment 2 = 76–99.
      const reordered = [lines[0], ...lines.slice(1, 39), ...lines.slice(77, 101), ...lines.slice(39, 77), ...lines.slice(101)];
      writeFileSync(join(dir, 'reordered.jsonl'), reordered.join('\n'));
      const bad = await runCli(['audit', 'verify', join(dir, 'reordered.jsonl')]);
      expect(bad.code).toBe(1);
      expect(bad.stdout + bad.stderr).toMatch(/BROKEN: .* at line 39/);
      // Both workers took work (3 segments + the join over 2 workers).
      for (const w of workers) expect(w.log()).toMatch(/segment \d+: frames/);
      expect(workers.map((w) => w.log()).join('')).toMatch(/frames 38–75 \(from 14\)/);
    } finally {
      for (const w of workers) expect((await stopWorker(w)).code).toBe(0);
    }
    await expectQueueDrained(redis!.url);
  }, 300_000);

  it('a worker SIGKILLed mid-segment: another redoes the segment and the result is the same', async () => {
    const victim = startWorker(redis!.url);
    const coordinator = startCli(['explain', SAMPLE, '-o', join(dir, 'kill.mp4'), '--audit', join(dir, 'kill.jsonl'), ...SETTINGS,
      '--queue', redis!.url, '--segment-seconds', '1.5', '--json']);
    let rescuer: ReturnType<typeof startWorker> | undefined;
    try {
      // Mid-segment: its encoder has written part of the segment's file.
      let workDir = '';
      await expect.poll(() => {
        const d = readdirSync(dir).find((f) => f.startsWith('.metacam-queue-'));
        if (d) workDir = join(dir, d);
        return workDir !== '' && readdirSync(workDir).some((f) => f.includes('.partial.'));
      }, { timeout: 120_000, interval: 100 }).toBe(true);
      victim.child.kill('SIGKILL');
      expect((await victim.done).signal).toBe('SIGKILL');
      rescuer = startWorker(redis!.url);
      const r = await coordinator.done;
      expect(r.code, r.stderr).toBe(0);
      expect(rescuer.log()).toMatch(/segment 0: frames/);
      await checkOutput('kill');
      // The killed worker's ffmpeg children end on their own (EOF/EPIPE once their parent is gone).
      await expect.poll(() => ffmpegPidsMentioning(workDir), { timeout: 10_000 }).toEqual([]);
    } finally {
      victim.child.kill('SIGKILL');
      coordinator.child.kill('SIGKILL');
      if (rescuer) expect((await stopWorker(rescuer)).code).toBe(0);
    }
    await expectQueueDrained(redis!.url);
  }, 300_000);

  it('the coordinator SIGKILLed and started again with the same command: finished segments are reused, none explained twice', async () => {
    const worker = startWorker(redis!.url);
    const argv = ['explain', SAMPLE, '-o', join(dir, 'again.mp4'), '--audit', join(dir, 'again.jsonl'), ...SETTINGS,
      '--queue', redis!.url, '--segment-seconds', '1.5', '--json'];
    try {
      const first = startCli(argv);
      await expect.poll(() => /segment 1: frames/.test(worker.log()), { timeout: 120_000, interval: 100 }).toBe(true);
      first.child.kill('SIGKILL');
      await first.done;
      const again = await runCli(argv);
      expect(again.code, again.stderr).toBe(0);
      await checkOutput('again');
      for (const i of [0, 1, 2]) expect(worker.log().match(new RegExp(`segment ${i}: frames`, 'g'))).toHaveLength(1);
      expect(worker.log().match(/join: /g)).toHaveLength(1);
    } finally {
      expect((await stopWorker(worker)).code).toBe(0);
    }
    await expectQueueDrained(redis!.url);
  }, 300_000);

  it('a segment that fails for good fails the run with the worker\'s typed error (no retries for a user error)', async () => {
    const worker = startWorker(redis!.url);
    try {
      const r = await runCli(['explain', SAMPLE, '-o', join(dir, 'nomodel.mp4'), '-m', join(dir, 'missing', 'model.json'),
        '--queue', redis!.url, '--segment-seconds', '2']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/E_MODEL_NOT_FOUND: segment \d \(frames \d+–\d+\) of .* failed: model file .* does not exist/);
      expect(worker.log().match(/segment 0: frames/g) ?? []).toHaveLength(1);
      expect(existsSync(join(dir, 'nomodel.mp4'))).toBe(false);
    } finally {
      expect((await stopWorker(worker)).code).toBe(0);
    }
  }, 120_000);
});
