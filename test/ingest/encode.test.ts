import { access, readdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Observable, concatMap, lastValueFrom, map, tap, timer, toArray } from 'rxjs';
import {
  createFlow, decodeFrames, encodeVideo, indexColour, liveFfmpegPids, makeTestClip, probeVideo, type RgbImage,
} from '../../src/ingest/index.js';
import { channelMean, ffprobeCount, tempDir, waitForPidGone } from './helpers.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('encode-');
  await makeTestClip({ path: t.path('idx.mp4'), width: 64, height: 48, fps: 10, frames: 30, audio: true });
  await makeTestClip({ path: t.path('odd.mp4'), width: 33, height: 17, fps: 12, frames: 6 });
});
afterAll(() => t.cleanup());

const exists = (p: string) => access(p).then(() => true, () => false);
const solid = (w: number, h: number, v: number): RgbImage => ({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(v) });

/** n solid frames, then error or complete, with an optional hook per frame. */
function frames(n: number, opts: { fail?: Error; onFrame?: (i: number) => void } = {}): Observable<RgbImage> {
  return new Observable<RgbImage>((sub) => {
    let i = 0;
    const id = setInterval(() => {
      if (i < n) {
        sub.next(solid(64, 48, (i * 8) % 256));
        opts.onFrame?.(i);
        i++;
      } else {
        clearInterval(id);
        if (opts.fail) sub.error(opts.fail);
        else sub.complete();
      }
    }, 1);
    return () => clearInterval(id);
  });
}

