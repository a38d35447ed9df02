import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegError } from '../../src/errors.js';
import { liveFfmpegPids, readImage, resolveFfmpeg, spawnFfmpeg, writeImage, type RgbImage } from '../../src/ingest/index.js';
import { tempDir, waitForPidGone } from './helpers.js';

let t: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => { t = await tempDir('spawn-'); });
afterAll(() => t.cleanup());

describe('spawnFfmpeg', () => {
  it('a non-zero exit becomes FfmpegError with argv, exit status and stderr tail', async () => {
    const { ffmpegPath } = await resolveFfmpeg();
    const p = spawnFfmpeg(ffmpegPath, ['-hide_banner', '-i', t.path('does-not-exist.mp4'), '-f', 'null', '-'], { label: 'test run' });
    const err = await p.done.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    const fe = err as FfmpegError;
    expect(fe.exitStatus).not.toBe(0);
    expect(fe.signal).toBeNull();
    expect(fe.argv[0]).toBe(ffmpegPath);
    expect(fe.stderrTail).toMatch(/No such file or directory/);
    expect(fe.message).toMatch(/^test run failed \(exit code \d+\)/);
  });

  it('kill() is idempotent, resolves done as killed, and the pid is gone', async () => {
    const { ffmpegPath } = await resolveFfmpeg();
    const p = spawnFfmpeg(ffmpegPath, ['-hide_banner', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc2=s=32x32', '-f', 'null', '-']);
    expect(liveFfmpegPids()).toContain(p.pid);
    p.kill();
    p.kill();
    await expect(p.done).resolves.toMatchObject({ killed: true, signal: 'SIGKILL' });
    p.kill();
    expect(await waitForPidGone(p.pid!)).toBe(true);
    expect(liveFfmpegPids()).not.toContain(p.pid);
  });

  it('a missing binary gives E_FFMPEG_NOT_FOUND', async () => {
    await expect(spawnFfmpeg(t.path('no-ffmpeg'), ['-version']).done).rejects.toMatchObject({ code: 'E_FFMPEG_NOT_FOUND' });
  });

  it('children do not outlive the Node process that started them (exit hook)', async () => {
    const script = t.path('orphan.mts');
    await writeFile(script, `
      import { resolveFfmpeg, spawnFfmpeg } from ${JSON.stringify(new URL('../../src/ingest/index.ts', import.meta.url).pathname)};
      const { ffmpegPath } = await resolveFfmpeg();
      const p = spawnFfmpeg(ffmpegPath, ['-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc2=s=32x32', '-f', 'null', '-']);
      console.log(p.pid);
      setTimeout(() => process.exit(0), 200);
    `);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    await new Promise((r) => child.on('exit', r));
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    expect(await waitForPidGone(pid)).toBe(true);
  });
});

describe('readImage / writeImage', () => {
  const img: RgbImage = {
    width: 5, height: 3,
    data: Uint8Array.from({ length: 45 }, (_, i) => (i * 37) % 256),
  };

  it('png round trip is exact', async () => {
    await writeImage(t.path('a/b.png'), img);
    const back = await readImage(t.path('a/b.png'));
    expect([back.width, back.height]).toEqual([5, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(img.data));
  });

  it('jpg round trip keeps size and is close', async () => {
    const flat: RgbImage = { width: 16, height: 8, data: new Uint8Array(16 * 8 * 3).fill(120) };
    await writeImage(t.path('c.jpg'), flat);
    const back = await readImage(t.path('c.jpg'));
    expect([back.width, back.height]).toEqual([16, 8]);
    for (const v of back.data) expect(Math.abs(v - 120)).toBeLessThan(4);
  });

  it.each([
    ['missing.png', 'E_INPUT_MISSING'],
    ['junk.png', 'E_INPUT_INVALID'],
  ])('readImage(%s) → %s', async (name, code) => {
    await writeFile(t.path('junk.png'), 'not an image at all');
    await expect(readImage(t.path(name))).rejects.toMatchObject({ code });
  });

  it('writeImage refuses other extensions and wrong buffer sizes', async () => {
    await expect(writeImage(t.path('x.gif'), img)).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(writeImage(t.path('x.png'), { width: 5, height: 3, data: new Uint8Array(3) })).rejects.toMatchObject({ code: 'E_INTERNAL' });
  });
});
