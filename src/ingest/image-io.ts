/**
 * Still images in and out through ffmpeg (png, jpg, bmp, webp… in; png or jpg out), the same decoder the video
 * path trusts. readImage checks the file like probeVideo does; writeImage writes `<stem>.partial.<ext>` and
 * renames, so a failed write never leaves a truncated image under the final name.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FfmpegError, MetacamError } from '../errors.js';
import { checkInputFile } from './check-input.js';
import { resolveFfmpeg } from './ffmpeg-path.js';
import type { RgbImage } from '../core/frame.js';
import { imageDecodeArgs, imageEncodeArgs, imageFormatFor } from './image-args.js';
import { videoStreamOf, type ProbeJson } from './parse-probe.js';
import { partialPathFor } from './partial-path.js';
import { probeArgs } from './probe-args.js';
import { runFfmpeg } from './spawn-ffmpeg.js';

function unreadable(path: string, why: string, cause?: unknown): MetacamError {
  return new MetacamError('E_INPUT_INVALID', `Input "${path}" is not a readable image: ${why}. Use a PNG or JPEG file.`,
    cause === undefined ? undefined : { cause });
}

export async function readImage(path: string): Promise<RgbImage> {
  await checkInputFile(path);
  const { ffmpegPath, ffprobePath } = await resolveFfmpeg();
  let width = 0;
  let height = 0;
  try {
    const json = JSON.parse((await runFfmpeg(ffprobePath, probeArgs(path), { label: `ffprobe ${path}` })).toString('utf8')) as ProbeJson;
    const v = videoStreamOf(json);
    width = v?.width ?? 0;
    height = v?.height ?? 0;
  } catch (e) {
    if (e instanceof FfmpegError || e instanceof SyntaxError) throw unreadable(path, 'ffprobe cannot read it', e);
    throw e;
  }
  if (width <= 0 || height <= 0) throw unreadable(path, 'it has no picture');
  const expected = width * height * 3;
  let data: Buffer;
  try {
    data = await runFfmpeg(ffmpegPath, imageDecodeArgs(path), { label: `decoding ${path}`, maxStdoutBytes: expected });
  } catch (e) {
    if (e instanceof FfmpegError) throw unreadable(path, 'ffmpeg cannot decode it', e);
    throw e;
  }
  if (data.length !== expected) throw unreadable(path, `decoded ${data.length} bytes, expected ${expected} for ${width}x${height}`);
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export async function writeImage(path: string, image: RgbImage): Promise<void> {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || data.length !== width * height * 3) {
    throw new MetacamError('E_INTERNAL', `writeImage(${path}): expected ${width}x${height} RGB24 (${width * height * 3} bytes), got ${data.length} bytes`);
  }
  let format;
  try {
    format = imageFormatFor(path);
  } catch (e) {
    throw new MetacamError('E_ARG', (e as Error).message);
  }
  const { ffmpegPath } = await resolveFfmpeg();
  const partial = partialPathFor(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    await runFfmpeg(ffmpegPath, imageEncodeArgs({ output: partial, width, height, format }), { input: data, label: `writing ${path}` });
    await rename(partial, path);
  } catch (e) {
    await rm(partial, { force: true });
    throw new MetacamError('E_OUTPUT_WRITE', `Cannot write ${path}: ${(e as Error).message.split('\n')[0]}. Choose a writable output path.`, { cause: e });
  }
}
