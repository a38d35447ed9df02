import { map, type OperatorFunction } from 'rxjs';
import type { Frame } from '../ingest/frame.js';
import type { FrameMaps } from '../explain/explained-batch.js';
import { createMetaCam, type MetaCamOptions } from '../metacam/create-metacam.js';
import type { ExplanationMaps, FrameExplanation } from '../metacam/frame-explanation.js';
import type { Session } from './session.js';

export interface MetaCamItem {
  readonly frame: Frame;
  readonly explanation: FrameExplanation;
  readonly maps: ExplanationMaps;
}

/**
 * RxJS operator: per-frame member maps (from `explainFrames`) → MetaCAM explanation with thresholds smoothed
 * over time. One smoother state per subscription, so the operator can be reused across streams.
 */
export function withMetaCam(session: Pick<Session, 'members' | 'model'>, options: Partial<Omit<MetaCamOptions, 'members'>> = {}): OperatorFunction<{ frame: Frame; maps: FrameMaps }, MetaCamItem> {
  return (source) => {
    const metacam = createMetaCam({ ...options, members: session.members.map((m) => m.id) });
    return source.pipe(map(({ frame, maps }) => ({ frame, ...metacam.explain(frame, maps, session.model.labels) })));
  };
}
