/**
 * liveFrames: a camera, stream, testsrc or real-time file as an Observable of frames that is lossy by design.
 * ffmpeg is read continuously and only the newest frame is kept; a frame is emitted when the consumer has
 * demand — a credit from `flow` (use highWaterMark 1 and release when a frame is done) — so latency stays
 * bounded when explanation is slower than the camera. Overwritten frames are counted in `Frame.dropped`
 * (cumulative). Without a flow nothing is dropped: every frame is emitted as it completes. `index` is the source's frame number (it skips dropped frames); `ptsSeconds` is wall-clock
 * time since the first frame and `capturedAt` the time the frame left ffmpeg.
 *
 * A source that stalls (no frame for `stallTimeoutMs`) or ends is reported through `onEvent`; network
 * sources (rtsp, http) are then restarted with exponential back-off (bounded by `retry`), others complete
 * (a file or testsrc that ended) or fail (a stalled camera) with a typed error.
 */
import { Observable } from 'rxjs';
import { FfmpegError, MetacamError } from '../errors.js';
import { decodeArgs } from './decode-args.js';
import { resolveFfmpeg } from './ffmpeg-path.js';
import type { Flow } from './flow.js';
import { FramePairReader, type FramePair } from './frame-pair-reader.js';
import type { Frame } from '../core/frame.js';
import { describeLiveSource, isNetworkSource, liveInputArgs, parseLiveSource, type LiveSource } from './live-source.js';
import { pngSize } from './png-size.js';
import { probeVideo } from './probe-video.js';
import { runFfmpeg, spawnFfmpeg, type FfmpegProcess } from './spawn-ffmpeg.js';

export type LiveEvent =
  | { readonly type: 'started'; readonly source: string; readonly attempt: number; readonly width: number; readonly height: number; readonly pid: number | undefined }
  | { readonly type: 'stalled'; readonly source: string; readonly afterMs: number }
  | { readonly type: 'disconnected'; readonly source: string; readonly reason: string }
  | { readonly type: 'reconnecting'; readonly source: string; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'ended'; readonly source: string };

export interface RetryOptions {
  /** Consecutive failed attempts (no frame received) before giving up (default 6). */
  readonly maxAttempts?: number;
  readonly initialDelayMs?: number; // default 500
  readonly maxDelayMs?: number; // default 10 000
}

export interface LiveFramesOptions {
  readonly width: number;
  readonly height: number;
  /** Resample the source to this rate in ffmpeg (optional). */
  readonly fps?: number;
  /** Demand: one credit per emitted frame. Without it every frame is emitted as soon as it is complete. */
  readonly flow?: Flow;
  /** Full-size image size; default: the source's size (probed for cameras and streams). */
  readonly fullWidth?: number;
  readonly fullHeight?: number;
  readonly onEvent?: (e: LiveEvent) => void;
  readonly retry?: RetryOptions;
  /** No frame for this long = stalled (default 10 000 ms; the first frame gets twice as long). */
  readonly stallTimeoutMs?: number;
}

/** Back-off delay before attempt n (1-based): initial·2^(n−1), capped. */
export function backoffDelay(attempt: number, retry: RetryOptions = {}): number {
  const initial = retry.initialDelayMs ?? 500;
  const max = retry.maxDelayMs ?? 10_000;
  return Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
}

async function sourceSize(source: LiveSource): Promise<{ width: number; height: number }> {
  if (source.kind === 'testsrc') return { width: source.width, height: source.height };
  if (source.kind === 'file') return probeVideo(source.path);
  // Decode one frame to PNG and read its header (see png-size.ts for why not ffprobe).
  const { ffmpegPath } = await resolveFfmpeg();
  const input = liveInputArgs(source);
  const png = await runFfmpeg(ffmpegPath, [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', ...input,
    '-frames:v', '1', '-an', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1',
  ], { label: `probing ${describeLiveSource(source)}`, maxStdoutBytes: 256 * 2 ** 20 });
  const size = pngSize(png);
  if (!size) {
    throw new MetacamError('E_INPUT_INVALID', `Live source ${describeLiveSource(source)} gave no video frame. Check the URL or device.`);
  }
  return size;
}

