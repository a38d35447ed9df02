import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatMap, lastValueFrom, map, take, tap, timer, toArray, firstValueFrom, filter } from 'rxjs';
import { createFlow, liveFrames, makeTestClip, resolveFfmpeg, runFfmpeg, type LiveEvent } from '../../src/ingest/index.js';
import { tempDir, waitForPidGone } from './helpers.js';

let t: Awaited<ReturnType<typeof tempDir>>;
let server: Server;
let port = 0;
let served = 0;
beforeAll(async () => {
  t = await tempDir('live-');
  await makeTestClip({ path: t.path('clip.mp4'), width: 64, height: 48, fps: 25, frames: 10, pattern: 'testsrc2' });
  const { ffmpegPath } = await resolveFfmpeg();
  await runFfmpeg(ffmpegPath, ['-v', 'error', '-i', `file:${t.path('clip.mp4')}`, '-c', 'copy', '-f', 'mpegts', `file:${t.path('clip.ts')}`]);
  const ts = await readFile(t.path('clip.ts'));
  // A "camera" that serves 10 frames of MPEG-TS and then hangs up: every request is a disconnect.
  server = createServer((_req, res) => {
    served++;
    res.writeHead(200, { 'content-type': 'video/mp2t' });
    res.end(ts);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.cleanup();
});

describe('liveFrames', () => {
  it('testsrc with a slow consumer drops stale frames (latest wins) and reports the count', async () => {
    const flow = createFlow({ highWaterMark: 1 });
    const events: LiveEvent[] = [];
    const frames = await lastValueFrom(liveFrames('testsrc:64x48@25', { width: 8, height: 8, flow, onEvent: (e) => events.push(e) }).pipe(
      take(5),
      concatMap((f) => timer(250).pipe(map(() => f))), // ~4 fps consumer on a 25 fps source
      tap(() => flow.release()),
      toArray(),
    ));
    expect(frames).toHaveLength(5);
    expect(frames[0]!.image).toMatchObject({ width: 64, height: 48 });
    expect(frames[0]!.input.data).toHaveLength(8 * 8 * 3);
    const last = frames.at(-1)!;
    expect(last.dropped).toBeGreaterThan(0);
    // index is the source frame number: every skipped number is a counted drop.
    frames.forEach((f, k) => expect(f.index).toBe(k + f.dropped!));
    for (let k = 1; k < frames.length; k++) {
      expect(frames[k]!.dropped!).toBeGreaterThanOrEqual(frames[k - 1]!.dropped!);
      expect(frames[k]!.capturedAt!).toBeGreaterThanOrEqual(frames[k - 1]!.capturedAt!);
    }
    const started = events.find((e) => e.type === 'started');
    expect(started).toBeDefined();
    expect(await waitForPidGone((started as { pid: number }).pid)).toBe(true);
  });

  it('a consumer that keeps up sees no drops', async () => {
    const frames = await lastValueFrom(liveFrames('testsrc:32x32@25', { width: 4, height: 4 }).pipe(take(8), toArray()));
    expect(frames.map((f) => f.dropped)).toEqual(Array(8).fill(0));
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('a network source that hangs up is reported and reconnected with back-off; frames continue', async () => {
    const events: LiveEvent[] = [];
    served = 0;
    const frames = await lastValueFrom(liveFrames(`http://127.0.0.1:${port}/cam.ts`, {
      width: 8, height: 8, onEvent: (e) => events.push(e), retry: { initialDelayMs: 20, maxDelayMs: 100 },
    }).pipe(take(25), toArray()));
    expect(frames).toHaveLength(25);
    expect(frames[0]!.image).toMatchObject({ width: 64, height: 48 });
    const types = events.map((e) => e.type);
    expect(types).toContain('disconnected');
    expect(types).toContain('reconnecting');
    expect(types.filter((x) => x === 'started').length).toBeGreaterThanOrEqual(3);
    expect(frames.map((f) => f.index)).toEqual(frames.map((_, i) => i + frames[i]!.dropped!));
    expect(served).toBeGreaterThanOrEqual(3);
  });

  it('an unreachable network source gives up after maxAttempts with E_FFMPEG_FAILED', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const events: LiveEvent[] = [];
    const err = await firstValueFrom(liveFrames(`http://127.0.0.1:${deadPort}/x`, {
      width: 8, height: 8, fullWidth: 64, fullHeight: 48, onEvent: (e) => events.push(e),
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    })).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_FFMPEG_FAILED', message: expect.stringMatching(/failed 3 times in a row/) });
    expect(events.filter((e) => e.type === 'reconnecting').map((e) => (e as { delayMs: number }).delayMs)).toEqual([10, 20]);
  });

  it('a file played at real rate completes after its last frame', async () => {
    const events: LiveEvent[] = [];
    const frames = await lastValueFrom(liveFrames(t.path('clip.mp4'), { width: 8, height: 8, onEvent: (e) => events.push(e) }).pipe(toArray()));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThanOrEqual(10);
    expect(events.at(-1)?.type).toBe('ended');
  });

  it('unsubscribing kills the live ffmpeg', async () => {
    let pid = 0;
    await firstValueFrom(liveFrames('testsrc:32x32@25', { width: 4, height: 4, onEvent: (e) => { if (e.type === 'started') pid = e.pid!; } })
      .pipe(filter((f) => f.index >= 2)));
    expect(pid).toBeGreaterThan(0);
    expect(await waitForPidGone(pid)).toBe(true);
  });
});
