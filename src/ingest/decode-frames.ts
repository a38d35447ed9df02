/**
 * decodeFrames: a video file as a cold Observable of frames, each with the full-size image and the model-size
 * input, exactly once and in order. One ffmpeg per subscription; unsubscribing kills it.
 *
 * Backpressure: give a `flow` and the decoder takes a credit before each frame (the pipeline's last stage
 * releases it), so at most `flow.highWaterMark` frames exist downstream; while it waits, it stops reading
 * ffmpeg's pipes and ffmpeg blocks. Without a flow, frames go out as fast as a synchronous subscriber takes
 * them (fine for `tap`/`map`; asynchronous stages need the flow). `highWaterMark` bounds frames buffered
 * inside the decoder itself (default 2).
 *
 * ptsSeconds is index / fps (the container's nominal rate); variable-frame-rate input is decoded frame by
 * frame (no duplication or dropping) and its timestamps are approximated by that rule.
 */
import { Observable } from 'rxjs';
import { MetacamError } from '../errors.js';
import { decodeArgs, fileInputArgs } from './decode-args.js';
import { resolveFfmpeg } from './ffmpeg-path.js';
import type { BufferPool } from './buffer-pool.js';
import type { Flow } from './flow.js';
import { FramePairReader } from './frame-pair-reader.js';
import type { Frame } from '../core/frame.js';
import { probeVideo, type VideoInfo } from './probe-video.js';
import { spawnFfmpeg, type FfmpegProcess } from './spawn-ffmpeg.js';

export interface DecodeFramesOptions {
  /** Model input size. */
  readonly width: number;
  readonly height: number;
  /** Credits shared with the pipeline's last stage (see flow.ts). */
  readonly flow?: Flow;
  /** Frames buffered in the decoder before ffmpeg is paused (default 2). */
  readonly highWaterMark?: number;
  /** Already probed info (skips a second ffprobe). */
  readonly info?: VideoInfo;
  /** Scale the full-size image (default: display size). */
  readonly fullWidth?: number;
  readonly fullHeight?: number;
  /** Called with the child's pid once spawned (diagnostics, leak tests). */
  readonly onSpawn?: (pid: number | undefined) => void;
  /**
   * Take the full-size frames' buffers from this pool (its size must be fullWidth·fullHeight·3) instead of
   * allocating each. The subscriber then owns `frame.image.data` and must `release` it to the pool once nothing
   * reads it any more; a buffer never comes back out while it is lent. For pipelines that own the whole frame
   * life (explainVideo); without a pool every frame is a fresh buffer that a subscriber may keep.
   */
  readonly pool?: BufferPool;
  /** Run ffmpeg at this lower CPU priority (niceness 1–19), so a busy inference thread keeps its core. */
  readonly niceness?: number;
  /** Start at this frame of the input (frame-exact, see decode-args.ts); frames keep their input index and pts. */
  readonly startFrame?: number;
}

export function decodeFrames(path: string, options: DecodeFramesOptions): Observable<Frame> {
  return new Observable<Frame>((subscriber) => {
    let stopped = false;
    let proc: FfmpegProcess | undefined;
    let reader: FramePairReader | undefined;
    const { flow } = options;

    const run = async () => {
      const info = options.info ?? (await probeVideo(path));
      const { ffmpegPath } = await resolveFfmpeg();
      if (stopped) return;
      const fullW = options.fullWidth ?? info.width;
      const fullH = options.fullHeight ?? info.height;
      const argv = decodeArgs({
        inputArgs: fileInputArgs(path), width: options.width, height: options.height,
        ...(options.startFrame ? { startFrame: options.startFrame } : {}),
        ...(options.fullWidth !== undefined && options.fullHeight !== undefined ? { fullWidth: fullW, fullHeight: fullH } : {}),
      });
      const { pool } = options;
      if (pool && pool.size !== fullW * fullH * 3) {
        throw new MetacamError('E_INTERNAL', `decodeFrames: the buffer pool holds ${pool.size}-byte buffers but ${fullW}×${fullH} RGB24 frames need ${fullW * fullH * 3}`);
      }
      proc = spawnFfmpeg(ffmpegPath, argv, {
        extraOutputs: 1, label: `decoding ${path}`, ...(options.niceness !== undefined ? { niceness: options.niceness } : {}),
      });
      options.onSpawn?.(proc.pid);
      reader = new FramePairReader(proc.stdout, fullW * fullH * 3, proc.outputs[0]!, options.width * options.height * 3, {
        mode: 'lossless', maxBuffered: options.highWaterMark ?? 2,
        ...(pool ? { allocateFull: () => pool.acquire() } : {}),
      });
      for (let index = options.startFrame ?? 0; ; index++) {
        if (flow) await flow.acquire();
        const pair = stopped ? null : await reader.next();
        if (stopped || !pair) {
          flow?.release();
          if (stopped) return;
          break;
        }
        subscriber.next({
          index,
          ptsSeconds: index / info.fps,
          image: { width: fullW, height: fullH, data: pair.image },
          input: { width: options.width, height: options.height, data: pair.input },
          dropped: 0,
          capturedAt: pair.at,
        });
        if (stopped) return;
      }
      await proc.done; // rejects with FfmpegError when ffmpeg failed or was killed by someone else
      const problem = reader.endProblem;
      if (problem) throw new MetacamError('E_FFMPEG_FAILED', `decoding ${path}: ${problem}. Re-run with a re-encoded copy of the input.`);
      if (!stopped) subscriber.complete();
    };

    run().catch((e: unknown) => {
      if (!stopped) subscriber.error(e);
    });

    return () => {
      stopped = true;
      reader?.destroy();
      proc?.kill();
    };
  });
}
