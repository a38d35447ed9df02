/**
 * A cheap frame statistic for scene-cut detection: a 3 × B-bin colour histogram (one per RGB channel),
 * each normalised to sum 1, and the distance between two of them, ½·L1 averaged over the channels, which lies
 * in [0,1] (0: same distribution, 1: disjoint). Colour distributions move little under ordinary motion and
 * jump at a cut between different shots.
 */
import { MetacamError } from '../errors.js';
import type { RgbImage } from '../core/frame.js';

export function colourHistogram(image: RgbImage, bins = 16): Float32Array {
  if (!Number.isInteger(bins) || bins < 2 || bins > 256) {
    throw new MetacamError('E_ARG', `histogram bins must be an integer in [2, 256] (got ${bins})`);
  }
  const n = image.width * image.height;
  if (image.data.length < n * 3 || n === 0) {
    throw new MetacamError('E_INTERNAL', `frame data has ${image.data.length} bytes, expected ${n * 3} for ${image.width}×${image.height} RGB24`);
  }
  const counts = new Uint32Array(3 * bins);
  const d = image.data;
  // Bin of a byte v: ⌊v / (256 / bins)⌋ = ⌊v·bins / 256⌋, in integer arithmetic (v·bins < 2¹⁶).
  for (let p = 0; p < n * 3; p += 3) {
    counts[(d[p] * bins) >>> 8]++;
    counts[bins + ((d[p + 1] * bins) >>> 8)]++;
    counts[2 * bins + ((d[p + 2] * bins) >>> 8)]++;
  }
  const out = new Float32Array(3 * bins);
  for (let i = 0; i < out.length; i++) out[i] = counts[i] / n;
  return out;
}

/** ½·L1 per channel, averaged over the 3 channels: in [0,1]. */
export function histogramDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length % 3 !== 0) {
    throw new MetacamError('E_INTERNAL', `histograms differ in size (${a.length} vs ${b.length})`);
  }
  let l1 = 0;
  for (let i = 0; i < a.length; i++) l1 += Math.abs(a[i] - b[i]);
  return l1 / 2 / 3;
}
