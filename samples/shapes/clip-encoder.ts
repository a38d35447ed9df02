/**
 * Why: testbed clips are real MP4s made by the same ffmpeg the pipeline uses (resolveFfmpeg): raw RGB24
 * frames on stdin → libx264 yuv420p, plus a 440 Hz AAC sine track from a second lavfi input (so the demo
 * clip exercises audio pass-through). Writes respect stdin back-pressure; a failure is an FfmpegError with
 * argv and the stderr tail; the child never outlives the call.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { FfmpegError } from '../../src/errors.js';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';

export interface EncodeOptions {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly out: string;
  readonly crf?: number;
}

export function encoderArgs(o: EncodeOptions, frameCount: number): string[] {
  const seconds = (frameCount / o.fps).toFixed(3);
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${o.width}x${o.height}`, '-framerate', String(o.fps), '-i', 'pipe:0',
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    '-map', '0:v:0', '-map', '1:a:0',
    '-c:v', 'libx264', '-preset', 'medium', '-crf', String(o.crf ?? 20), '-pix_fmt', 'yuv420p', '-threads', '1',
    '-c:a', 'aac', '-b:a', '64k', '-ac', '1',
    '-t', seconds, '-movflags', '+faststart', o.out,
  ];
}

/** Encodes `frames` (each width·height·3 bytes of RGB24) to `o.out`. */
export async function encodeClip(frames: Iterable<Uint8Array>, frameCount: number, o: EncodeOptions): Promise<void> {
  const { ffmpegPath } = await resolveFfmpeg();
  const argv = encoderArgs(o, frameCount);
  // '-nostdin' only stops ffmpeg reading the terminal; pipe:0 is still our frame stream.
  const child = spawn(ffmpegPath, argv.filter((a) => a !== '-nostdin'), { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-8000); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res, rej) => {
    child.once('error', rej);
    child.once('close', (code, signal) => res({ code, signal }));
  });
  child.stdin.on('error', () => { /* EPIPE if ffmpeg died early: reported through its exit status */ });
  try {
    for (const frame of frames) {
      if (frame.length !== o.width * o.height * 3) throw new RangeError(`frame of ${frame.length} bytes, expected ${o.width * o.height * 3}`);
      if (!child.stdin.write(frame)) await Promise.race([once(child.stdin, 'drain'), exited]);
      if (child.exitCode !== null) break;
    }
    child.stdin.end();
    const { code, signal } = await exited;
    if (code !== 0) {
      throw new FfmpegError(`ffmpeg failed to encode ${o.out}`, { argv: [ffmpegPath, ...argv], exitStatus: code, signal, stderrTail: stderr });
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
