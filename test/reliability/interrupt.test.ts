/**
 * Ctrl-C (SIGINT) and SIGTERM (what `docker stop`, systemd and `kill` send) during `metacam explain`: exit 130, a playable `.partial.mp4` whose frame count equals the audit log's frame records, and a log
 * sealed with an `interrupted` footer; no `out.mp4`, no orphan ffmpeg.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { mediaFacts } from '../helpers/media.js';
import { makeClip, processesMentioning } from '../helpers/make-media.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { frameRecords, until } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-sigterm-'));
const input = join(dir, 'long.mp4');
let run: ReturnType<typeof startCli> | undefined;

beforeAll(async () => {
  await makeClip(input, { width: 160, height: 120, fps: 25, frames: 400, audio: true });
}, 60_000);

afterAll(() => {
  if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  for (const pid of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

it.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 130, interrupted footer, playable partial that matches the log', async (signal) => {
  const out = join(dir, `out-${signal}.mp4`);
  const audit = join(dir, `out-${signal}.audit.jsonl`);
  run = startCli(['explain', input, '-o', out, '--model', 'mobilenet-v2', '--methods', 'gradcam,eigencam', '--batch', '4', '--audit', audit]);
  await until(() => frameRecords(audit) >= 8 || run!.child.exitCode !== null, '8 logged frames', 180_000);
  expect(run.child.exitCode, 'the run ended before the signal').toBeNull();
  run.child.kill(signal);
  const r = await run.done;
  expect(r.code, r.stderr).toBe(130);
  expect(r.signal).toBeNull(); // handled, not killed by the signal
  expect(r.stderr).toContain(`${signal} received: finishing the frames in flight`);
  expect(r.stdout).toMatch(new RegExp(`interrupted: partial video .*out-${signal}\\.partial\\.mp4`));
  expect(existsSync(out)).toBe(false);
  const partial = join(dir, `out-${signal}.partial.mp4`);
  const facts = await mediaFacts(partial);
  expect(facts.hasAudio).toBe(true);
  const v = await verifyAuditLog(audit, { videoPath: partial });
  expect(v.status, v.reason).toBe('intact');
  expect(v.footer?.exitReason).toBe('interrupted');
  expect(facts.frames).toBe(v.frames);
  expect(facts.frames).toBeGreaterThanOrEqual(8);
  expect(facts.frames).toBeLessThan(400);
  expect(processesMentioning(dir)).toEqual([]);
}, 240_000);
