/**
 * The engine's hand-off of normalised maps: [N,h,w] values → one CamMap per frame. The maths the engine applies
 * to every method's raw map (ReLU, then per-frame min-max as pytorch-grad-cam's BaseCAM does) lives with the
 * methods in methods/base.ts (`normalizeCam`, `weightedSum`), so there is one definition of it.
 */
import type { CamMap } from '../../core/cam-map.js';

/** Splits [N,h,w] values into N CamMaps (copies, so the tensor's buffer can go). */
export function toCamMaps(values: Float32Array, n: number, h: number, w: number): CamMap[] {
  const maps: CamMap[] = [];
  for (let i = 0; i < n; i++) maps.push({ width: w, height: h, data: values.slice(i * h * w, (i + 1) * h * w) });
  return maps;
}
