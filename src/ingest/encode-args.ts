/**
 * argv for the encoder: raw RGB24 frames on stdin at a fixed rate → H.264 yuv420p in a *fragmented* MP4
 * (`+frag_keyframe+empty_moov+default_base_moof`), so whatever was written before a crash or Ctrl-C is still a
 * playable file. A second input (the source file) supplies audio with `-map 1:a?` (absent audio is fine).
 * `-shortest` is deliberately not used: it can cut the last video frames, and the frame count must be exact.
 * GOP defaults to 2 s so a partial file loses at most ~2 s (fragments close on keyframes).
 */
import { evenSize } from './even-size.js';
import { localInput } from './local-input.js';

export interface EncodeArgsOptions {
  /** Where ffmpeg writes (the `.partial.mp4` name; renaming is the caller's job). */
  readonly output: string;
  readonly width: number;
  readonly height: number;
  /** A number (25, 29.97) or an exact rational string ("30000/1001"). */
  readonly fps: number | string;
  /** Source file whose first audio stream is copied (re-encoded to AAC) into the output. */
  readonly audioFrom?: string;
  /** x264 constant rate factor (default 20). */
  readonly crf?: number;
  /** x264 preset (default 'veryfast'). */
  readonly preset?: string;
  /** Keyframe interval in seconds (default 2). */
  readonly gopSeconds?: number;
}

export function fpsArg(fps: number | string): string {
  if (typeof fps === 'string') {
    if (!/^\d+(\.\d+)?(\/\d+)?$/.test(fps)) throw new RangeError(`fps must look like 25, 29.97 or 30000/1001, got "${fps}"`);
    return fps;
  }
  if (!Number.isFinite(fps) || fps <= 0) throw new RangeError(`fps must be a positive number, got ${fps}`);
  return String(fps);
}

export function fpsValue(fps: number | string): number {
  const s = fpsArg(fps);
  const [n, d] = s.split('/');
  return Number(n) / (d === undefined ? 1 : Number(d));
}

export function encodeArgs(o: EncodeArgsOptions): string[] {
  if (!Number.isInteger(o.width) || o.width <= 0 || !Number.isInteger(o.height) || o.height <= 0) {
    throw new RangeError(`encode size must be positive integers, got ${o.width}x${o.height}`);
  }
  const fps = fpsArg(o.fps);
  const even = evenSize(o.width, o.height);
  const gop = Math.max(1, Math.round(fpsValue(fps) * (o.gopSeconds ?? 2)));
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${o.width}x${o.height}`, '-r', fps, '-i', 'pipe:0',
    ...(o.audioFrom !== undefined ? ['-i', localInput(o.audioFrom)] : []),
    '-map', '0:v:0',
    ...(o.audioFrom !== undefined ? ['-map', '1:a:0?', '-c:a', 'aac', '-b:a', '128k'] : []),
    ...(even.padded ? ['-vf', `pad=${even.width}:${even.height}:0:0:black`] : []),
    '-c:v', 'libx264', '-preset', o.preset ?? 'veryfast', '-crf', String(o.crf ?? 20),
    '-pix_fmt', 'yuv420p', '-g', String(gop),
    '-vsync', 'passthrough',
    '-movflags', '+frag_keyframe+empty_moov+default_base_moof',
    '-f', 'mp4', localInput(o.output),
  ];
}
