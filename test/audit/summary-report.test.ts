/**
 * The summary and its HTML report: numbers from a known log, a self-contained page (no script, no external
 * URL), rendered by real headless Chromium to test-output/audit-summary.png, which must not be blank.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasBrowser, launchBrowser } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSummaryHtml, summariseAuditLog, type AuditSummary } from '../../src/audit/index.js';
import { writeSampleLog } from './fixtures/sample-log.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-audit-sum-'));
const outDir = resolve('test-output');
let summary: AuditSummary;
let html: string;

beforeAll(async () => {
  await writeSampleLog(join(dir, 'run.jsonl'), 30);
  summary = await summariseAuditLog(join(dir, 'run.jsonl'));
  html = renderSummaryHtml(summary);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('summariseAuditLog', () => {
  it('counts frames, classes, scene cuts and finds the slowest frames', () => {
    expect(summary.verification.status).toBe('intact');
    expect(summary.frames).toBe(30);
    expect(summary.classes.map((c) => [c.label, c.frames])).toEqual([['Neutral', 12], ['Drawing', 10], ['Sexy', 8]]);
    expect(summary.sceneCuts.map((c) => c.index)).toEqual([12, 22]);
    expect(summary.slowest).toHaveLength(10);
    expect(summary.slowest[0]!.index).toBe(0); // the 310 ms warm-up forward pass
    const totals = summary.slowest.map((s) => s.totalMs);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(Math.min(...totals)).toBeGreaterThanOrEqual(Math.max(...summary.series.totalMs.filter((_, i) => !summary.slowest.some((s) => s.index === i))));
    expect(Object.keys(summary.stageMedians)).toEqual(['decode', 'forward', 'methods', 'metacam', 'overlay', 'encode']);
    expect(summary.stageMedians.metacam).toBe(1.5);
    expect(summary.members).toEqual(['gradcam', 'gradcam++', 'hirescam', 'xgradcam', 'layercam']);
  });

  it('still summarises a broken log, and says so', async () => {
    const text = readFileSync(join(dir, 'run.jsonl'), 'utf8').replace('"out_relu"', '"out_relv"');
    writeFileSync(join(dir, 'broken.jsonl'), text);
    const s = await summariseAuditLog(join(dir, 'broken.jsonl'));
    expect(s.verification).toMatchObject({ status: 'broken', firstBadLine: 1 });
    expect(s.frames).toBe(30);
    expect(renderSummaryHtml(s)).toContain('Chain broken');
  });
});

describe('renderSummaryHtml', () => {
  it('is one self-contained document: inline CSS and SVG, no script, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/https?:\/\/[^"\s]*/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
    expect(html.match(/<svg /g)).toHaveLength(4); // class strip, score, area, τ
    expect(html).toContain('Chain intact');
    expect(html).toContain('out_relu');
    expect(html).toContain('scene cut at');
  });

  it('escapes text from the log', async () => {
    const s = { ...summary, header: { ...summary.header!, layer: '<img src=x onerror=alert(1)>' } };
    expect(renderSummaryHtml(s)).not.toContain('<img src=x');
  });

  it.skipIf(!hasBrowser)('renders in headless Chromium to a non-blank screenshot (test-output/audit-summary.png)', async () => {
    mkdirSync(outDir, { recursive: true });
    const htmlPath = join(outDir, 'audit-summary.html');
    const pngPath = join(outDir, 'audit-summary.png');
    writeFileSync(htmlPath, html);
    // playwright gives the browser its own throw-away profile (it refuses --user-data-dir with launch()).
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) failed.push(r.url()); });
      await page.goto(pathToFileURL(htmlPath).href);
      await page.screenshot({ path: pngPath, fullPage: true });
      expect(failed).toEqual([]);
      // Decode the PNG in the browser and look at its pixels: a blank page is one colour.
      const png = readFileSync(pngPath).toString('base64');
      const stats = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width; c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set<number>();
        let nonBackground = 0;
        for (let i = 0; i < d.length; i += 4 * 7) {
          colours.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
          if (Math.abs(d[i]! - 246) + Math.abs(d[i + 1]! - 247) + Math.abs(d[i + 2]! - 249) > 30 && !(d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255)) nonBackground++;
        }
        return { width: img.width, height: img.height, colours: colours.size, nonBackgroundShare: nonBackground / (d.length / 28) };
      }, png);
      expect(stats.width).toBe(1280);
      expect(stats.colours).toBeGreaterThan(50);
      expect(stats.nonBackgroundShare).toBeGreaterThan(0.02);
      // The class strip's colours are on the page.
      const bandFills = await page.$$eval('svg rect', (rs) => [...new Set(rs.map((r) => r.getAttribute('fill')))]);
      expect(bandFills.sort()).toEqual(['#4e79a7', '#59a14f', '#76b7b2'].sort());
    } finally {
      await browser.close();
    }
    expect(statSync(pngPath).size).toBeGreaterThan(10_000);
  });
});
