/** Independent checks on produced media with the real ffprobe/ffmpeg (not the project's own ingest code). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';

const run = promisify(execFile);

export interface MediaFacts {
  readonly frames: number;
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  readonly hasAudio: boolean;
  readonly videoCodec: string;
  readonly pixFmt: string;
}

function rate(r: string): number {
  const [n, d] = r.split('/').map(Number);
  return d ? n! / d : n!;
}

export async function mediaFacts(path: string): Promise<MediaFacts> {
  const { ffprobePath } = await resolveFfmpeg();
  const { stdout } = await run(ffprobePath, ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', path], { maxBuffer: 1 << 24 });
  const streams = (JSON.parse(stdout) as { streams: Record<string, string | number>[] }).streams;
  const v = streams.find((s) => s.codec_type === 'video');
  if (!v) throw new Error(`${path} has no video stream`);
  return {
    frames: Number(v.nb_read_frames),
    fps: rate(String(v.r_frame_rate)),
    width: Number(v.width),
    height: Number(v.height),
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
    videoCodec: String(v.codec_name),
    pixFmt: String(v.pix_fmt),
  };
}

/** Decodes frame `index` of a video to RGB24 (scaled to w×h when given). */
export async function grabFrame(path: string, index: number, size?: { width: number; height: number }): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { ffmpegPath } = await resolveFfmpeg();
  const facts = await mediaFacts(path);
  const width = size?.width ?? facts.width;
  const height = size?.height ?? facts.height;
  const { stdout } = await run(ffmpegPath, ['-v', 'error', '-i', path, '-vf', `select=eq(n\\,${index}),scale=${width}:${height}`, '-vsync', '0', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 1 << 26 });
  return { width, height, data: new Uint8Array(stdout) };
}

/** Share of pixels whose colour differs from the reference by more than `threshold` (sum of |ΔR|+|ΔG|+|ΔB|). */
export function changedShare(a: Uint8Array, b: Uint8Array, threshold = 60): number {
  let changed = 0;
  const n = Math.min(a.length, b.length) / 3;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(a[3 * i]! - b[3 * i]!) + Math.abs(a[3 * i + 1]! - b[3 * i + 1]!) + Math.abs(a[3 * i + 2]! - b[3 * i + 2]!);
    if (d > threshold) changed++;
  }
  return changed / n;
}
