/**
 * The CLI-facing functions run in-process with captured io, the `--video` frame-count check against real MP4s
 * made by the resolved ffmpeg, and thumbnails written by real ffmpeg and referenced from a valid record.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRecordError, auditSummaryCommand, auditVerifyCommand, createAuditWriter, frameRecord, sha256Hex, thumbPath,
  verifyAuditLog, wantsThumb, writeThumbnail, writeThumbnailFile,
} from '../../src/audit/index.js';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';
import type { RgbImage } from '../../src/core/frame.js';
import { SAMPLE_HEADER, sampleExplanation, samplePixels, writeSampleLog } from './fixtures/sample-log.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-audit-cmd-'));
const log = join(dir, 'run.jsonl');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
}

async function makeVideo(path: string, frames: number): Promise<void> {
  const { ffmpegPath } = await resolveFfmpeg();
  await promisify(execFile)(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=25',
    '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path]);
}

beforeAll(async () => {
  await writeSampleLog(log, 30);
  await makeVideo(join(dir, 'v30.mp4'), 30);
  await makeVideo(join(dir, 'v29.mp4'), 29);
});

describe('audit verify command', () => {
  it.each<[string, (d: string) => string[], number, RegExp]>([
    ['an intact log', () => [log], 0, /^intact: .*run\.jsonl\n  30 frame records, 32 lines; run completed/],
    ['an intact log whose video has as many frames', (d) => [log, '--video', join(d, 'v30.mp4')], 0, /video .*v30\.mp4: 30 frames, matches/],
    ['a video with one frame fewer', (d) => [log, '--video', join(d, 'v29.mp4')], 1, /^BROKEN: .*\n  .*v29\.mp4 has 29 frames but the log has 30 frame records/],
    ['a video that is not a video', (d) => { writeFileSync(join(d, 'junk.mp4'), 'junk'); return [log, '--video', join(d, 'junk.mp4')]; }, 2, /^UNREADABLE: .*\n  ffprobe cannot count the frames/],
    ['a truncated log', (d) => { writeFileSync(join(d, 't.jsonl'), readFileSync(log, 'utf8').split('\n').slice(0, 10).join('\n') + '\n'); return [join(d, 't.jsonl')]; }, 1, /^TRUNCATED: .*\n  no footer after line 10/],
    ['a missing log', (d) => [join(d, 'missing.jsonl')], 2, /^UNREADABLE: .*\n  cannot read .*ENOENT/],
  ])('%s', async (_n, args, code, pattern) => {
    const c = io();
    expect(await auditVerifyCommand(args(dir), c.io)).toBe(code);
    expect(c.out.stdout).toMatch(pattern);
  });

  it('--json prints the whole verification', async () => {
    const c = io();
    expect(await auditVerifyCommand([log, '--json'], c.io)).toBe(0);
    const j = JSON.parse(c.out.stdout);
    expect(j).toMatchObject({ file: log, status: 'intact', frames: 30, footer: { frames: 30 }, header: { layer: 'out_relu' } });
  });

  it.each([
    [[], /expected exactly one audit log file, got 0/],
    [['a.jsonl', 'b.jsonl'], /got 2 \(a\.jsonl, b\.jsonl\)/],
    [['a.jsonl', '--vidoe', 'x.mp4'], /Unknown option '--vidoe'/],
    [['a.jsonl', '--video'], /argument missing|--video/],
  ])('bad arguments %j → exit 2 with usage', async (args, message) => {
    const c = io();
    expect(await auditVerifyCommand(args as string[], c.io)).toBe(2);
    expect(c.out.stderr).toMatch(message);
    expect(c.out.stderr).toContain('usage: metacam audit verify <log.jsonl> [--video out.mp4] [--json]');
  });

  it('--help prints usage, exit 0', async () => {
    const c = io();
    expect(await auditVerifyCommand(['--help'], c.io)).toBe(0);
    expect(c.out.stdout).toContain('usage: metacam audit verify');
  });
});

describe('audit summary command', () => {
  it('prints a text summary and writes the HTML report', async () => {
    const c = io();
    const html = join(dir, 'report.html');
    expect(await auditSummaryCommand([log, '--html', html], c.io)).toBe(0);
    expect(c.out.stdout).toMatch(/: intact\n/);
    expect(c.out.stdout).toContain('frames    30, dropped 0');
    expect(c.out.stdout).toContain('classes   Neutral 40.0 %, Drawing 33.3 %, Sexy 26.7 %');
    expect(c.out.stdout).toContain('cuts      #12 (0.48 s), #22 (0.88 s)');
    expect(readFileSync(html, 'utf8')).toContain('<svg');
  });

  it.each([
    [['nope.jsonl'], 2, /cannot read/],
    [[], 2, /expected exactly one/],
    [['--html'], 2, /argument missing|--html/],
  ])('%j → exit %i', async (args, code, message) => {
    const c = io();
    expect(await auditSummaryCommand(args as string[], c.io)).toBe(code);
    expect(c.out.stderr).toMatch(message);
  });

  it('an unwritable --html path → exit 1 with the reason', async () => {
    const c = io();
    expect(await auditSummaryCommand([log, '--html', join(dir, 'no-dir', 'r.html')], c.io)).toBe(1);
    expect(c.out.stderr).toMatch(/cannot write .*r\.html: ENOENT/);
  });
});

describe('thumbnails', () => {
  it.each([[0, 5, true], [4, 5, false], [10, 5, true], [3, 1, true]])('wantsThumb(%i, every %i) = %s', (i, every, want) => {
    expect(wantsThumb(i, every)).toBe(want);
  });

  it('names files so they sort by frame', () => {
    expect(thumbPath('thumbs', 42)).toBe(join('thumbs', 'frame-000042.jpg'));
  });

  it('writes a small JPEG with ffmpeg and the record references it by path and sha256', async () => {
    const w = 96, h = 64;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x * 2, y * 3, 128], (y * w + x) * 3);
    const image: RgbImage = { width: w, height: h, data };
    const ref = await writeThumbnail(dir, 7, image, { maxSide: 48 });
    expect(ref.path).toBe(thumbPath(dir, 7));
    const bytes = readFileSync(ref.path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]); // JPEG SOI
    expect(ref.sha256).toBe(sha256Hex(bytes));
    const rec = frameRecord(sampleExplanation(7), samplePixels(7), ref);
    expect(rec.thumb).toEqual({ path: ref.path, sha256: ref.sha256 });
    expect(auditRecordError({ ...rec, prev: 'a'.repeat(64) })).toBeNull();

    const p = join(dir, 'thumbs.jsonl');
    const wr = createAuditWriter(p, SAMPLE_HEADER);
    wr.write(rec);
    wr.closeSync('completed');
    expect(await verifyAuditLog(p)).toMatchObject({ status: 'intact', thumbs: { referenced: 1, checked: 1, missing: 0 } });
    // The picture is covered by the chain: editing it breaks the log at the record that references it.
    writeFileSync(ref.path, Buffer.concat([bytes, Buffer.from([0])]));
    expect(await verifyAuditLog(p)).toMatchObject({ status: 'broken', firstBadLine: 2, reason: expect.stringContaining('thumbnail') });
    rmSync(ref.path);
    expect(await verifyAuditLog(p)).toMatchObject({ status: 'intact', thumbs: { referenced: 1, checked: 0, missing: 1 } });
  });

  it('reports a bad image size as a typed error, writing nothing', async () => {
    const path = join(dir, 'bad.jpg');
    await expect(writeThumbnailFile({ width: 10, height: 10, data: new Uint8Array(5) }, path)).rejects.toMatchObject({ code: 'E_INTERNAL' });
    expect(existsSync(path)).toBe(false);
  });

  it('reports an ffmpeg failure with argv and stderr', async () => {
    const image: RgbImage = { width: 4, height: 4, data: new Uint8Array(48) };
    await expect(writeThumbnail(join(dir, 'no-dir'), 3, image)).rejects.toMatchObject({ code: 'E_OUTPUT_WRITE', message: expect.stringContaining('argv:') });
  });
});
