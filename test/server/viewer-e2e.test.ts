/**
 * End to end in a real browser: headless Chromium (test/helpers/browser.ts), driven headless by playwright-core, opens the viewer
 * against a preview server fed by a test publisher (moving synthetic frames, JPEG-encoded by ffmpeg, class
 * changing every few frames). Checks frames are drawn, the label updates, a click becomes a control message,
 * and the viewer reconnects after the server restarts. Saves test-output/viewer.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { firstValueFrom, filter, timeout } from 'rxjs';
import type { Browser, Page } from 'playwright-core';
import { hasBrowser, launchBrowser } from '../helpers/browser.js';
import { createJpegEncoder, startPreviewServer, type JpegEncoder, type PreviewServer } from '../../src/server/index.js';
import { LABELS, explanationFor, movingFrame } from './helpers.js';

const TOKEN = 'e2e-token-7c1d9b';

/** Publishes a moving picture until stopped; the class changes every 6 frames. */
function startPublisher(server: () => PreviewServer | undefined, encoder: JpegEncoder): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const t0 = Date.now();
      const jpeg = await encoder.encode(movingFrame(640, 360, i));
      const cls = Math.floor(i / 6) % LABELS.length;
      server()?.publish({
        jpeg,
        explanation: explanationFor(i, cls),
        stats: { fps: 15, latencyMs: Date.now() - t0, dropped: Math.floor(i / 50), capturedAt: t0 },
      });
      await new Promise((r) => setTimeout(r, 66)); // ~15 fps pacing for the publisher, not an assertion
    }
  })();
  return { async stop() { running = false; await loop; } };
}

describe.skipIf(!hasBrowser)('viewer in headless chromium', () => {
  let browser: Browser | undefined;
  let server: PreviewServer | undefined;
  let encoder: JpegEncoder;
  let publisher: { stop(): Promise<void> };
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    encoder = createJpegEncoder({ quality: 4 });
    server = await startPreviewServer({ token: TOKEN, labels: LABELS, methods: ['gradcam', 'gradcam++', 'layercam'], presets: ['realtime', 'full'] });
    publisher = startPublisher(() => server, encoder);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });

  afterAll(async () => {
    await publisher?.stop();
    await browser?.close();
    await server?.close();
    await encoder?.close();
  });

  it('shows the live video, updates the class label, and sends controls', async () => {
    await page.goto(server!.url);
    await page.waitForFunction(() => (window as any).metacamViewer?.framesDrawn >= 5, undefined, { timeout: 20_000 });
    await expect.poll(() => page.textContent('#conn-text')).toBe('live');

    // The canvas holds a real picture: native size, and many distinct, non-black pixels.
    const canvas = await page.evaluate(() => {
      const c = document.getElementById('video') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const colours = new Set<number>();
      let lit = 0;
      for (let i = 0; i < d.length; i += 4 * 7) {
        colours.add((d[i]! >> 3) << 10 | (d[i + 1]! >> 3) << 5 | (d[i + 2]! >> 3));
        if (d[i]! + d[i + 1]! + d[i + 2]! > 60) lit++;
      }
      return { width: c.width, height: c.height, colours: colours.size, litShare: lit / (d.length / 28) };
    });
    expect(canvas).toMatchObject({ width: 640, height: 360 });
    expect(canvas.colours).toBeGreaterThan(100);
    expect(canvas.litShare).toBeGreaterThan(0.5);

    // The class label follows the stream.
    const first = await page.textContent('#class-label');
    expect(LABELS).toContain(first);
    await page.waitForFunction((f) => document.getElementById('class-label')!.textContent !== f, first, { timeout: 15_000 });
    expect(LABELS).toContain(await page.textContent('#class-label'));
    expect(await page.textContent('#fps')).toMatch(/^\d+(\.\d)?$/);
    expect(await page.textContent('#latency')).toMatch(/^\d+ ms$/);
    expect(await page.locator('#class-picker option').count()).toBe(LABELS.length + 1);
    expect(await page.locator('#members tr').count()).toBe(3);
    // The helper's explanation merges layercam into gradcam: the table says so and counts 2 distinct maps.
    expect(await page.textContent('#members')).toContain('layercam = gradcam');
    expect(await page.locator('#members tr[title^="same map as gradcam"]').count()).toBe(1);

    // A click on the view toggle arrives on `controls`, and the server's state comes back to the page.
    const gridControl = firstValueFrom(server!.controls.pipe(filter((m) => m.type === 'setView' && m.view === 'grid'), timeout(10_000)));
    await page.click('[data-view="grid"]');
    expect(await gridControl).toEqual({ type: 'setView', view: 'grid' });
    await page.waitForSelector('[data-view="grid"].active', { timeout: 10_000 });

    const classControl = firstValueFrom(server!.controls.pipe(filter((m) => m.type === 'setClass'), timeout(10_000)));
    await page.selectOption('#class-picker', '2');
    expect(await classControl).toEqual({ type: 'setClass', class: 2 });

    const alphaControl = firstValueFrom(server!.controls.pipe(filter((m) => m.type === 'setAlpha'), timeout(10_000)));
    await page.locator('#alpha').fill('0.7');
    expect(await alphaControl).toEqual({ type: 'setAlpha', alpha: 0.7 });

    // Leave the page as a user would see it, then screenshot.
    await page.selectOption('#class-picker', 'auto');
    await page.click('[data-view="metacam"]');
    await page.waitForSelector('[data-view="metacam"].active', { timeout: 10_000 });
    await page.waitForFunction(() => (window as any).metacamViewer.framesDrawn >= 60, undefined, { timeout: 30_000 });
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/viewer.png' });
    expect(consoleErrors).toEqual([]);
  });

  it('shows the disconnect and reconnects with back-off when the server comes back', async () => {
    const port = server!.port;
    const old = server!;
    server = undefined;
    await old.close();
    await page.waitForFunction(() => document.getElementById('conn')!.dataset.state === 'closed', undefined, { timeout: 10_000 });
    expect(await page.textContent('#conn-text')).toMatch(/retry in/);
    const drawn = await page.evaluate(() => (window as any).metacamViewer.framesDrawn as number);
    server = await startPreviewServer({ port, token: TOKEN, labels: LABELS });
    await page.waitForFunction((n) => (window as any).metacamViewer.framesDrawn > n + 3, drawn, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as any).metacamViewer.connects)).toBe(2);
    expect(await page.textContent('#conn-text')).toBe('live');
  });

  it('without the token the page is refused', async () => {
    const res = await page.goto(server!.url.replace(/\?token=.*/, ''));
    expect(res?.status()).toBe(401);
  });
});