describe('encodeVideo', () => {
  it('round trip keeps frame count, fps, order and the audio stream; the flow bounds frames in flight', async () => {
    const info = await probeVideo(t.path('idx.mp4'));
    const flow = createFlow({ highWaterMark: 4 });
    const out = t.path('out/round.mp4');
    const res = await encodeVideo(decodeFrames(t.path('idx.mp4'), { width: 8, height: 8, flow }), {
      output: out, fps: info.fpsFraction, width: info.width, height: info.height, audioFrom: t.path('idx.mp4'), flow,
    });
    expect(res).toMatchObject({ output: out, frames: 30, fps: 10, width: 64, height: 48, padded: false });
    expect(flow.peakInFlight).toBeLessThanOrEqual(4);
    expect(await exists(t.path('out/round.partial.mp4'))).toBe(false);
    const probe = await ffprobeCount(out);
    expect(probe).toEqual({ frames: 30, hasAudio: true, fps: '10/1' });
    const back = await lastValueFrom(decodeFrames(out, { width: 4, height: 4 }).pipe(toArray()));
    back.forEach((f, i) => expect(Math.abs(channelMean(f.image.data, 0) - indexColour(i)[0])).toBeLessThan(6));
  });

  it('pads odd sizes to even and says so', async () => {
    const info = await probeVideo(t.path('odd.mp4'));
    const res = await encodeVideo(decodeFrames(t.path('odd.mp4'), { width: 4, height: 4 }), {
      output: t.path('odd-out.mp4'), fps: info.fps, width: 33, height: 17,
    });
    expect(res).toMatchObject({ width: 34, height: 18, padded: true, frames: 6 });
    expect(res.notes[0]).toMatch(/padded from 33x17 to 34x18/);
    expect(await probeVideo(t.path('odd-out.mp4'))).toMatchObject({ width: 34, height: 18, frameCount: 6 });
  });

  it('interrupted (abort) after 25 frames: rejects E_INTERRUPTED, keeps a playable .partial.mp4 with those frames', async () => {
    const ac = new AbortController();
    const out = t.path('int.mp4');
    const err = await encodeVideo(frames(1000, { onFrame: (i) => { if (i === 24) ac.abort(); } }), {
      output: out, fps: 25, width: 64, height: 48, signal: ac.signal,
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_INTERRUPTED', message: expect.stringContaining('int.partial.mp4') });
    expect(await exists(out)).toBe(false);
    expect((await ffprobeCount(t.path('int.partial.mp4'))).frames).toBe(25);
  });

  it('a source error rejects with that error and keeps the frames written so far in .partial.mp4', async () => {
    const boom = new Error('explain failed');
    const err = await encodeVideo(frames(12, { fail: boom }), { output: t.path('src-err.mp4'), fps: 25, width: 64, height: 48 })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBe(boom);
    expect(await exists(t.path('src-err.mp4'))).toBe(false);
    expect((await ffprobeCount(t.path('src-err.partial.mp4'))).frames).toBe(12);
  });

  it('the encoder killed mid-stream rejects with FfmpegError, stops the source, leaves no final file and no child', async () => {
    let pid: number | undefined;
    let unsubscribed = false;
    const src = new Observable<RgbImage>((sub) => {
      const id = setInterval(() => sub.next(solid(64, 48, 90)), 2);
      return () => { unsubscribed = true; clearInterval(id); };
    });
    const err = await encodeVideo(src.pipe(tap({ subscribe: () => setTimeout(() => process.kill(pid!, 'SIGKILL'), 300) })), {
      output: t.path('killed.mp4'), fps: 25, width: 64, height: 48, onSpawn: (p) => { pid = p; },
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ name: 'FfmpegError', code: 'E_FFMPEG_FAILED', signal: 'SIGKILL' });
    expect(unsubscribed).toBe(true);
    expect(await exists(t.path('killed.mp4'))).toBe(false);
    expect(await exists(t.path('killed.partial.mp4'))).toBe(true);
    expect(await waitForPidGone(pid!)).toBe(true);
  });

  it('without a flow, a source faster than the encoder fails with a bounded queue instead of growing', async () => {
    const burst = new Observable<RgbImage>((sub) => {
      for (let i = 0; i < 50; i++) sub.next(solid(640, 360, i));
      sub.complete();
    });
    await expect(encodeVideo(burst, { output: t.path('burst.mp4'), fps: 25, width: 640, height: 360, maxQueued: 8 }))
      .rejects.toMatchObject({ code: 'E_INTERNAL', message: expect.stringMatching(/Pass the same `flow`/) });
  });

  it('a frame of the wrong size is refused with the sizes named', async () => {
    const wrong = new Observable<RgbImage>((sub) => { sub.next(solid(10, 10, 0)); sub.complete(); });
    await expect(encodeVideo(wrong, { output: t.path('wrong.mp4'), fps: 25, width: 64, height: 48 }))
      .rejects.toMatchObject({ message: expect.stringMatching(/64x48 RGB24 but got 10x10/) });
  });

  it('an unwritable output (its folder is a file) gives E_OUTPUT_WRITE', async () => {
    await writeFile(t.path('a-file'), 'x');
    await expect(encodeVideo(frames(2), { output: t.path('a-file/x.mp4'), fps: 25, width: 64, height: 48 }))
      .rejects.toMatchObject({ code: 'E_OUTPUT_WRITE' });
  });

  it('slow encoder side with a shared flow: inFlight stays ≤ highWaterMark, every frame arrives', async () => {
    const flow = createFlow({ highWaterMark: 2 });
    const res = await encodeVideo(decodeFrames(t.path('idx.mp4'), { width: 8, height: 8, flow }).pipe(
      concatMap((f) => timer(3).pipe(map(() => f))),
    ), { output: t.path('slow.mp4'), fps: 10, width: 64, height: 48, flow });
    expect(res.frames).toBe(30);
    expect(flow.peakInFlight).toBeLessThanOrEqual(2);
  });

  it('leaves no ffmpeg children behind', async () => {
    for (const pid of liveFfmpegPids()) expect(await waitForPidGone(pid)).toBe(true);
    expect((await readdir(t.dir)).filter((n) => n.endsWith('.mp4.partial.mp4'))).toEqual([]);
  });
});
