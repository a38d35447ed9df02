import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFfmpeg, resolveFfmpeg } from './ffmpeg-path.js';

const dir = mkdtempSync(join(tmpdir(), 'ffpath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fakeBin = (name: string) => {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\necho fake\n');
  chmodSync(p, 0o755);
  return p;
};

describe('findFfmpeg', () => {
  it('prefers FFMPEG_PATH/FFPROBE_PATH from the environment', () => {
    const ff = fakeBin('myffmpeg');
    const fp = fakeBin('myffprobe');
    expect(findFfmpeg({ FFMPEG_PATH: ff, FFPROBE_PATH: fp, PATH: '' })).toEqual({ ffmpegPath: ff, ffprobePath: fp, source: 'env' });
  });

  it('refuses an FFMPEG_PATH that is not an executable file, naming it', () => {
    expect(() => findFfmpeg({ FFMPEG_PATH: join(dir, 'nope'), PATH: '' }))
      .toThrow(expect.objectContaining({ code: 'E_FFMPEG_NOT_FOUND', message: expect.stringContaining('FFMPEG_PATH=') }));
    expect(() => findFfmpeg({ FFMPEG_PATH: dir, PATH: '' })).toThrow(/not an executable file/);
  });

  it('falls back to the binary shipped in @ffmpeg-installer here (ffmpeg-static cannot install)', () => {
    const found = findFfmpeg({ PATH: '' });
    expect(['ffmpeg-static', '@ffmpeg-installer']).toContain(found.source);
  });

  it('resolveFfmpeg reports a version line and caches the answer', async () => {
    const a = await resolveFfmpeg();
    expect(a.version).toMatch(/^ffmpeg version /);
    expect(await resolveFfmpeg()).toBe(a);
  });
});
