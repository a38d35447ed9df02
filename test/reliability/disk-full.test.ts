/**
 * The output disk fills up during `metacam explain`. Two real ENOSPC sources, no mocks:
 *   - a 48 KiB tmpfs mounted for the test (needs root / CAP_SYS_ADMIN; the test says so and skips without it):
 *     the disk fills mid-run, after some fragments were written;
 *   - the `.partial.mp4` name pre-created as a symlink to /dev/full (no privileges): the very first write fails.
 * Expected either way: E_OUTPUT_WRITE with a message that says the disk is full and where the partial file is,
 * exit code 1 (MetacamError.exitCode: not an input/argument error), the audit log (on another disk) sealed with
 * an `error` footer, no `out.mp4`, no orphan ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { mediaFacts } from '../helpers/media.js';
import { makeClip, processesMentioning } from '../helpers/make-media.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { MetacamError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-full-'));
const input = join(dir, 'in.mp4');
const mnt = join(dir, 'tiny-disk');
const FAST = ['--model', 'mobilenet-v2', '--methods', 'gradcam,eigencam', '--batch', '4'];

function tryMount(): string | undefined {
  mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k,mode=0777', 'tmpfs', mnt], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e).trim() || String(e);
  }
}
const mountProblem = tryMount();
if (mountProblem) console.warn(`disk-full (tmpfs) test skipped: cannot mount a 48 KiB tmpfs here (${mountProblem}); run as root to include it. The /dev/full case still runs.`);

beforeAll(async () => {
  await makeClip(input, { width: 160, height: 120, fps: 5, frames: 400 });
}, 60_000);

afterAll(() => {
  for (const pid of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
  if (!mountProblem) execFileSync('umount', ['-l', mnt], { stdio: 'pipe' });
  rmSync(dir, { recursive: true, force: true });
});

const diskFull = new MetacamError('E_OUTPUT_WRITE', 'x');

async function expectDiskFullRun(out: string, audit: string): Promise<number> {
  const r = await runCli(['explain', input, '-o', out, ...FAST, '--audit', audit]);
  expect(r.code, r.stderr).toBe(diskFull.exitCode);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`error E_OUTPUT_WRITE: Writing ${out} failed: the disk is full. Free space or choose another -o`);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(existsSync(out)).toBe(false);
  const v = await verifyAuditLog(audit);
  expect(v.status, v.reason).toBe('intact');
  expect(v.footer?.exitReason).toBe('error');
  expect(v.footer?.error?.code).toBe('E_OUTPUT_WRITE');
  expect(v.footer?.error?.message).toMatch(/disk is full/);
  expect(processesMentioning(dir)).toEqual([]);
  return v.frames;
}

describe('disk full on the output', () => {
  it.skipIf(Boolean(mountProblem))('a 48 KiB tmpfs fills mid-run: E_OUTPUT_WRITE, sealed log, the partial file plays what fitted', async () => {
    const out = join(mnt, 'out.mp4');
    const logged = await expectDiskFullRun(out, join(dir, 'tmpfs.audit.jsonl'));
    const facts = await mediaFacts(join(mnt, 'out.partial.mp4'));
    expect(facts.frames).toBeGreaterThan(0); // some fragments fitted before the disk was full
    expect(facts.frames).toBeLessThanOrEqual(logged);
    expect(logged).toBeLessThan(400);
  }, 240_000);

  it('the output is /dev/full (ENOSPC on the first write): E_OUTPUT_WRITE, sealed log', async () => {
    const out = join(dir, 'devfull', 'out.mp4');
    mkdirSync(join(dir, 'devfull'));
    symlinkSync('/dev/full', join(dir, 'devfull', 'out.partial.mp4'));
    const logged = await expectDiskFullRun(out, join(dir, 'devfull.audit.jsonl'));
    expect(logged).toBeLessThan(400);
  }, 240_000);
});
