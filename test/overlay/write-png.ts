/** Writes an RgbImage as a PNG with the project's ffmpeg (rawvideo rgb24 on stdin → image2). */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FfmpegError } from '../../src/errors.js';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';
import type { RgbImage } from '../../src/core/frame.js';

export async function writePng(image: RgbImage, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const { ffmpegPath } = await resolveFfmpeg();
  const argv = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${image.width}x${image.height}`, '-i', '-', '-frames:v', '1', path];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(ffmpegPath, argv, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new FfmpegError('ffmpeg could not write the PNG', { argv: [ffmpegPath, ...argv], exitStatus: code, signal, stderrTail: stderr }));
    });
    child.stdin.on('error', () => undefined); // reported through 'close'
    child.stdin.end(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength));
  });
}

/** Decodes a PNG back to RGB24 with ffmpeg (to check what was written). */
export async function readPng(path: string, width: number, height: number): Promise<Uint8Array> {
  const { ffmpegPath } = await resolveFfmpeg();
  const argv = ['-hide_banner', '-loglevel', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  return new Promise<Uint8Array>((resolve, reject) => {
    const child = spawn(ffmpegPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const data = new Uint8Array(Buffer.concat(chunks));
      if (code === 0 && data.length === width * height * 3) resolve(data);
      else reject(new FfmpegError(`ffmpeg could not read ${path} as ${width}×${height}`, { argv: [ffmpegPath, ...argv], exitStatus: code, signal, stderrTail: stderr }));
    });
  });
}
