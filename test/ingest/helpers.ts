/** Shared helpers for the ingest integration tests: temp dirs, pid checks, an independent ffprobe frame count. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../../src/ingest/index.js';

export async function tempDir(prefix = 'ingest-'): Promise<{ dir: string; path: (name: string) => string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, path: (n) => join(dir, n), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the pid is gone (the child is reaped asynchronously); returns false after `ms`. */
export async function waitForPidGone(pid: number, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !pidAlive(pid);
}

/** Decodes every video frame with ffprobe (not our code) and counts them; also reports audio presence. */
export async function ffprobeCount(path: string): Promise<{ frames: number; hasAudio: boolean; fps: string }> {
  const { ffprobePath } = await resolveFfmpeg();
  const run = promisify(execFile);
  const { stdout } = await run(ffprobePath, ['-v', 'error', '-count_frames', '-show_entries',
    'stream=codec_type,nb_read_frames,r_frame_rate', '-of', 'json', path]);
  const streams = (JSON.parse(stdout) as { streams: { codec_type: string; nb_read_frames?: string; r_frame_rate: string }[] }).streams;
  const v = streams.find((s) => s.codec_type === 'video');
  return { frames: Number(v?.nb_read_frames ?? 0), hasAudio: streams.some((s) => s.codec_type === 'audio'), fps: v?.r_frame_rate ?? '' };
}

/** Mean of one channel over an RGB24 image. */
export function channelMean(data: Uint8Array, channel: 0 | 1 | 2): number {
  let s = 0;
  for (let i = channel; i < data.length; i += 3) s += data[i]!;
  return s / (data.length / 3);
}
