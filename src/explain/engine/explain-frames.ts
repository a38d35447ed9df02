/**
 * RxJS operator: frames in, `{frame, maps}` out, in order. Frames are grouped into batches — a first batch of
 * `firstBatch` (default: the batch size), then full ones, and the last partial batch when the source completes,
 * so nothing is held back — and explained one batch at a time (concatMap: at most one batch at the explainer,
 * results keep the source order).
 *
 * For an explainer in a worker thread (explainVideo): a small first batch lets inference start while the decoder
 * is still filling the next one (results do not depend on the grouping: each frame is explained on its own,
 * checked bit for bit on MobileNetV2), and a batch's results go downstream in later microtasks, so the next batch
 * is handed to the explainer before a synchronous consumer renders the last one's overlays.
 */
import { asapScheduler, concatMap, from, Observable, observeOn, type OperatorFunction } from 'rxjs';
import { MetacamError } from '../../errors.js';
import type { Frame } from '../../core/frame.js';
import type { FrameMaps } from '../../core/frame-maps.js';
import type { Explainer } from './explainer.js';

export interface ExplainedFrame {
  readonly frame: Frame;
  readonly maps: FrameMaps;
}

export interface ExplainFramesOptions {
  /** Frames per batch (default: the explainer's). */
  readonly batchSize?: number;
  /** Frames in the first batch (default: the batch size; at most the batch size). */
  readonly firstBatch?: number;
}

function positive(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new MetacamError('E_ARG', `${name} must be a positive integer, got ${n}`);
  return n;
}

/** Groups a stream into arrays: the first of `first` items, then of `size`; the remainder when it completes. */
export function batchesOf<T>(first: number, size: number): OperatorFunction<T, T[]> {
  positive('first batch size', first);
  positive('batch size', size);
  return (source) => new Observable<T[]>((subscriber) => {
    let buffer: T[] = [];
    let want = first;
    return source.subscribe({
      next(item) {
        buffer.push(item);
        if (buffer.length >= want) {
          const batch = buffer;
          buffer = [];
          want = size;
          subscriber.next(batch);
        }
      },
      error(e: unknown) {
        buffer = [];
        subscriber.error(e);
      },
      complete() {
        if (buffer.length > 0) subscriber.next(buffer);
        buffer = [];
        subscriber.complete();
      },
    });
  });
}

export function explainFrames(explainer: Pick<Explainer, 'explainBatch' | 'batchSize'>, options: ExplainFramesOptions = {}): OperatorFunction<Frame, ExplainedFrame> {
  const size = positive('batch size', options.batchSize ?? explainer.batchSize);
  const first = Math.min(size, positive('first batch size', options.firstBatch ?? size));
  return (source) =>
    source.pipe(
      batchesOf<Frame>(first, size),
      concatMap(async (batch) => {
        const maps = await explainer.explainBatch(batch);
        return batch.map((frame, i) => ({ frame, maps: maps[i]! }));
      }),
      observeOn(asapScheduler),
      concatMap((items) => from(items)),
    );
}
