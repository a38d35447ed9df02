/**
 * RxJS operator: adds the rendered overlay to each explained item, `{frame, explanation, maps}` →
 * the same item plus `overlay` and `overlayMs`, with `explanation.timings.overlay` set too (for the audit log
 * and the preview). Options are validated when the operator is created, so a bad flag fails before any frame.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { Frame, RgbImage } from '../ingest/frame.js';
import type { ExplanationMaps, FrameExplanation } from '../metacam/frame-explanation.js';
import { renderOverlay } from './overlay-frame.js';
import { resolveOverlayOptions, type OverlayOptions } from './overlay-options.js';

export interface OverlayInput {
  readonly frame: Frame;
  readonly explanation: FrameExplanation;
  readonly maps: ExplanationMaps;
}

export type WithOverlay<T extends OverlayInput> = Omit<T, 'explanation'> & {
  readonly explanation: FrameExplanation;
  /** The rendered frame (or grid) to encode. */
  readonly overlay: RgbImage;
  /** Milliseconds spent rendering it. */
  readonly overlayMs: number;
};

export function overlayFrames<T extends OverlayInput>(options: Partial<OverlayOptions> = {}): OperatorFunction<T, WithOverlay<T>> {
  const o = resolveOverlayOptions(options);
  return map((item: T): WithOverlay<T> => {
    const t0 = performance.now();
    const overlay = renderOverlay(item.frame.image, item.explanation, item.maps, o);
    const overlayMs = performance.now() - t0;
    const explanation: FrameExplanation = {
      ...item.explanation,
      timings: { ...item.explanation.timings, overlay: overlayMs },
    };
    return { ...item, explanation, overlay, overlayMs };
  });
}