export function liveFrames(source: string | LiveSource, options: LiveFramesOptions): Observable<Frame> {
  const src = typeof source === 'string' ? parseLiveSource(source) : source;
  const name = describeLiveSource(src);
  const network = isNetworkSource(src);
  const stallMs = options.stallTimeoutMs ?? 10_000;
  const maxAttempts = options.retry?.maxAttempts ?? 6;
  const emit = (e: LiveEvent) => { try { options.onEvent?.(e); } catch { /* a listener must not break the source */ } };

  return new Observable<Frame>((subscriber) => {
    let stopped = false;
    let proc: FfmpegProcess | undefined;
    let reader: FramePairReader | undefined;
    let stallTimer: NodeJS.Timeout | undefined;
    let sleepTimer: NodeJS.Timeout | undefined;
    let wakeSleep: (() => void) | undefined;
    let size: { width: number; height: number } | undefined;
    let seqBase = 0;
    let droppedBase = 0;
    let t0: number | undefined;
    let failures = 0;

    const stopChild = () => {
      clearTimeout(stallTimer);
      reader?.destroy();
      proc?.kill();
      reader = undefined;
      proc = undefined;
    };

    const sleep = (ms: number) => new Promise<void>((r) => {
      wakeSleep = r;
      sleepTimer = setTimeout(r, ms);
    });

    /** Starts ffmpeg if none is running; throws on a non-retryable start failure. */
    const start = async (attempt: number) => {
      const { ffmpegPath } = await resolveFfmpeg();
      size ??= options.fullWidth !== undefined && options.fullHeight !== undefined
        ? { width: options.fullWidth, height: options.fullHeight }
        : await sourceSize(src);
      if (stopped) return;
      const argv = decodeArgs({
        inputArgs: liveInputArgs(src), width: options.width, height: options.height,
        ...(options.fps !== undefined ? { fps: options.fps } : {}),
        ...(options.fullWidth !== undefined && options.fullHeight !== undefined ? { fullWidth: size.width, fullHeight: size.height } : {}),
      });
      proc = spawnFfmpeg(ffmpegPath, argv, { extraOutputs: 1, label: `reading ${name}` });
      reader = new FramePairReader(proc.stdout, size.width * size.height * 3, proc.outputs[0]!,
        // Without demand (no flow) every frame goes straight to a synchronous subscriber: nothing to drop.
        options.width * options.height * 3, options.flow ? { mode: 'latest' } : { mode: 'lossless', maxBuffered: 8 });
      emit({ type: 'started', source: name, attempt, width: size.width, height: size.height, pid: proc.pid });
    };

    /** The newest pair, across reconnects; null when the source has ended for good. */
    const nextPair = async (): Promise<FramePair | null> => {
      for (;;) {
        if (stopped) return null;
        let reason: string;
        let stalled = false;
        try {
          if (!proc) await start(failures + 1);
          if (stopped || !reader || !proc) return null;
          const r = reader;
          const p = proc;
          const timeout = t0 === undefined ? stallMs * 2 : stallMs;
          clearTimeout(stallTimer);
          stallTimer = setTimeout(() => {
            stalled = true;
            emit({ type: 'stalled', source: name, afterMs: timeout });
            p.kill();
            r.destroy();
          }, timeout);
          const pair = await r.next();
          clearTimeout(stallTimer);
          if (pair) {
            failures = 0;
            return pair;
          }
          if (stopped) return null;
          // The stream ended: why?
          seqBase += r.produced;
          droppedBase += r.dropped;
          const exit = await p.done.then(() => undefined, (e: unknown) => e);
          stopChild();
          if (!stalled && exit === undefined && !network) {
            emit({ type: 'ended', source: name });
            return null;
          }
          reason = stalled ? `no frame for ${timeout} ms` : exit instanceof FfmpegError ? exit.message.split('\n')[0]! : 'stream ended';
          if (!network) {
            throw stalled
              ? new MetacamError('E_FFMPEG_FAILED', `Live source ${name} stalled (${reason}). Check the device is connected and not used by another program.`)
              : exit;
          }
        } catch (e) {
          if (!network || stopped) throw e;
          stopChild();
          reason = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        }
        emit({ type: 'disconnected', source: name, reason });
        failures++;
        if (failures > maxAttempts) {
          throw new MetacamError('E_FFMPEG_FAILED',
            `Live source ${name} failed ${failures} times in a row (last: ${reason}). Check the URL and that the stream is up.`);
        }
        const delayMs = backoffDelay(failures, options.retry);
        emit({ type: 'reconnecting', source: name, attempt: failures, delayMs });
        await sleep(delayMs);
      }
    };

    const run = async () => {
      for (;;) {
        if (options.flow) await options.flow.acquire();
        const pair = stopped ? null : await nextPair();
        if (stopped || !pair) {
          options.flow?.release();
          if (!stopped) subscriber.complete();
          return;
        }
        t0 ??= pair.at;
        const dropped = droppedBase + (reader?.dropped ?? 0);
        subscriber.next({
          index: seqBase + pair.sequence,
          ptsSeconds: (pair.at - t0) / 1000,
          image: { width: size!.width, height: size!.height, data: pair.image },
          input: { width: options.width, height: options.height, data: pair.input },
          dropped,
          capturedAt: pair.at,
        });
      }
    };

    run().catch((e: unknown) => {
      stopChild();
      if (!stopped) subscriber.error(e);
    });

    return () => {
      stopped = true;
      clearTimeout(sleepTimer);
      wakeSleep?.();
      stopChild();
    };
  });
}
