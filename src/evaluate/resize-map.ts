/**
 * Bilinear resizing of a CAM map to the image's resolution (half-pixel centres, edges clamped — the convention
 * of tf.image.resizeBilinear with halfPixelCenters), so ROAD can rank image pixels by a layer-resolution map.
 */
import { camMap, type CamMap } from '../core/cam-map.js';

export function resizeMapBilinear(map: CamMap, width: number, height: number): CamMap {
  if (map.width === width && map.height === height) return map;
  const out = new Float32Array(width * height);
  const sx = map.width / width;
  const sy = map.height / height;
  const d = map.data;
  for (let i = 0; i < height; i++) {
    const y = Math.min(Math.max((i + 0.5) * sy - 0.5, 0), map.height - 1);
    const y0 = Math.floor(y);
    const y1 = Math.min(y0 + 1, map.height - 1);
    const fy = y - y0;
    for (let j = 0; j < width; j++) {
      const x = Math.min(Math.max((j + 0.5) * sx - 0.5, 0), map.width - 1);
      const x0 = Math.floor(x);
      const x1 = Math.min(x0 + 1, map.width - 1);
      const fx = x - x0;
      const top = d[y0 * map.width + x0] * (1 - fx) + d[y0 * map.width + x1] * fx;
      const bottom = d[y1 * map.width + x0] * (1 - fx) + d[y1 * map.width + x1] * fx;
      out[i * width + j] = top * (1 - fy) + bottom * fy;
    }
  }
  return camMap(width, height, out);
}
