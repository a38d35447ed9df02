import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { BufferPool, decodeFrames, indexColour, liveFfmpegPids, makeTestClip, type Frame } from '../../src/ingest/index.js';
import { channelMean, tempDir, waitForPidGone } from './helpers.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('decode-');
  await makeTestClip({ path: t.path('idx.mp4'), width: 64, height: 48, fps: 10, frames: 30, audio: true });
  await makeTestClip({ path: t.path('idx.mkv'), width: 33, height: 17, fps: 10, frames: 14 });
  await makeTestClip({ path: t.path('rot.mp4'), width: 64, height: 48, fps: 10, frames: 4, rotation: 90, pattern: 'testsrc2' });
  await makeTestClip({ path: t.path('long.mp4'), width: 160, height: 120, fps: 25, frames: 250, pattern: 'testsrc2' });
});
afterAll(() => t.cleanup());

function expectIndexColours(frames: Frame[]): void {
  frames.forEach((f, i) => {
    expect(f.index).toBe(i);
    const want = indexColour(i);
    for (const img of [f.image, f.input]) {
      expect(Math.abs(channelMean(img.data, 0) - want[0])).toBeLessThan(5);
      expect(Math.abs(channelMean(img.data, 1) - want[1])).toBeLessThan(5);
    }
  });
}

describe('decodeFrames', () => {
  it('emits every frame exactly once, in order, full size and model size in lockstep', async () => {
    const frames = await lastValueFrom(decodeFrames(t.path('idx.mp4'), { width: 8, height: 6 }).pipe(toArray()));
    expect(frames).toHaveLength(30);
    expect(frames[0]!.image).toMatchObject({ width: 64, height: 48 });
    expect(frames[0]!.image.data).toHaveLength(64 * 48 * 3);
    expect(frames[0]!.input).toMatchObject({ width: 8, height: 6 });
    expect(frames[0]!.input.data).toHaveLength(8 * 6 * 3);
    expect(frames.map((f) => f.ptsSeconds)).toEqual(frames.map((_, i) => i / 10));
    expectIndexColours(frames);
  });

  it('with a buffer pool, reuses released buffers and never overwrites a frame a consumer still holds', async () => {
    const pool = new BufferPool(64 * 48 * 3);
    const held: Frame[] = [];
    const sums: number[] = [];
    const sum = (d: Uint8Array) => d.reduce((a, v) => (a * 31 + v) >>> 0, 7);
    await lastValueFrom(decodeFrames(t.path('idx.mp4'), { width: 8, height: 6, pool }).pipe(toArray())).then((frames) => {
      // toArray holds every frame: nothing was released, so nothing could be reused.
      expect(pool.stats.reused).toBe(0);
      expect(pool.stats.allocated).toBeGreaterThanOrEqual(30);
      expectIndexColours(frames);
      for (const f of frames) pool.release(f.image.data);
    });
    // Second pass over the same pool: keep every third frame, give the others back at once.
    await new Promise<void>((resolve, reject) => {
      decodeFrames(t.path('idx.mp4'), { width: 8, height: 6, pool }).subscribe({
        next: (f) => {
          if (f.index % 3 === 0) {
            held.push(f);
            sums.push(sum(f.image.data));
          } else pool.release(f.image.data);
        },
        error: reject,
        complete: resolve,
      });
    });
    expect(pool.stats.reused).toBeGreaterThanOrEqual(30);
    expect(held.map((f) => f.index)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect(new Set(held.map((f) => f.image.data)).size).toBe(held.length);
    expect(held.map((f) => sum(f.image.data))).toEqual(sums);
    held.forEach((f) => {
      const want = indexColour(f.index);
      expect(Math.abs(channelMean(f.image.data, 0) - want[0])).toBeLessThan(5);
    });
  });

  it('refuses a pool whose buffers are not the frame size', async () => {
    await expect(lastValueFrom(decodeFrames(t.path('idx.mp4'), { width: 8, height: 6, pool: new BufferPool(100) }))).rejects.toMatchObject({ code: 'E_INTERNAL' });
  });

  it('handles odd sizes and containers without nb_frames (mkv, yuv444p)', async () => {
    const frames = await lastValueFrom(decodeFrames(t.path('idx.mkv'), { width: 5, height: 3 }).pipe(toArray()));
    expect(frames).toHaveLength(14);
    expect(frames[0]!.image).toMatchObject({ width: 33, height: 17 });
    expectIndexColours(frames);
  });

  it('decodes rotated video in display orientation', async () => {
    const frames = await lastValueFrom(decodeFrames(t.path('rot.mp4'), { width: 8, height: 8 }).pipe(toArray()));
    expect(frames).toHaveLength(4);
    expect(frames[0]!.image).toMatchObject({ width: 48, height: 64 });
    expect(frames[0]!.image.data).toHaveLength(48 * 64 * 3);
  });

  it('unsubscribing kills ffmpeg (pid gone, nothing left running)', async () => {
    let pid: number | undefined;
    const first = await firstValueFrom(decodeFrames(t.path('long.mp4'), { width: 8, height: 8, onSpawn: (p) => { pid = p; } }));
    expect(first.index).toBe(0);
    expect(pid).toBeTypeOf('number');
    expect(await waitForPidGone(pid!)).toBe(true);
    expect(liveFfmpegPids()).not.toContain(pid);
  });

  it('ffmpeg dying mid-stream errors the Observable with FfmpegError (argv, signal, stderr tail)', async () => {
    let pid: number | undefined;
    const seen: number[] = [];
    const err2 = await new Promise<unknown>((resolve) => {
      decodeFrames(t.path('long.mp4'), { width: 8, height: 8, onSpawn: (p) => { pid = p; } }).subscribe({
        next: (f) => {
          seen.push(f.index);
          if (f.index === 2) process.kill(pid!, 'SIGKILL');
        },
        error: resolve,
        complete: () => resolve(undefined),
      });
    });
    expect(err2).toMatchObject({ name: 'FfmpegError', code: 'E_FFMPEG_FAILED', signal: 'SIGKILL' });
    expect((err2 as { argv: string[] }).argv).toContain('-filter_complex');
    expect(seen.length).toBeLessThan(250);
    expect(seen).toEqual(seen.map((_, i) => i));
  });

  it('a missing input errors with E_INPUT_MISSING and starts no ffmpeg', async () => {
    const before = liveFfmpegPids().length;
    await expect(lastValueFrom(decodeFrames(t.path('nope.mp4'), { width: 8, height: 8 }))).rejects.toMatchObject({ code: 'E_INPUT_MISSING' });
    expect(liveFfmpegPids().length).toBe(before);
  });
});
