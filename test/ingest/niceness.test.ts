/**
 * ffmpeg children at a lower CPU priority (so the inference thread keeps its core): the niceness must reach
 * every thread ffmpeg starts, not only its main thread. Linux only (reads /proc); real ffmpeg.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames, makeTestClip, resolveFfmpeg, spawnFfmpeg } from '../../src/ingest/index.js';
import { tempDir } from './helpers.js';

/** Niceness of each thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceness(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('nice-');
  await makeTestClip({ path: t.path('long.mp4'), width: 320, height: 240, fps: 25, frames: 200, pattern: 'testsrc2' });
});
afterAll(() => t.cleanup());

describe.skipIf(process.platform !== 'linux')('ffmpeg niceness', () => {
  it('a decoder spawned with niceness 10 runs every thread at 10; without, at ours', async () => {
    for (const [niceness, want] of [[10, 10], [undefined, threadNiceness(process.pid)[0]]] as const) {
      let pid: number | undefined;
      // Sampled at the 20th frame: ffmpeg has opened the decoder and started its threads, and is still running.
      const seen = await new Promise<number[]>((resolve, reject) => {
        const sub = decodeFrames(t.path('long.mp4'), {
          width: 8, height: 8, ...(niceness ? { niceness } : {}), onSpawn: (p) => { pid = p; },
        }).subscribe({
          next: (f) => {
            if (f.index !== 20) return;
            const n = threadNiceness(pid!);
            sub.unsubscribe();
            resolve(n);
          },
          error: reject,
        });
      });
      expect(seen.length).toBeGreaterThan(1);
      expect(new Set(seen)).toEqual(new Set([want]));
    }
  });

  it('spawnFfmpeg with a niceness reaches threads started later (x264 encoding)', async () => {
    const { ffmpegPath } = await resolveFfmpeg();
    const proc = spawnFfmpeg(ffmpegPath, ['-v', 'error', '-re', '-i', t.path('long.mp4'), '-c:v', 'libx264', '-f', 'null', '-'], { niceness: 7 });
    await new Promise((r) => setTimeout(r, 800));
    const seen = threadNiceness(proc.pid!);
    proc.kill();
    await proc.done;
    expect(seen.length).toBeGreaterThan(2);
    // None above the asked priority (x264 lowers some of its own helper threads by a further 10).
    expect(Math.min(...seen)).toBe(7);
    expect(seen[0]).toBe(7);
  });

  it('a missing binary still fails as E_FFMPEG_NOT_FOUND when a niceness is asked for', async () => {
    const proc = spawnFfmpeg('/nonexistent/ffmpeg', ['-version'], { niceness: 10 });
    await expect(proc.done).rejects.toMatchObject({ code: 'E_FFMPEG_NOT_FOUND' });
  });
});
