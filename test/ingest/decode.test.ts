import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { decodeFrames, indexColour, liveFfmpegPids, makeTestClip, type Frame } from '../../src/ingest/index.js';
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
