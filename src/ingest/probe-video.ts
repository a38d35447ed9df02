/**
 * probeVideo: what a video is (display size, rate, exact frame count, rotation, audio) before anything is
 * decoded, with typed errors for every way an input can be unusable. See parse-probe.ts for the rules.
 */
import { FfmpegError, MetacamError } from '../errors.js';
import { checkInputFile } from './check-input.js';
import { resolveFfmpeg } from './ffmpeg-path.js';
import { needsPacketCount, parseProbe, type ProbeJson, type VideoInfo } from './parse-probe.js';
import { countPacketsArgs, probeArgs } from './probe-args.js';
import { runFfmpeg } from './spawn-ffmpeg.js';

export type { VideoInfo } from './parse-probe.js';

function invalid(path: string, why: string, cause?: unknown): MetacamError {
  return new MetacamError('E_INPUT_INVALID',
    `Input "${path}" is not a usable video: ${why}. Check that it is a complete video file (mp4, mkv, webm, mov, avi…)` +
      (why.includes('still image') ? '; for still images use `metacam image`.' : '; re-export or re-download it if it was cut short.'),
    cause === undefined ? undefined : { cause });
}

export async function probeVideo(path: string): Promise<VideoInfo> {
  await checkInputFile(path);
  const { ffprobePath } = await resolveFfmpeg();
  let json: ProbeJson;
  try {
    const out = await runFfmpeg(ffprobePath, probeArgs(path), { label: `ffprobe ${path}` });
    json = JSON.parse(out.toString('utf8')) as ProbeJson;
  } catch (e) {
    if (e instanceof FfmpegError) {
      const last = e.stderrTail.trim().split('\n').pop() ?? '';
      throw invalid(path, `ffprobe cannot read it (${last.replace(/^.*?:\s*/, '') || 'unknown format'})`, e);
    }
    if (e instanceof SyntaxError) throw invalid(path, 'ffprobe printed unreadable output', e);
    throw e;
  }
  let counted: number | undefined;
  if (needsPacketCount(json)) {
    try {
      const out = await runFfmpeg(ffprobePath, countPacketsArgs(path), { label: `ffprobe -count_packets ${path}` });
      const c = JSON.parse(out.toString('utf8')) as { streams?: { nb_read_packets?: string }[] };
      counted = Number.parseInt(c.streams?.[0]?.nb_read_packets ?? '', 10);
    } catch (e) {
      throw invalid(path, 'counting its frames failed', e);
    }
  }
  const info = parseProbe(json, counted);
  if (typeof info === 'string') throw invalid(path, info);
  return info;
}
