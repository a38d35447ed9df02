/**
 * ffmpeg dies mid-stream during `metacam explain` (the OOM killer, a user's `kill -9`): the decoder or the
 * encoder child is found by its command line and SIGKILLed once the audit log shows a few frames (and, for the
 * encoder, once its partial file holds a finished fragment: logged frames alone say nothing about what x264 has
 * written, since it holds frames in its lookahead and a fragment closes only at the next keyframe). The run must
 * stop with a typed error (E_FFMPEG_FAILED, exit 1 — an internal failure, not bad input), seal the audit log
 * with an `error` footer carrying that code, keep a playable `.partial.mp4` (never `out.mp4`), and leave no
 * ffmpeg behind.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { mediaFacts } from '../helpers/media.js';
import { makeClip, processesMentioning } from '../helpers/make-media.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { completeFragments, ffmpegChildren, frameRecords, until } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-killed-'));
// 5 fps: the encoder's 2 s GOP is 10 frames, so fragments (and so the playable part of a partial file) are short.
const input = join(dir, 'long.mp4');
const FAST = ['--model', 'mobilenet-v2', '--methods', 'gradcam,eigencam', '--batch', '4'];
const runs: ReturnType<typeof startCli>[] = [];

beforeAll(async () => {
  await makeClip(input, { width: 160, height: 120, fps: 5, frames: 400, audio: true });
}, 60_000);

afterAll(() => {
  for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  for (const pid of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The decoder reads the input file; the encoder reads raw frames from pipe:0. */
const isDecoder = (cmd: string) => cmd.includes(`file:${input}`) && cmd.includes('-filter_complex') && !cmd.includes('pipe:0');
const isEncoder = (cmd: string) => cmd.includes('-i pipe:0');

describe.each([
  ['decoder', isDecoder, 8, 0],
  // The encoder is killed only once a whole fragment (10 frames) is on disk, so the partial file has frames in it
  // however far the encoder lags behind the audit log on a busy machine.
  ['encoder', isEncoder, 8, 1],
])('ffmpeg %s SIGKILLed mid-stream', (which, match, after, fragments) => {
  const name = `${which}-killed`;
  const out = join(dir, `${name}.mp4`);
  const partial = join(dir, `${name}.partial.mp4`);
  const audit = join(dir, `${name}.audit.jsonl`);

  it('exits 1 with E_FFMPEG_FAILED, seals the audit log with an error footer, keeps a playable .partial.mp4, leaves no ffmpeg', async () => {
    const run = startCli(['explain', input, '-o', out, ...FAST, '--audit', audit]);
    runs.push(run);
    await until(() => (frameRecords(audit) >= after && completeFragments(partial) >= fragments) || run.child.exitCode !== null,
      `${after} logged frames and ${fragments} finished fragments`, 180_000);
    expect(run.child.exitCode, 'the run ended before the fault was injected').toBeNull();
    const [victim, ...others] = ffmpegChildren(run.child.pid!, match);
    expect(victim, `no ${which} child found`).toBeDefined();
    expect(others).toEqual([]);
    process.kill(victim!.pid, 'SIGKILL');

    const r = await run.done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error E_FFMPEG_FAILED: .*failed \(killed by SIGKILL\)/);
    expect(r.stderr).toContain(which === 'decoder' ? `decoding ${input}` : `encoding ${out}`);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace without --verbose

    expect(existsSync(out)).toBe(false);
    expect(existsSync(partial)).toBe(true);
    const facts = await mediaFacts(partial); // throws when ffprobe cannot read it
    expect(facts.width).toBe(160);
    expect(facts.frames).toBeGreaterThan(0);

    const v = await verifyAuditLog(audit);
    expect(v.status, v.reason).toBe('intact');
    expect(v.footer?.exitReason).toBe('error');
    expect(v.footer?.error?.code).toBe('E_FFMPEG_FAILED');
    expect(v.footer?.error?.message).toMatch(/killed by SIGKILL/);
    expect(v.frames).toBeGreaterThanOrEqual(after);
    expect(v.frames).toBeLessThan(400);
    if (which === 'decoder') {
      // The encoder was closed cleanly: every frame logged was encoded, and only those.
      expect(facts.frames).toBe(v.frames);
      const withVideo = await verifyAuditLog(audit, { videoPath: partial });
      expect(withVideo.status, withVideo.reason).toBe('intact');
    } else {
      // Frames the encoder had not flushed when it died are lost; it never holds more than was logged.
      expect(facts.frames).toBeLessThanOrEqual(v.frames);
    }
    expect(processesMentioning(dir)).toEqual([]);
  }, 240_000);
});
