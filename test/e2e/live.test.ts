/**
 * `metacam live testsrc` as a user runs it: real ffmpeg source, real model, real server, real `ws` clients and a
 * real headless Chromium on the viewer page; Ctrl-C ends it with a sealed audit log and no orphan processes.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { hasBrowser, launchBrowser } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startCli, type CliResult } from '../helpers/cli.js';
import { openRecorder, type Recorder } from '../server/helpers.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import { processesMentioning } from '../helpers/make-media.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-live-'));
const audit = join(dir, 'live.audit.jsonl');

function isJpeg(b: Buffer | undefined): boolean {
  return !!b && b.length > 100 && b[0] === 0xff && b[1] === 0xd8 && b.at(-2) === 0xff && b.at(-1) === 0xd9;
}

describe('metacam live testsrc', () => {
  let run: ReturnType<typeof startCli>;
  let url = '';
  let fast: Recorder;
  let result: CliResult | undefined;

  beforeAll(async () => {
    run = startCli(['live', `testsrc:336x240@10`, '--port', '0', '--model', 'mobilenet-v2', '--audit', audit, '--duration', '300', '--json']);
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no viewer URL within 60 s; stderr so far:\n${out}`)), 60_000);
      run.child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /viewer at (http:\/\/\S+)/.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
      run.child.on('exit', (code) => reject(new Error(`live exited early (${code})`)));
    });
    fast = await openRecorder(url.replace(/^http/, 'ws').replace(/\/(\?|$)/, '/ws$1'));
  }, 120_000);

  afterAll(() => {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
  });

  it('pushes frames whose JPEGs decode and whose explanation JSON is complete', async () => {
    await fast.until(() => fast.frames().filter((f) => f.jpeg).length >= 5, '5 frames', 90_000);
    for (const { json, jpeg } of fast.frames().filter((f) => f.jpeg).slice(0, 5)) {
      expect(isJpeg(jpeg)).toBe(true);
      const e = json.explanation as Record<string, unknown>;
      for (const k of ['index', 'ptsSeconds', 'target', 'top5', 'members', 'consensus', 'sceneCut', 'timings']) expect(e, k).toHaveProperty(k);
      expect((e.target as { label: string }).label).toMatch(/Drawing|Hentai|Neutral|Porn|Sexy/);
      const stats = json.stats as { fps: number; latencyMs: number; dropped: number };
      expect(stats.latencyMs).toBeGreaterThanOrEqual(0);
      expect(stats.dropped).toBeGreaterThanOrEqual(0);
    }
  }, 120_000);

  it('a client that stops reading does not hold back one that keeps up', async () => {
    const slow = await openRecorder(url.replace(/^http/, 'ws').replace(/\/(\?|$)/, '/ws$1'));
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const before = fast.frames().length;
    await fast.until(() => fast.frames().length >= before + 5, '5 more frames for the fast client', 90_000);
    slow.ws.terminate();
  }, 120_000);

  it.skipIf(!hasBrowser)('the viewer page shows the live explained video', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { metacamViewer?: { framesDrawn: number } }).metacamViewer!.framesDrawn >= 3, undefined, { timeout: 90_000 });
      const distinct = await page.evaluate(() => {
        const c = document.querySelector('canvas') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4 * 17) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
        return seen.size;
      });
      expect(distinct).toBeGreaterThan(50);
      mkdirSync(join(ROOT, 'test-output'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-output', 'live-viewer.png') });
    } finally {
      await browser?.close();
    }
  }, 150_000);

  it('Ctrl-C ends the run: exit 130, audit log sealed as interrupted, no orphan ffmpeg', async () => {
    run.child.kill('SIGINT');
    result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    const v = await verifyAuditLog(audit);
    expect(v.status, v.reason).toBe('intact');
    expect(v.footer?.exitReason).toBe('interrupted');
    expect(v.frames).toBeGreaterThanOrEqual(5);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { frames: number; dropped: number };
    expect(summary.frames).toBe(v.frames);
    expect(processesMentioning('testsrc2=size=336x240')).toEqual([]);
  }, 120_000);
});
