/**
 * RxJS operator: frames in, `{frame, maps}` out, in order. Frames are grouped into batches (bufferCount emits
 * the last partial batch when the source completes, so nothing is held back) and explained one batch at a time
 * (concatMap: at most one batch in flight, results keep the source order).
 */
import { bufferCount, concatMap, from, type OperatorFunction } from 'rxjs';
import { MetacamError } from '../errors.js';
import type { Frame } from '../ingest/frame.js';
import type { FrameMaps } from './explained-batch.js';
import type { Explainer } from './explainer.js';

export interface ExplainedFrame {
  readonly frame: Frame;
  readonly maps: FrameMaps;
}

export function explainFrames(explainer: Pick<Explainer, 'explainBatch' | 'batchSize'>, options: { batchSize?: number } = {}): OperatorFunction<Frame, ExplainedFrame> {
  const size = options.batchSize ?? explainer.batchSize;
  if (!Number.isInteger(size) || size < 1) throw new MetacamError('E_ARG', `batch size must be a positive integer, got ${size}`);
  return (source) =>
    source.pipe(
      bufferCount(size),
      concatMap(async (batch) => {
        const maps = await explainer.explainBatch(batch);
        return batch.map((frame, i) => ({ frame, maps: maps[i] }));
      }),
      concatMap((items) => from(items)),
    );
}
