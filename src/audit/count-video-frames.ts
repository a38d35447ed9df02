/**
 * Counts a video's decodable frames with `ffprobe -count_frames` (decodes the whole stream: exact, not the
 * container's estimate), so `audit verify --video` can check that every encoded frame has a record.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FfmpegError, MetacamError } from '../errors.js';
import { resolveFfmpeg } from '../ingest/ffmpeg-path.js';

export async function countVideoFrames(videoPath: string): Promise<number> {
  const { ffprobePath } = await resolveFfmpeg();
  const argv = ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'default=nokey=1:noprint_wrappers=1', videoPath];
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(ffprobePath, argv, { timeout: 300_000, maxBuffer: 1 << 20 }));
  } catch (cause) {
    const e = cause as { code?: number | string; signal?: NodeJS.Signals | null; stderr?: string };
    throw new FfmpegError(`ffprobe cannot count the frames of ${videoPath}`, {
      argv: [ffprobePath, ...argv],
      exitStatus: typeof e.code === 'number' ? e.code : null,
      signal: e.signal ?? null,
      stderrTail: e.stderr ?? String(cause),
    }, 'E_INPUT_INVALID');
  }
  const n = Number.parseInt(stdout.trim().split('\n')[0] ?? '', 10);
  if (!Number.isInteger(n) || n < 0) {
    throw new MetacamError('E_INPUT_INVALID', `${videoPath} has no video stream ffprobe can count (got '${stdout.trim()}')`);
  }
  return n;
}
