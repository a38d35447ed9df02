/**
 * Min-max normalisation into [0,1]. A constant map (max = min, including all-zero) carries no spatial
 * information and becomes all zeros — never NaN — so its thresholded region is empty.
 */
import { camMap, type CamMap } from '../core/cam-map.js';

export function normaliseMinMax(map: CamMap): CamMap {
  const d = map.data;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Float32Array(d.length);
  const range = max - min;
  if (range > 0 && Number.isFinite(range)) {
    for (let i = 0; i < d.length; i++) out[i] = (d[i] - min) / range;
  }
  return camMap(map.width, map.height, out);
}
