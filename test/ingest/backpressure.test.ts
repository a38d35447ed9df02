/**
 * A slow consumer must not grow memory: with a flow, at most highWaterMark frames are downstream and the
 * decoder stops reading ffmpeg, so RSS stays flat while a 720p clip (≈ 2.8 MB per frame) is consumed slowly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatMap, lastValueFrom, map, take, tap, timer, toArray } from 'rxjs';
import { createFlow, decodeFrames, makeTestClip } from '../../src/ingest/index.js';
import { tempDir } from './helpers.js';

const FRAMES = 120;
const FRAME_BYTES = 640 * 360 * 3;
let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('bp-');
  await makeTestClip({ path: t.path('hd.mp4'), width: 640, height: 360, fps: 25, frames: FRAMES, pattern: 'testsrc2' });
});
afterAll(() => t.cleanup());

describe('backpressure', () => {
  it('a slow consumer keeps inFlight ≤ highWaterMark and RSS bounded (all frames would be ~80 MB)', async () => {
    const flow = createFlow({ highWaterMark: 3 });
    // Baseline after a few frames, so module loading and JIT warm-up do not count.
    let base = Number.POSITIVE_INFINITY;
    let peakRss = 0;
    let maxInFlight = 0;
    const indices = await lastValueFrom(decodeFrames(t.path('hd.mp4'), { width: 224, height: 224, flow }).pipe(
      tap(() => { maxInFlight = Math.max(maxInFlight, flow.inFlight); }),
      // An asynchronous, slow stage: without credits RxJS would buffer everything ffmpeg produces here.
      concatMap((f) => timer(15).pipe(map(() => f))),
      tap((f) => {
        const rss = process.memoryUsage().rss;
        if (f.index === 10) base = rss;
        if (f.index >= 10) peakRss = Math.max(peakRss, rss);
        flow.release();
      }),
      map((f) => f.index),
      toArray(),
    ));
    expect(indices).toEqual(Array.from({ length: FRAMES }, (_, i) => i));
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(flow.peakInFlight).toBeLessThanOrEqual(3);
    expect(flow.inFlight).toBe(0);
    const grownMb = (peakRss - base) / 2 ** 20;
    console.log(`backpressure: RSS grew ${grownMb.toFixed(1)} MB while a slow consumer read ${FRAMES} 640x360 frames (${(FRAMES * FRAME_BYTES / 2 ** 20).toFixed(0)} MB)`);
    expect(grownMb).toBeLessThan(FRAMES * FRAME_BYTES / 2 ** 20 / 2);
  });

  it('without credits, the same async stage queues far more frames (the test above can fail)', async () => {
    let maxQueued = 0;
    let queued = 0;
    await lastValueFrom(decodeFrames(t.path('hd.mp4'), { width: 224, height: 224 }).pipe(
      take(40),
      tap(() => { queued++; maxQueued = Math.max(maxQueued, queued); }),
      concatMap((f) => timer(40).pipe(map(() => f))),
      tap(() => { queued--; }),
      toArray(),
    ));
    expect(maxQueued).toBeGreaterThan(3);
  });
});
