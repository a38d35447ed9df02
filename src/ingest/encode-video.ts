/**
 * encodeVideo: the pipeline's sink. Subscribes to an Observable of RGB24 images (or frames carrying `.image`),
 * writes them to one ffmpeg (see encode-args.ts) and resolves when the MP4 is complete.
 *
 * - Written to `<stem>.partial.mp4`, renamed to the final name only on success. On a source error, an abort
 *   (`signal`) or an encoder failure the partial file is kept — it is a fragmented MP4, so everything up to the
 *   last finished fragment plays — and the promise rejects with a typed error (the source's own error,
 *   E_INTERRUPTED, E_OUTPUT_WRITE or E_FFMPEG_FAILED). On source error/abort ffmpeg's stdin is closed cleanly
 *   first, so every frame already written is in the partial file.
 * - Never queues without bound: it waits for `drain` on ffmpeg's stdin, and frames arriving meanwhile wait in
 *   a queue that is bounded by the shared `flow` (one credit released per frame written) or, without a flow,
 *   by `maxQueued` (exceeding it fails with a message saying to pass a flow).
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Observable, Subscription } from 'rxjs';
import { FfmpegError, MetacamError } from '../errors.js';
import { encodeArgs, fpsValue } from './encode-args.js';
import { evenSize } from './even-size.js';
import { resolveFfmpeg } from './ffmpeg-path.js';
import type { Flow } from './flow.js';
import type { RgbImage } from '../core/frame.js';
import { partialPathFor } from './partial-path.js';
import { spawnFfmpeg } from './spawn-ffmpeg.js';

export type Encodable = RgbImage | { readonly image: RgbImage };

export interface EncodeVideoOptions {
  readonly output: string;
  readonly fps: number | string;
  readonly width: number;
  readonly height: number;
  /** Source file whose audio is carried into the output (absent audio is fine). */
  readonly audioFrom?: string;
  /** Release one credit per frame written (the same flow the source acquires from). */
  readonly flow?: Flow;
  readonly crf?: number;
  readonly preset?: string;
  /** Abort = stop taking frames, write the ones already taken, finish the partial file, reject with E_INTERRUPTED. */
  readonly signal?: AbortSignal;
  /** Without a flow: frames allowed to wait for the encoder before failing (default 64). */
  readonly maxQueued?: number;
  /** Called with the encoder's pid once spawned (diagnostics, fault-injection tests). */
  readonly onSpawn?: (pid: number | undefined) => void;
  /**
   * Called with each frame's pixel buffer once ffmpeg has taken it (the pipe write completed), so the caller
   * can recycle it (e.g. `pool.release`). Not called for frames that were never written (a failed run).
   */
  readonly onWritten?: (data: Uint8Array) => void;
  /** Run ffmpeg at this lower CPU priority (niceness 1–19), so a busy inference thread keeps its core. */
  readonly niceness?: number;
}

export interface EncodeResult {
  readonly output: string;
  readonly frames: number;
  readonly fps: number;
  /** Encoded size (even; may be one pixel larger than the input, see `notes`). */
  readonly width: number;
  readonly height: number;
  readonly padded: boolean;
  readonly notes: readonly string[];
  readonly seconds: number;
}

function imageOf(item: Encodable): RgbImage {
  return 'image' in item ? item.image : item;
}

function outputError(output: string, e: FfmpegError): MetacamError {
  const tail = e.stderrTail;
  if (/No space left|Disk quota/i.test(tail)) {
    return new MetacamError('E_OUTPUT_WRITE', `Writing ${output} failed: the disk is full. Free space or choose another -o; the frames written so far are in ${partialPathFor(output)}.`, { cause: e });
  }
  if (/Permission denied|Read-only file system|No such file or directory/i.test(tail)) {
    return new MetacamError('E_OUTPUT_WRITE', `Cannot write ${output}: ${tail.trim().split('\n').pop()}. Choose a writable -o.`, { cause: e });
  }
  return e;
}

