/**
 * `explain --queue --profile`: the calibrated MetaCAM on workers. A coordinator + one `metacam worker` (real
 * redis-server, processes, ffmpeg) on the shapes clip with the committed shapes profile equal a local
 * `--profile` run (frame count, class and pixels per frame, thresholds within 1e-3); the joined audit header
 * records the profile's sha256 and verifies. A profile for another model fails the run on the worker with
 * E_PROFILE_MISMATCH, exit 2, and no output.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { auditFrames, auditRecords, expectSameAsLocal, startWorker, stopWorker } from '../helpers/queue-run.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const CLIP = 'samples/shapes/clip.mp4';
const PROFILE = 'bench/results/calibration/shapes-full-k10.profile.json';
const SETTINGS = ['-m', 'shapes', '--profile', PROFILE, '--smooth', '0.1', '--smooth-maps', '0.1'];

let redis: RedisServer | null = null;
const dir = mkdtempSync(join(tmpdir(), 'metacam-queued-profile-'));

beforeAll(async () => {
  redis = await startRedisServer();
}, 60_000);

afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasRedisServer() && process.env.CI !== 'true')('explain --queue --profile (real Redis, worker process)', () => {
  it('equals the local --profile run, and the joined header records the profile', async () => {
    const local = await runCli(['explain', CLIP, '-o', join(dir, 'local.mp4'), '--audit', join(dir, 'local.jsonl'), ...SETTINGS]);
    expect(local.code, local.stderr).toBe(0);
    const worker = startWorker(redis!.url, 5);
    try {
      const q = await runCli(['explain', CLIP, '-o', join(dir, 'q.mp4'), '--audit', join(dir, 'q.jsonl'), ...SETTINGS, '--queue', redis!.url, '--segment-seconds', '2']);
      expect(q.code, q.stderr).toBe(0);
    } finally {
      await stopWorker(worker);
    }
    expectSameAsLocal(auditFrames(join(dir, 'local.jsonl')), auditFrames(join(dir, 'q.jsonl')));
    const header = auditRecords(join(dir, 'q.jsonl'))[0] as unknown as { profile?: { sha256: string }; config: { metacam: { consensus: string } } };
    expect(header.profile?.sha256).toBe(createHash('sha256').update(readFileSync(PROFILE)).digest('hex'));
    expect(header.config.metacam.consensus).toBe('weighted');
    const verify = await runCli(['audit', 'verify', join(dir, 'q.jsonl'), '--video', join(dir, 'q.mp4')]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 300_000);

  it('a profile for another model fails the run on the worker: E_PROFILE_MISMATCH, exit 2, no output', async () => {
    const worker = startWorker(redis!.url, 5);
    try {
      const out = join(dir, 'mismatch.mp4');
      const r = await runCli(['explain', CLIP, '-o', out, '-m', 'shapes-deep', '--profile', PROFILE, '--queue', redis!.url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/E_PROFILE_MISMATCH/);
      expect(existsSync(out)).toBe(false);
    } finally {
      await stopWorker(worker);
    }
  }, 300_000);
});
