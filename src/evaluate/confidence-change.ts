/**
 * Average Drop and Increase in Confidence (Chattopadhay et al., Grad-CAM++, WACV 2018), with the perturbation
 * of pytorch-grad-cam's `CamMultImageConfidenceChange`: the explanation image is x ⊙ M (every pixel scaled by
 * the map, resized bilinearly to the image), y = f_c(x), o = f_c(x ⊙ M). Per frame:
 *   drop = max(0, y − o) / y   (Average Drop is its mean; lower is better)
 *   increase = [o > y]         (Increase in Confidence is its mean; higher is better)
 */
import type { CamMap } from '../core/cam-map.js';
import { floatImage, type FloatImage } from './float-image.js';
import { resizeMapBilinear } from './resize-map.js';

export function multiplyByMap(image: FloatImage, map: CamMap): FloatImage {
  const m = resizeMapBilinear(map, image.width, image.height).data;
  const C = image.channels;
  const out = new Float32Array(image.data.length);
  for (let p = 0; p < m.length; p++) for (let c = 0; c < C; c++) out[p * C + c] = image.data[p * C + c]! * m[p]!;
  return floatImage(image.width, image.height, C, out);
}

export function confidenceDrop(y: number, o: number): number {
  return y > 0 ? Math.max(0, y - o) / y : 0;
}

export function confidenceIncreased(y: number, o: number): number {
  return o > y ? 1 : 0;
}