export async function encodeVideo(frames$: Observable<Encodable>, options: EncodeVideoOptions): Promise<EncodeResult> {
  const { output, width, height, flow } = options;
  const partial = partialPathFor(output);
  const started = Date.now();
  const frameBytes = width * height * 3;
  const maxQueued = options.maxQueued ?? 64;
  if (options.signal?.aborted) throw new MetacamError('E_INTERRUPTED', `Encoding ${output} was cancelled before it started.`);

  const argv = encodeArgs({
    output: partial, width, height, fps: options.fps,
    ...(options.audioFrom !== undefined ? { audioFrom: options.audioFrom } : {}),
    ...(options.crf !== undefined ? { crf: options.crf } : {}),
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
  });
  const { ffmpegPath } = await resolveFfmpeg();
  try {
    await mkdir(dirname(output), { recursive: true });
  } catch (e) {
    throw new MetacamError('E_OUTPUT_WRITE', `Cannot create the folder for ${output}: ${(e as Error).message}. Choose a writable -o.`, { cause: e });
  }
  const proc = spawnFfmpeg(ffmpegPath, argv, {
    stdin: true, label: `encoding ${output}`, ...(options.niceness !== undefined ? { niceness: options.niceness } : {}),
  });
  options.onSpawn?.(proc.pid);
  const stdin = proc.stdin!;

  return new Promise<EncodeResult>((resolve, reject) => {
    const queue: Uint8Array[] = [];
    let written = 0;
    let writing = false;
    let sourceDone = false;
    let failure: unknown;
    let finishing = false;
    let subscription: Subscription | undefined;

    const fail = (e: unknown) => {
      failure ??= e;
      subscription?.unsubscribe();
      if (flow) flow.release(queue.length);
      queue.length = 0;
      sourceDone = true;
      pump();
    };

    // An abort stops taking frames; every frame already accepted is still written, so the partial file holds
    // exactly the frames the source handed over before the abort, however far the encoder was behind.
    let interrupted = false;
    const onAbort = () => {
      interrupted = true;
      subscription?.unsubscribe();
      sourceDone = true;
      pump();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = async () => {
      if (finishing) return;
      finishing = true;
      options.signal?.removeEventListener('abort', onAbort);
      stdin.end();
      let exitError: unknown;
      try {
        await proc.done;
      } catch (e) {
        exitError = e instanceof FfmpegError ? outputError(output, e) : e;
      } finally {
        proc.kill();
      }
      const err = failure ?? (interrupted
        ? new MetacamError('E_INTERRUPTED', `Encoding was interrupted after ${written} frames; the playable partial video is ${partial}.`)
        : exitError);
      if (err === undefined && written === 0) {
        await rm(partial, { force: true });
        reject(new MetacamError('E_INPUT_INVALID', `No frames reached the encoder, so ${output} was not written. Check the input has video frames.`));
        return;
      }
      if (err !== undefined) {
        reject(err);
        return;
      }
      try {
        await rename(partial, output);
      } catch (e) {
        reject(new MetacamError('E_OUTPUT_WRITE', `Encoded ${partial} but could not rename it to ${output}: ${(e as Error).message}`, { cause: e }));
        return;
      }
      const even = evenSize(width, height);
      resolve({
        output, frames: written, fps: fpsValue(options.fps), width: even.width, height: even.height,
        padded: even.padded, notes: even.note ? [even.note] : [], seconds: (Date.now() - started) / 1000,
      });
    };

    // One writer loop; waits for 'drain' whenever the pipe is full.
    function pump(): void {
      if (writing) return;
      writing = true;
      (async () => {
        // A killed ffmpeg breaks the pipe (EPIPE) before its 'exit' arrives: stdin is then already destroyed and
        // its 'close' already emitted, so waiting for 'drain'/'close' would hang forever. Stop writing instead;
        // proc.done's rejection then fails the run.
        while (queue.length > 0 && !proc.exited && !stdin.destroyed) {
          const data = queue.shift()!;
          const ok = stdin.write(data, (err) => {
            if (err) return;
            options.onWritten?.(data);
            flow?.release();
          });
          written++;
          if (!ok && !stdin.destroyed) {
            await new Promise<void>((r) => {
              const done = () => { stdin.off('drain', done); stdin.off('close', done); r(); };
              stdin.on('drain', done);
              stdin.on('close', done);
            });
          }
        }
        writing = false;
        if (sourceDone && queue.length === 0) void finish();
      })().catch(fail);
    }

    proc.done.then(
      () => stdin.destroy(),
      (e: unknown) => {
        // Once ffmpeg is gone a pending 'drain' never comes: destroying stdin emits 'close' and wakes the writer.
        stdin.destroy();
        // ffmpeg died while frames were still coming: stop the source, keep the partial file.
        if (!finishing) fail(e instanceof FfmpegError ? outputError(output, e) : e);
      },
    );

    subscription = frames$.subscribe({
      next(item) {
        if (failure !== undefined || interrupted) return;
        const img = imageOf(item);
        if (img.width !== width || img.height !== height || img.data.length !== frameBytes) {
          fail(new MetacamError('E_INTERNAL',
            `encodeVideo(${output}) was set up for ${width}x${height} RGB24 but got ${img.width}x${img.height} (${img.data.length} bytes) at frame ${written + queue.length}.`));
          return;
        }
        if (!flow && queue.length >= maxQueued) {
          fail(new MetacamError('E_INTERNAL',
            `encodeVideo(${output}): ${maxQueued} frames waiting for the encoder; the source is faster than the encoder. Pass the same \`flow\` to the source and to encodeVideo.`));
          return;
        }
        queue.push(img.data);
        pump();
      },
      error(e: unknown) {
        failure ??= e;
        sourceDone = true;
        pump();
      },
      complete() {
        sourceDone = true;
        pump();
      },
    });
  });
}
