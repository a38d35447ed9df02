/**
 * Flicker of a stream of regions: the mean over consecutive frames of 1 − IoU(region_t, region_{t−1}), where a
 * region is the set of pixels > 0 of a thresholded map. 0 = perfectly stable, 1 = disjoint every frame.
 * Two empty regions have IoU 1 (nothing changed). State: the previous region and two running sums.
 */
import type { CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';

/** IoU of the regions (pixels > 0) of two same-size maps; 1 when both are empty. */
export function regionIoU(a: CamMap, b: CamMap): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new MetacamError('E_INTERNAL', `cannot compare regions of ${a.width}×${a.height} and ${b.width}×${b.height} maps`);
  }
  let inter = 0;
  let union = 0;
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) {
    const p = x[i] > 0;
    const q = y[i] > 0;
    if (p && q) inter++;
    if (p || q) union++;
  }
  return union === 0 ? 1 : inter / union;
}

export class FlickerMeter {
  private previous: CamMap | null = null;
  private sum = 0;
  private pairs = 0;

  /**
   * Adds frame t's thresholded map. With `newSegment` (e.g. at a scene cut, if the caller wants cuts excluded)
   * the pair (t−1, t) is not counted. Maps are copied, so callers may reuse their buffers.
   */
  push(map: CamMap, newSegment = false): void {
    if (this.previous !== null && !newSegment && (map.width !== this.previous.width || map.height !== this.previous.height)) {
      throw new MetacamError('E_INTERNAL', `flicker: map size changed from ${this.previous.width}×${this.previous.height} to ${map.width}×${map.height}`);
    }
    if (this.previous !== null && !newSegment) {
      this.sum += 1 - regionIoU(this.previous, map);
      this.pairs++;
    }
    this.previous = { width: map.width, height: map.height, data: Float32Array.from(map.data) };
  }

  /** Mean 1 − IoU over the counted pairs; 0 before two frames were seen. */
  get value(): number {
    return this.pairs === 0 ? 0 : this.sum / this.pairs;
  }

  get pairCount(): number {
    return this.pairs;
  }

  reset(): void {
    this.previous = null;
    this.sum = 0;
    this.pairs = 0;
  }
}
