/**
 * Optional per-frame thumbnails for the audit log (`--audit-thumbs dir/`, every Nth frame): a small JPEG of the
 * overlay, written by ffmpeg from raw RGB24 on stdin, referenced from the frame record by path and sha256 so a
 * reviewer can see the picture and still trust it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FfmpegError, MetacamError } from '../errors.js';
import { resolveFfmpeg } from '../ingest/ffmpeg-path.js';
import { runFfmpeg } from '../ingest/spawn-ffmpeg.js';
import type { RgbImage } from '../core/frame.js';
import type { ThumbRef } from './audit-record.js';
import { sha256Hex } from './sha256.js';

/** Where frame `index`'s thumbnail goes: dir/frame-000123.jpg (zero-padded so listings sort by frame). */
export function thumbPath(dir: string, index: number): string {
  return join(dir, `frame-${String(index).padStart(6, '0')}.jpg`);
}

/** True for the frames that get a thumbnail: 0, every, 2·every, … */
export function wantsThumb(index: number, every: number): boolean {
  return every >= 1 && index % Math.floor(every) === 0;
}

export interface ThumbOptions {
  /** Longest side of the thumbnail in pixels (default 320; never upscales). */
  readonly maxSide?: number;
  readonly ffmpegPath?: string;
}

/** Writes frame `index`'s thumbnail to thumbPath(dir, index); returns {path, sha256} for the frame record. */
export function writeThumbnail(dir: string, index: number, image: RgbImage, options: ThumbOptions = {}): Promise<ThumbRef> {
  return writeThumbnailFile(image, thumbPath(dir, index), options);
}

/** Encodes `image` to `path` (JPEG or PNG by extension) and returns {path, sha256 of the written file}. */
export async function writeThumbnailFile(image: RgbImage, path: string, options: ThumbOptions = {}): Promise<ThumbRef> {
  const { width, height, data } = image;
  if (data.length !== width * height * 3) {
    throw new MetacamError('E_INTERNAL', `thumbnail image has ${data.length} bytes, expected ${width}×${height}×3`);
  }
  const ffmpegPath = options.ffmpegPath ?? (await resolveFfmpeg()).ffmpegPath;
  const maxSide = options.maxSide ?? 320;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const tw = Math.max(2, Math.round((width * scale) / 2) * 2);
  const th = Math.max(2, Math.round((height * scale) / 2) * 2);
  const argv = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-',
    '-frames:v', '1', '-vf', `scale=${tw}:${th}`, ...(path.endsWith('.png') ? [] : ['-q:v', '4']), path];
  try {
    await runFfmpeg(ffmpegPath, argv, { input: data, label: `writing thumbnail ${path}` });
  } catch (e) {
    if (e instanceof FfmpegError) throw new FfmpegError(`ffmpeg could not write thumbnail ${path}`, e, 'E_OUTPUT_WRITE');
    throw e;
  }
  return { path, sha256: sha256Hex(await readFile(path)) };
}
