/** One still image through the same per-frame stage as a video frame: explain → MetaCAM (no smoothing) → overlay. */
import type { Frame, RgbImage } from '../core/frame.js';
import type { FrameMaps } from '../core/frame-maps.js';
import type { ExplanationMaps, FrameExplanation } from '../core/frame-explanation.js';
import type { MetaCamSettings } from '../metacam/metacam-settings.js';
import { resizeRgb, type OverlayOptions } from '../overlay/index.js';
import { createFrameStage } from './frame-stage.js';
import type { Session } from './session.js';

export interface StillResult {
  readonly frameMaps: FrameMaps;
  readonly explanation: FrameExplanation;
  readonly maps: ExplanationMaps;
  readonly overlay: RgbImage;
}

export interface StillOptions extends Partial<Pick<MetaCamSettings, 'topK' | 'binary' | 'consensus' | 'weights'>> {
  readonly overlay?: Partial<OverlayOptions>;
}

export function stillFrame(image: RgbImage, inputSize: { width: number; height: number }): Frame {
  const input = image.width === inputSize.width && image.height === inputSize.height ? image : resizeRgb(image, inputSize.width, inputSize.height);
  return { index: 0, ptsSeconds: 0, image, input };
}

export async function explainStill(session: Session, image: RgbImage, o: StillOptions = {}): Promise<StillResult> {
  const stage = createFrameStage({
    members: session.members, labels: session.model.labels,
    metacam: { topK: o.topK, binary: o.binary, consensus: o.consensus, weights: o.weights, smoothSeconds: 0, smoothMaps: 0 }, overlay: o.overlay,
  });
  const frame = stillFrame(image, session.model.inputSize);
  const [frameMaps] = await session.explainer.explainBatch([frame]);
  const { explanation, maps, overlay } = stage.render(stage.explain(frame, frameMaps!));
  return { frameMaps: frameMaps!, explanation, maps, overlay };
}
