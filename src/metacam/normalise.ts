/**
 * Min-max normalisation into [0,1]. A constant map (max = min, including all-zero) carries no spatial
 * information and becomes all zeros — never NaN — so its thresholded region is empty.
 */
import { camMap, type CamMap } from '../core/cam-map.js';

/** A map's min and its max − min (the span); span 0 or not finite means a constant (or broken) map. */
export function valueRange(d: Float32Array): { readonly min: number; readonly span: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, span: max - min };
}

export function normaliseMinMax(map: CamMap): CamMap {
  const d = map.data;
  const { min, span: range } = valueRange(d);
  const out = new Float32Array(d.length);
  if (range > 0 && Number.isFinite(range)) {
    for (let i = 0; i < d.length; i++) out[i] = (d[i] - min) / range;
  }
  return camMap(map.width, map.height, out);
}
