/**
 * JPEG encoding for the live preview, done by a persistent ffmpeg child (rgb24 on stdin, MJPEG on stdout) so
 * no codec is written by hand and no process is spawned per frame. One child per frame size: a size change
 * ends the old child (its pending frames still complete) and starts a new one. Results settle in call order.
 *
 * `-threads 1` matters: ffmpeg's mjpeg encoder is frame-threaded, which holds each JPEG back until the next
 * frame arrives (a one-frame delay, and a hang for the last frame of a burst).
 */
import { FfmpegError, MetacamError } from '../errors.js';
import { resolveFfmpeg } from '../ingest/ffmpeg-path.js';
import { spawnFfmpeg, type FfmpegProcess } from '../ingest/spawn-ffmpeg.js';
import type { RgbImage } from '../core/frame.js';
import { JpegStreamSplitter } from './jpeg-stream-splitter.js';

export interface JpegEncoderOptions {
  /** ffmpeg `-q:v` for mjpeg: 2 (best, largest) … 31 (worst, smallest). Default 5. */
  readonly quality?: number;
  /** Explicit ffmpeg binary; default from resolveFfmpeg(). */
  readonly ffmpegPath?: string;
}

export interface JpegEncoder {
  /** Encodes one RGB24 image; promises settle in call order. Rejects after close(). */
  encode(img: RgbImage): Promise<Buffer>;
  /** Kills the ffmpeg child; pending encodes reject. Safe to call twice. */
  close(): Promise<void>;
  /** Number of ffmpeg children started so far (one per frame-size change); for tests and diagnostics. */
  readonly restarts: number;
}

interface Pending {
  resolve(b: Buffer): void;
  reject(e: Error): void;
}

/** One ffmpeg child for one frame size (started through the one spawner: exit hook, typed errors). */
class SizedEncoder {
  readonly proc: FfmpegProcess;
  readonly argv: string[];
  private readonly queue: Pending[] = [];
  private readonly splitter = new JpegStreamSplitter();
  private failure: Error | undefined;
  readonly exited: Promise<void>;
  private killing = false;

  constructor(ffmpegPath: string, readonly width: number, readonly height: number, quality: number) {
    this.argv = [
      '-hide_banner', '-loglevel', 'error', '-nostats',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-',
      '-threads', '1', '-vsync', '0', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', String(quality), '-',
    ];
    this.proc = spawnFfmpeg(ffmpegPath, this.argv, { stdin: true, label: `JPEG encoder ${width}x${height}` });
    this.proc.stdout.on('data', (chunk: Buffer) => {
      let images: Buffer[];
      try {
        images = this.splitter.push(chunk);
      } catch (e) {
        this.fail(new MetacamError('E_FFMPEG_FAILED', `ffmpeg produced a corrupt MJPEG stream: ${(e as Error).message}`));
        this.kill();
        return;
      }
      for (const img of images) {
        const p = this.queue.shift();
        if (p) p.resolve(img);
      }
    });
    // The child has exited and its stdout is drained (JPEGs written just before exit still arrive first).
    const stdoutClosed = new Promise<void>((resolve) => { this.proc.stdout.once('close', resolve); this.proc.stdout.once('end', resolve); });
    this.exited = Promise.allSettled([this.proc.done, stdoutClosed]).then(([exit]) => {
      if (this.queue.length > 0) {
        this.fail(
          exit.status === 'rejected' && !this.killing
            ? (exit.reason as Error)
            : this.killing
              ? new MetacamError('E_INTERRUPTED', 'JPEG encoder closed before the frame was encoded')
              : new FfmpegError('ffmpeg JPEG encoder exited with frames pending', {
                  argv: this.proc.argv, exitStatus: 0, signal: null, stderrTail: this.proc.stderrTail(),
                }),
        );
      }
      this.failure ??= exit.status === 'rejected' ? (exit.reason as Error) : new MetacamError('E_FFMPEG_FAILED', 'JPEG encoder child has exited');
    });
  }

  get alive(): boolean {
    return this.failure === undefined && !this.proc.exited && !this.proc.stdin!.writableEnded;
  }

  submit(img: RgbImage): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.queue.push({ resolve, reject });
      // The caller bounds how many frames are in flight (it awaits), so Node's stdin buffer stays small.
      this.proc.stdin!.write(img.data);
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.queue.splice(0)) p.reject(e);
  }

  /** Lets pending frames finish, then the child exits by itself. */
  end(): void {
    if (!this.proc.stdin!.writableEnded) this.proc.stdin!.end();
  }

  kill(): void {
    this.killing = true;
    this.proc.kill('SIGKILL');
  }
}

function checkImage(img: RgbImage): void {
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new MetacamError('E_ARG', `JPEG encoder: image size must be positive integers, got ${width}x${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new MetacamError('E_ARG', `JPEG encoder: ${width}x${height} RGB24 needs ${width * height * 3} bytes, got ${data.length}`);
  }
}

export function createJpegEncoder(options: JpegEncoderOptions = {}): JpegEncoder {
  const quality = options.quality ?? 5;
  if (!Number.isInteger(quality) || quality < 2 || quality > 31) {
    throw new MetacamError('E_ARG', `JPEG quality must be an integer 2 (best) … 31 (smallest), got ${quality}`);
  }
  let current: SizedEncoder | undefined;
  const retiring = new Set<SizedEncoder>();
  let last: Promise<unknown> = Promise.resolve();
  let closed = false;
  let closing: Promise<void> | undefined;
  let restarts = 0;
  let ffmpegPath: Promise<string> | undefined;
  const path = () => (ffmpegPath ??= options.ffmpegPath ? Promise.resolve(options.ffmpegPath) : resolveFfmpeg().then((i) => i.ffmpegPath));

  async function child(img: RgbImage): Promise<SizedEncoder> {
    const bin = await path();
    if (closed) throw new MetacamError('E_INTERRUPTED', 'JPEG encoder is closed');
    if (current && current.alive && current.width === img.width && current.height === img.height) return current;
    if (current) {
      const old = current;
      retiring.add(old);
      old.end();
      void old.exited.then(() => retiring.delete(old));
    }
    current = new SizedEncoder(bin, img.width, img.height, quality);
    restarts++;
    return current;
  }

  // Serialise child selection so two encodes racing over a size change cannot spawn twice.
  let selecting: Promise<unknown> = Promise.resolve();

  return {
    encode(img: RgbImage): Promise<Buffer> {
      if (closed) return Promise.reject(new MetacamError('E_INTERRUPTED', 'JPEG encoder is closed'));
      try {
        checkImage(img);
      } catch (e) {
        return Promise.reject(e);
      }
      const submitted = (selecting = selecting.catch(() => {}).then(() => child(img).then((c) => ({ p: c.submit(img) }))));
      const result = submitted.then((s) => (s as { p: Promise<Buffer> }).p);
      // Settle in call order, even across a child restart.
      const ordered = last.catch(() => {}).then(() => result);
      last = ordered;
      return ordered;
    },
    close(): Promise<void> {
      closed = true;
      closing ??= (async () => {
        const all = [...retiring, ...(current ? [current] : [])];
        for (const c of all) c.kill();
        await Promise.all(all.map((c) => c.exited));
      })();
      return closing;
    },
    get restarts() {
      return restarts;
    },
  };
}
