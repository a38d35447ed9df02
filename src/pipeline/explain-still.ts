/** One still image through the same stages as a video frame: explain → MetaCAM (no smoothing) → overlay. */
import type { Frame, RgbImage } from '../ingest/frame.js';
import type { FrameMaps } from '../explain/explained-batch.js';
import { createMetaCam } from '../metacam/create-metacam.js';
import type { ExplanationMaps, FrameExplanation } from '../metacam/frame-explanation.js';
import { overlayFrame, resizeRgb, type OverlayOptions } from '../overlay/index.js';
import type { Session } from './session.js';

export interface StillResult {
  readonly frameMaps: FrameMaps;
  readonly explanation: FrameExplanation;
  readonly maps: ExplanationMaps;
  readonly overlay: RgbImage;
}

export function stillFrame(image: RgbImage, inputSize: { width: number; height: number }): Frame {
  const input = image.width === inputSize.width && image.height === inputSize.height ? image : resizeRgb(image, inputSize.width, inputSize.height);
  return { index: 0, ptsSeconds: 0, image, input };
}

export async function explainStill(session: Session, image: RgbImage, o: { topK: number; binary: boolean; overlay: OverlayOptions }): Promise<StillResult> {
  const frame = stillFrame(image, session.model.inputSize);
  const [frameMaps] = await session.explainer.explainBatch([frame]);
  const metacam = createMetaCam({ members: session.members.map((m) => m.id), topK: o.topK, binary: o.binary, smoothSeconds: 0 });
  const { explanation, maps } = metacam.explain(frame, frameMaps!, session.model.labels);
  const overlay = overlayFrame(image, explanation, maps, o.overlay);
  return { frameMaps: frameMaps!, explanation, maps, overlay };
}
