/** Makes small, odd and broken media files with the real ffmpeg, for tests of what users feed the tool. */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';

const run = promisify(execFile);

export async function ffmpeg(args: readonly string[]): Promise<void> {
  const { ffmpegPath } = await resolveFfmpeg();
  await run(ffmpegPath, ['-v', 'error', '-y', ...args], { maxBuffer: 1 << 24 });
}

export interface ClipSpec {
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly frames?: number;
  readonly audio?: boolean;
  readonly pixFmt?: string;
  readonly codec?: string;
  readonly extra?: readonly string[];
}

/** A testsrc2 clip: moving colour pattern, optionally with a sine audio track. */
export async function makeClip(path: string, s: ClipSpec = {}): Promise<void> {
  const { width = 160, height = 120, fps = 10, frames = 10, audio = false, pixFmt = 'yuv420p', codec = 'libx264', extra = [] } = s;
  const dur = frames / fps;
  await ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${dur}`] : []),
    '-frames:v', String(frames), '-c:v', codec, '-pix_fmt', pixFmt,
    ...(audio ? ['-c:a', 'aac', '-shortest'] : []),
    ...extra, path,
  ]);
}

/** ffmpeg processes still running whose command line mentions `needle` (e.g. a test's temp folder). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes('ffmpeg') || cmd.includes('ffprobe')) {
        if (cmd.includes(needle)) pids.push(Number(entry));
      }
    } catch {
      /* process ended while we looked */
    }
  }
  return pids;
}
