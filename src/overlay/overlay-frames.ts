/**
 * The overlay step of the per-frame stage: `{frame, explanation, maps}` → the same item plus the rendered
 * `overlay` and `overlayMs`, with `explanation.timings.overlay` set too (for the audit log and the preview).
 * `overlayItem` does one item; `overlayFrames` is the RxJS operator over it, with options validated when the
 * operator is created, so a bad flag fails before any frame.
 */
import { map, type OperatorFunction } from 'rxjs';
import type { Frame, RgbImage } from '../core/frame.js';
import type { ExplanationMaps, FrameExplanation } from '../core/frame-explanation.js';
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

/** Renders one item with resolved options, into `into` when given (a recycled buffer of the output size). */
export function overlayItem<T extends OverlayInput>(item: T, o: OverlayOptions, into?: Uint8Array): WithOverlay<T> {
  const t0 = performance.now();
  const overlay = renderOverlay(item.frame.image, item.explanation, item.maps, o, into);
  const overlayMs = performance.now() - t0;
  const explanation: FrameExplanation = { ...item.explanation, timings: { ...item.explanation.timings, overlay: overlayMs } };
  return { ...item, explanation, overlay, overlayMs };
}

export interface OverlayFramesHow {
  /** Supplies the buffer each overlay is drawn into (e.g. a BufferPool's acquire); fresh buffers when absent. */
  readonly acquire?: () => Uint8Array;
}

export function overlayFrames<T extends OverlayInput>(options: Partial<OverlayOptions> = {}, how: OverlayFramesHow = {}): OperatorFunction<T, WithOverlay<T>> {
  const o = resolveOverlayOptions(options);
  return map((item: T) => overlayItem(item, o, how.acquire?.()));
}
