import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../ingest/ffmpeg-path.js';
import type { RgbImage } from '../core/frame.js';
import { createJpegEncoder, type JpegEncoder } from './jpeg-encoder.js';

function gradient(width: number, height: number, shift: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x + shift) & 255;
      data[i + 1] = (y * 2) & 255;
      data[i + 2] = ((x ^ y) + shift) & 255;
    }
  }
  return { width, height, data };
}

/** Decodes a JPEG with ffmpeg back to rgb24 and returns its byte count and mean pixel value. */
async function decode(jpeg: Buffer): Promise<{ bytes: number; mean: number }> {
  const { ffmpegPath } = await resolveFfmpeg();
  return new Promise((resolve, reject) => {
    const child = execFile(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-f', 'mjpeg', '-i', '-', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}: ${stderr}`));
        let sum = 0;
        for (const b of stdout) sum += b;
        resolve({ bytes: stdout.length, mean: sum / stdout.length });
      });
    child.stdin!.end(jpeg);
  });
}

async function probeSize(jpeg: Buffer): Promise<{ width: number; height: number }> {
  const { ffprobePath } = await resolveFfmpeg();
  const child = promisify(execFile)(ffprobePath, ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'json', '-i', '-']);
  child.child.stdin!.end(jpeg);
  const { stdout } = await child;
  const s = JSON.parse(stdout).streams[0];
  return { width: s.width, height: s.height };
}

const isJpeg = (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9;

describe('createJpegEncoder', () => {
  let enc: JpegEncoder | undefined;
  afterEach(async () => {
    await enc?.close();
    enc = undefined;
  });

  it('encodes a single frame without waiting for the next one (no frame-thread delay)', async () => {
    enc = createJpegEncoder();
    const jpeg = await enc.encode(gradient(64, 48, 0));
    expect(isJpeg(jpeg)).toBe(true);
    expect(await probeSize(jpeg)).toEqual({ width: 64, height: 48 });
  });

  it('keeps order over many frames in flight, and decodes to the right picture', async () => {
    enc = createJpegEncoder({ quality: 3 });
    const imgs = Array.from({ length: 12 }, (_, i) => gradient(160, 120, i * 20));
    const jpegs = await Promise.all(imgs.map((img) => enc!.encode(img)));
    expect(jpegs.every(isJpeg)).toBe(true);
    for (const i of [0, 5, 11]) {
      const d = await decode(jpegs[i]!);
      let sum = 0;
      for (const b of imgs[i]!.data) sum += b;
      expect(d.bytes).toBe(160 * 120 * 3);
      expect(Math.abs(d.mean - sum / imgs[i]!.data.length)).toBeLessThan(3); // lossy, but the same picture
    }
    expect(enc.restarts).toBe(1);
  });

  it('restarts on a size change and still settles in call order', async () => {
    enc = createJpegEncoder();
    const sizes: [number, number][] = [[64, 48], [64, 48], [120, 90], [64, 48], [33, 17]];
    const order: number[] = [];
    const jpegs = await Promise.all(sizes.map(([w, h], i) => enc!.encode(gradient(w, h, i)).then((j) => { order.push(i); return j; })));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    for (let i = 0; i < sizes.length; i++) {
      expect(await probeSize(jpegs[i]!)).toEqual({ width: sizes[i]![0], height: sizes[i]![1] });
    }
    expect(enc.restarts).toBe(4);
  });

  it('refuses a wrong-sized buffer and a bad quality with E_ARG', async () => {
    enc = createJpegEncoder();
    await expect(enc.encode({ width: 10, height: 10, data: new Uint8Array(299) })).rejects.toMatchObject({ code: 'E_ARG' });
    expect(() => createJpegEncoder({ quality: 1 })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it('close() is idempotent, kills the child, and later encodes reject', async () => {
    enc = createJpegEncoder();
    await enc.encode(gradient(32, 32, 0));
    await Promise.all([enc.close(), enc.close()]);
    await enc.close();
    await expect(enc.encode(gradient(32, 32, 0))).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
  });

  it('reports a dead ffmpeg as a typed error and recovers with a new child', async () => {
    enc = createJpegEncoder({ ffmpegPath: '/nonexistent/ffmpeg' });
    await expect(enc.encode(gradient(16, 16, 0))).rejects.toMatchObject({ code: 'E_FFMPEG_NOT_FOUND' });
  });

  it('measures 640×480 encode time (reported, not asserted)', async () => {
    enc = createJpegEncoder();
    const frames = Array.from({ length: 5 }, (_, i) => gradient(640, 480, i * 7));
    await enc.encode(frames[0]!); // warm-up: spawn
    const n = 40;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await enc.encode(frames[i % frames.length]!);
    const sequential = (performance.now() - t0) / n;
    console.log(`[jpeg-encoder] 640x480 q=5: ${sequential.toFixed(2)} ms/frame awaited one at a time`);
    expect(sequential).toBeGreaterThan(0);
  });
});
