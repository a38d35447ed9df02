/**
 * Still images go through the same ffmpeg as video (png, jpg, bmp, webp in; png or jpg out), so there is one
 * decoder to trust. Decoding always yields exactly one RGB24 frame on stdout.
 */
import { localInput } from './local-input.js';

export function imageDecodeArgs(path: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
    '-i', localInput(path), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

export type ImageFormat = 'png' | 'jpg';

export function imageFormatFor(path: string): ImageFormat {
  const ext = path.toLowerCase().split('.').pop();
  if (ext === 'png') return 'png';
  if (ext === 'jpg' || ext === 'jpeg') return 'jpg';
  throw new RangeError(`cannot write "${path}": use a .png, .jpg or .jpeg file name`);
}

export interface ImageEncodeArgsOptions {
  readonly output: string;
  readonly width: number;
  readonly height: number;
  /** Default: from the output name's extension. */
  readonly format?: ImageFormat;
  /** JPEG quality 2 (best) … 31 (default 3). */
  readonly jpegQuality?: number;
}

export function imageEncodeArgs(o: ImageEncodeArgsOptions): string[] {
  const format = o.format ?? imageFormatFor(o.output);
  const codec = format === 'png'
    ? ['-c:v', 'png', '-pix_fmt', 'rgb24']
    : ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj444p', '-q:v', String(o.jpegQuality ?? 3)];
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${o.width}x${o.height}`, '-i', 'pipe:0',
    '-frames:v', '1', ...codec, '-f', 'image2', '-update', '1', localInput(o.output),
  ];
}
