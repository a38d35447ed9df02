import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestClip, probeVideo, resolveFfmpeg, runFfmpeg } from '../../src/ingest/index.js';
import { tempDir } from './helpers.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  t = await tempDir('probe-');
  await makeTestClip({ path: t.path('av.mp4'), width: 64, height: 48, fps: 10, frames: 12, audio: true });
  await makeTestClip({ path: t.path('v.mp4'), width: 64, height: 48, fps: 25, frames: 7 });
  await makeTestClip({ path: t.path('rot.mp4'), width: 64, height: 48, fps: 10, frames: 3, rotation: 90 });
  await makeTestClip({ path: t.path('odd.mkv'), width: 33, height: 17, fps: 12, frames: 9 });
  await makeTestClip({ path: t.path('one.mp4'), width: 32, height: 32, fps: 10, frames: 1 });
  const { ffmpegPath } = await resolveFfmpeg();
  await runFfmpeg(ffmpegPath, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'aac', `file:${t.path('audio.m4a')}`]);
  await runFfmpeg(ffmpegPath, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=32x32', '-frames:v', '1', `file:${t.path('still.png')}`]);
  await writeFile(t.path('empty.mp4'), '');
  await writeFile(t.path('junk.mp4'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
  await mkdir(t.path('folder.mp4'));
  const whole = await readFile(t.path('av.mp4'));
  await writeFile(t.path('cut.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
});
afterAll(() => t.cleanup());

describe('probeVideo', () => {
  it('reads size, rate, exact frame count, duration, audio', async () => {
    expect(await probeVideo(t.path('av.mp4'))).toMatchObject({
      width: 64, height: 48, codedWidth: 64, codedHeight: 48, fps: 10, fpsFraction: '10/1', frameCount: 12,
      rotation: 0, hasAudio: true, codec: 'h264', pixFmt: 'yuv420p',
    });
    const v = await probeVideo(t.path('v.mp4'));
    expect([v.hasAudio, v.frameCount, v.fps]).toEqual([false, 7, 25]);
    expect(v.durationSeconds).toBeCloseTo(7 / 25, 2);
  });

  it('applies rotation metadata to the display size', async () => {
    expect(await probeVideo(t.path('rot.mp4'))).toMatchObject({ rotation: 90, width: 48, height: 64, codedWidth: 64, codedHeight: 48 });
  });

  it('counts frames when the container has no nb_frames (mkv), odd size, yuv444p', async () => {
    expect(await probeVideo(t.path('odd.mkv'))).toMatchObject({ width: 33, height: 17, frameCount: 9, pixFmt: 'yuv444p', fps: 12 });
  });

  it('accepts a 1-frame video', async () => {
    expect((await probeVideo(t.path('one.mp4'))).frameCount).toBe(1);
  });

  it.each([
    ['missing.mp4', 'E_INPUT_MISSING', /does not exist/],
    ['folder.mp4', 'E_INPUT_NOT_FILE', /directory/],
    ['empty.mp4', 'E_INPUT_EMPTY', /empty \(0 bytes\)/],
    ['junk.mp4', 'E_INPUT_INVALID', /not a usable video: ffprobe cannot read it/],
    ['cut.mp4', 'E_INPUT_INVALID', /not a usable video.*cut short/],
    ['audio.m4a', 'E_INPUT_INVALID', /audio stream but no video/],
    ['still.png', 'E_INPUT_INVALID', /still image.*metacam image/],
  ])('%s → %s', async (name, code, message) => {
    const err = await probeVideo(t.path(name)).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code, message: expect.stringMatching(message) });
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });
});
