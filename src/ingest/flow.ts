/**
 * Credit-based flow control between a source and the end of a pipeline. RxJS has no backpressure, so the
 * source asks for a credit (`await acquire()`) before emitting each frame and the last stage gives it back
 * (`release()`) once the frame is finished. At most `highWaterMark` frames are then in flight anywhere in the
 * pipeline, whatever operators sit in between; while the source waits it stops reading ffmpeg's stdout, the
 * pipe fills, and ffmpeg blocks. (The same idea as the Reactive Streams `request(n)`, without a library.)
 */
import { MetacamError } from '../errors.js';

export interface Flow {
  /** Resolves when a credit is available (and takes it). Rejects with E_INTERRUPTED once closed. */
  acquire(): Promise<void>;
  /** Returns n credits (default 1). Extra releases beyond what is in flight are ignored. */
  release(n?: number): void;
  /** Credits taken and not yet released. */
  readonly inFlight: number;
  /** The most credits ever in flight at once (for tests and diagnostics). */
  readonly peakInFlight: number;
  readonly highWaterMark: number;
  readonly closed: boolean;
  /** Rejects pending and future acquires; idempotent. */
  close(): void;
}

export interface FlowOptions {
  readonly highWaterMark: number;
}

export function createFlow({ highWaterMark }: FlowOptions): Flow {
  if (!Number.isInteger(highWaterMark) || highWaterMark < 1) {
    throw new MetacamError('E_ARG', `flow highWaterMark must be an integer ≥ 1, got ${highWaterMark}`);
  }
  let inFlight = 0;
  let peak = 0;
  let closed = false;
  const waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  const closedError = () => new MetacamError('E_INTERRUPTED', 'flow closed: the pipeline was stopped');

  const take = () => {
    inFlight++;
    if (inFlight > peak) peak = inFlight;
  };
  const grant = () => {
    while (!closed && waiters.length > 0 && inFlight < highWaterMark) {
      take();
      waiters.shift()!.resolve();
    }
  };

  return {
    acquire() {
      if (closed) return Promise.reject(closedError());
      if (waiters.length === 0 && inFlight < highWaterMark) {
        take();
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    },
    release(n = 1) {
      inFlight = Math.max(0, inFlight - n);
      grant();
    },
    get inFlight() { return inFlight; },
    get peakInFlight() { return peak; },
    highWaterMark,
    get closed() { return closed; },
    close() {
      if (closed) return;
      closed = true;
      const err = closedError();
      for (const w of waiters.splice(0)) w.reject(err);
    },
  };
}
