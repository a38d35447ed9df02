/**
 * `metacam explain a.mp4 b.mp4 --out-dir d [--queue URL]`, all real: a redis-server of its own, `metacam worker`
 * child processes, ffmpeg. The sample is cut into two clips of different lengths (60 and 40 frames); a local run
 * of both (one session, one after another) is the reference. The queued run of both on one worker with
 * --concurrency 2 must give each input the local run's result (frame count, predicted class and pixels per
 * frame, smoothed thresholds within 1e-3, audit verify), must have run two segments at once in that one process
 * (their [processedOn, finishedOn] intervals in Redis overlap: ordering, not speed), and its audit logs and
 * --json timing must cover the whole run from the plan (startedAt before the first segment started).
 * Then: an input deleted after it was enqueued (a path the worker cannot see) fails with the shared-folder
 * message naming it, and the other input's output stays. Argument errors need no Redis.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/ingest/probe-video.js';
import { QUEUE_NAME } from '../../src/queue/segment-job.js';
import { runCli, startCli, type CliResult } from '../helpers/cli.js';
import { ffmpeg } from '../helpers/make-media.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const SAMPLE = 'samples/sample.mp4';
const SETTINGS = ['--smooth', '0.1'];

interface Rec { type: string; index: number; target: { index: number }; consensus: { tauSmoothed: number }; pixelsSha256: string; startedAt?: string; durationSeconds?: number }
const records = (path: string): Rec[] => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
const frames = (path: string): Rec[] => records(path).filter((r) => r.type === 'frame');

function expectSameAsLocal(local: Rec[], queued: Rec[]): void {
  expect(queued.map((r) => r.index)).toEqual(local.map((r) => r.index));
  expect(queued.map((r) => r.target.index)).toEqual(local.map((r) => r.target.index));
  expect(queued.map((r) => r.pixelsSha256)).toEqual(local.map((r) => r.pixelsSha256));
  const worst = Math.max(...local.map((r, i) => Math.abs(r.consensus.tauSmoothed - queued[i]!.consensus.tauSmoothed)));
  expect(worst).toBeLessThan(1e-3);
}

/** Frames [first, first + count) of the sample, audio cut alike, re-encoded: a clip of its own. */
async function cut(out: string, first: number, count: number): Promise<void> {
  await ffmpeg(['-i', SAMPLE, '-vf', `trim=start_frame=${first}:end_frame=${first + count},setpts=PTS-STARTPTS`,
    '-af', `atrim=start=${first / 25}:end=${(first + count) / 25},asetpts=PTS-STARTPTS`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', out]);
}

function startWorker(url: string, extra: readonly string[] = []): { child: ChildProcess; done: Promise<CliResult>; log: () => string } {
  const w = startCli(['worker', '--redis', url, '--lock-seconds', '5', ...extra]);
  let log = '';
  w.child.stderr!.on('data', (d: string) => { log += d; });
  return { ...w, log: () => log };
}

async function stopWorker(w: { child: ChildProcess; done: Promise<CliResult> }): Promise<CliResult> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  return w.done;
}

let redis: RedisServer | null = null;
const dir = mkdtempSync(join(tmpdir(), 'metacam-several-'));
const A = join(dir, 'in', 'a.mp4');
const B = join(dir, 'in', 'b.mp4');

afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('explain a.mp4 b.mp4 --out-dir: argument and input errors (no Redis needed)', () => {
  beforeAll(() => {
    mkdirSync(join(dir, 'in'), { recursive: true });
    writeFileSync(join(dir, 'in', 'notes.txt'), 'not a video\n');
    writeFileSync(join(dir, 'a-file'), 'x');
  });

  it.each([
    [['explain', SAMPLE, 'other.mp4', '-o', 'o.mp4'], /E_ARG: .*need --out-dir DIR/],
    [['explain', SAMPLE, 'other.mp4'], /E_ARG: Several inputs .* need --out-dir DIR/],
    [['explain', SAMPLE, 'x/sample.mp4', '--out-dir', 'd'], /E_ARG: .*would both write d\/sample\.mp4/],
    [['explain', SAMPLE, `${dir}/in/notes.txt`, '--out-dir', `${dir}/a-file/out`], /E_ARG: --out-dir .* cannot be created or written: .*is a file/],
  ])('%j → exit 2, %s', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('one input is not a video: a typed error naming it, before anything is enqueued or written', async () => {
    const out = join(dir, 'never');
    // The queue URL is never reached: every input is probed first.
    const r = await runCli(['explain', SAMPLE, join(dir, 'in', 'notes.txt'), '--out-dir', out, '--queue', 'redis://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_INPUT_INVALID: .*notes\.txt/);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(!hasRedisServer() && process.env.CI !== 'true')('explain a.mp4 b.mp4 --out-dir d --queue (real Redis, worker processes)', () => {
  let local: { a: Rec[]; b: Rec[] } = { a: [], b: [] };

  beforeAll(async () => {
    redis = await startRedisServer();
    if (!redis) return;
    mkdirSync(join(dir, 'in'), { recursive: true });
    await cut(A, 0, 60);
    await cut(B, 60, 40);
    const r = await runCli(['explain', A, B, '--out-dir', join(dir, 'local'), ...SETTINGS, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { inputs: number; frames: number; runs: { input: string; output: string; frames: number; audit: string }[] };
    expect(summary).toMatchObject({ inputs: 2, frames: 100, runs: [{ input: A, output: join(dir, 'local', 'a.mp4'), frames: 60 }, { input: B, frames: 40, audit: join(dir, 'local', 'b.audit.jsonl') }] });
    local = { a: frames(join(dir, 'local', 'a.audit.jsonl')), b: frames(join(dir, 'local', 'b.audit.jsonl')) };
    expect(local.a).toHaveLength(60);
    expect(local.b).toHaveLength(40);
  }, 300_000);

  it('both inputs on one worker with --concurrency 2: each equals its local run; two segments ran at once; timing covers plan → join', async () => {
    const worker = startWorker(redis!.url, ['--concurrency', '2']);
    const out = join(dir, 'queued');
    try {
      const t0 = Date.now();
      const r = await runCli(['explain', A, B, '--out-dir', out, ...SETTINGS, '--queue', redis!.url, '--segment-seconds', '1', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout) as { seconds: number; runs: { seconds: number }[] };
      expect(summary).toMatchObject({ outDir: out, inputs: 2, frames: 100, runs: [
        { input: A, output: join(out, 'a.mp4'), audit: join(out, 'a.audit.jsonl'), frames: 60, inputFrames: 60, segments: 3 },
        { input: B, output: join(out, 'b.mp4'), audit: join(out, 'b.audit.jsonl'), frames: 40, inputFrames: 40, segments: 2 },
      ] });
      for (const [name, ref] of [['a', local.a], ['b', local.b]] as const) {
        const video = join(out, `${name}.mp4`);
        const audit = join(out, `${name}.audit.jsonl`);
        expect((await probeVideo(video)).frameCount).toBe(ref.length);
        const verify = await runCli(['audit', 'verify', audit, '--video', video]);
        expect(verify.code, verify.stdout + verify.stderr).toBe(0);
        expectSameAsLocal(ref, frames(audit));
      }
      expect(worker.log()).toMatch(/concurrency 2/);

      const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis!.port } });
      try {
        const segs = (await queue.getJobs(['completed'])).filter((j) => j.name === 'segment' && j.data.workDir.startsWith(out));
        expect(segs).toHaveLength(5);
        const spans = segs.map((j) => [j.processedOn!, j.finishedOn!] as const);
        const overlapping = spans.some(([s1, e1], i) => spans.some(([s2, e2], k) => k !== i && s1 < e2 && s2 < e1));
        expect(overlapping).toBe(true);
        // The audit logs and --json count from the plan, before any segment began, not from the join.
        const firstStart = Math.min(...spans.map(([s]) => s));
        const lastEnd = Math.max(...spans.map(([, e]) => e));
        for (const [name, input] of [['a', A], ['b', B]] as const) {
          const recs = records(join(out, `${name}.audit.jsonl`));
          const started = Date.parse(recs[0]!.startedAt!);
          expect(started).toBeGreaterThanOrEqual(t0 - 1000);
          expect(started).toBeLessThanOrEqual(firstStart);
          const ownLastEnd = Math.max(...segs.filter((j) => j.data.input === input).map((j) => j.finishedOn!));
          expect(recs.at(-1)!.durationSeconds! * 1000).toBeGreaterThanOrEqual(ownLastEnd - started);
        }
        expect(summary.seconds * 1000).toBeGreaterThanOrEqual(lastEnd - firstStart);
      } finally {
        await queue.close();
      }
    } finally {
      expect((await stopWorker(worker)).code).toBe(0);
    }
  }, 400_000);

  it('an input the worker cannot reach (deleted after it was enqueued): the shared-folder error names it; the other output stays', async () => {
    const inDir = join(dir, 'gone-in');
    mkdirSync(inDir);
    const C = join(inDir, 'c.mp4');
    const D = join(inDir, 'd.mp4');
    await cut(C, 0, 12);
    copyFileSync(B, D);
    const out = join(dir, 'gone-out');
    const coordinator = startCli(['explain', C, D, '--out-dir', out, ...SETTINGS, '--queue', redis!.url, '--segment-seconds', '1']);
    let stderr = '';
    coordinator.child.stderr!.on('data', (d: string) => { stderr += d; });
    let worker: ReturnType<typeof startWorker> | undefined;
    try {
      await expect.poll(() => /enqueued 2 inputs/.test(stderr), { timeout: 60_000, interval: 100 }).toBe(true);
      rmSync(D);
      worker = startWorker(redis!.url);
      const r = await coordinator.done;
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/E_INPUT_MISSING: segment \d \(frames .*\) of .*d\.mp4 failed: the input .*d\.mp4 is not reachable from this worker .*shared folder/);
      expect(r.stderr).toMatch(/finished and kept: .*gone-out\/c\.mp4/);
      expect((await probeVideo(join(out, 'c.mp4'))).frameCount).toBe(12);
      expect(existsSync(join(out, 'd.mp4'))).toBe(false);
      // Not retried: retrying cannot make a path appear.
      expect(worker.log().match(/segment 0: frames/g)?.length).toBe(2);
    } finally {
      coordinator.child.kill('SIGKILL');
      if (worker) expect((await stopWorker(worker)).code).toBe(0);
    }
  }, 300_000);

  it('--max-frames with --queue plans only the first N frames: the same as a local run stopped there', async () => {
    const worker = startWorker(redis!.url);
    const out = join(dir, 'max');
    try {
      const r = await runCli(['explain', A, '-o', join(out, 'a30.mp4'), '--audit', join(out, 'a30.jsonl'), '--max-frames', '30', ...SETTINGS,
        '--queue', redis!.url, '--segment-seconds', '1', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ frames: 30, inputFrames: 60, segments: 2 });
      expect((await probeVideo(join(out, 'a30.mp4'))).frameCount).toBe(30);
      const verify = await runCli(['audit', 'verify', join(out, 'a30.jsonl'), '--video', join(out, 'a30.mp4')]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      // The smoother and scene-cut detector only look back, so a local run's first 30 frames are a 30-frame run's.
      expectSameAsLocal(local.a.slice(0, 30), frames(join(out, 'a30.jsonl')));
    } finally {
      expect((await stopWorker(worker)).code).toBe(0);
    }
  }, 300_000);

  it('queue clean removes the finished runs (completed and failed) and keeps a run still waiting', async () => {
    const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis!.port } });
    try {
      const before = await queue.getJobCounts('completed', 'failed');
      expect(before.completed).toBeGreaterThan(0);
      expect(before.failed).toBeGreaterThan(0); // the unreachable input's run
      // A run enqueued with no worker, its coordinator gone: waiting, not finished.
      const coordinator = startCli(['explain', B, '-o', join(dir, 'waiting', 'b.mp4'), ...SETTINGS, '--queue', redis!.url, '--segment-seconds', '1']);
      let stderr = '';
      coordinator.child.stderr!.on('data', (d: string) => { stderr += d; });
      await expect.poll(() => /enqueued 1 input;/.test(stderr), { timeout: 60_000, interval: 100 }).toBe(true);
      coordinator.child.kill('SIGKILL');
      await coordinator.done;
      const r = await runCli(['queue', 'clean', '--redis', redis!.url, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const cleaned = JSON.parse(r.stdout) as { runsRemoved: number; jobsRemoved: number };
      expect(cleaned.runsRemoved).toBeGreaterThanOrEqual(4); // queued a, b; the max-frames run; c; d (failed)
      expect(cleaned.jobsRemoved).toBe(before.completed! + before.failed!);
      expect(await queue.getJobCounts('completed', 'failed', 'waiting', 'waiting-children')).toEqual({ completed: 0, failed: 0, waiting: 2, 'waiting-children': 1 });
    } finally {
      await queue.close();
    }
    const bad = await runCli(['queue', 'clean']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/E_ARG: metacam queue clean needs --redis/);
  }, 120_000);
});
