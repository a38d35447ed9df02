/**
 * Counts a video's decodable frames with `ffprobe -count_frames` (decodes the whole stream: exact, not the
 * container's estimate), so `audit verify --video` can check that every encoded frame has a record.
 */
import { FfmpegError, MetacamError } from '../errors.js';
import { resolveFfmpeg } from '../ingest/ffmpeg-path.js';
import { runFfmpeg } from '../ingest/spawn-ffmpeg.js';

export async function countVideoFrames(videoPath: string): Promise<number> {
  const { ffprobePath } = await resolveFfmpeg();
  const argv = ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'default=nokey=1:noprint_wrappers=1', videoPath];
  let stdout: string;
  try {
    stdout = (await runFfmpeg(ffprobePath, argv, { label: `counting the frames of ${videoPath}`, maxStdoutBytes: 1 << 20 })).toString('utf8');
  } catch (e) {
    if (e instanceof FfmpegError) throw new FfmpegError(`ffprobe cannot count the frames of ${videoPath}`, e, 'E_INPUT_INVALID');
    throw e;
  }
  const n = Number.parseInt(stdout.trim().split('\n')[0] ?? '', 10);
  if (!Number.isInteger(n) || n < 0) {
    throw new MetacamError('E_INPUT_INVALID', `${videoPath} has no video stream ffprobe can count (got '${stdout.trim()}')`);
  }
  return n;
}
