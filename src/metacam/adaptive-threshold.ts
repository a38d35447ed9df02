/**
 * Adaptive top-k% threshold T_k: τ = the (1 − k/100) quantile of the map (see quantile.ts), then
 * T(M) = M ⊙ 1[M ≥ τ] (values kept) or 1[M ≥ τ] (binary).
 *
 * A pixel whose value is 0 is never part of a region, whatever τ is: an all-zero map (a member that found
 * nothing, or an all-zero consensus) yields an empty region — not, in binary mode, a frame full of ones.
 * `applyThreshold` is split out because the τ that is applied is the temporally smoothed one, not the raw one;
 * its `hold` keeps a pixel that was in the previous frame's region while it stays ≥ a lower τ (hysteresis,
 * region-hysteresis.ts).
 */
import { camMap, type CamMap } from '../core/cam-map.js';
import { quantile } from './quantile.js';
import { quantileLevel } from './top-k.js';

export interface ThresholdOptions {
  /** Keep 1 instead of the map's value inside the region. */
  readonly binary?: boolean;
  /** Hysteresis: a pixel > 0 in `previous` (same size) stays in the region while its value is ≥ `tau`. */
  readonly hold?: { readonly previous: Float32Array; readonly tau: number };
}

export interface Thresholded {
  readonly tau: number;
  /** The thresholded map: 0 outside the region. */
  readonly map: CamMap;
  /** Share of pixels inside the region, in percent. */
  readonly areaPercent: number;
}

export function applyThreshold(map: CamMap, tau: number, options: ThresholdOptions = {}): Thresholded {
  const src = map.data;
  const out = new Float32Array(src.length);
  let count = 0;
  const hold = options.hold?.previous.length === src.length ? options.hold : undefined;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v > 0 && (v >= tau || (hold !== undefined && hold.previous[i] > 0 && v >= hold.tau))) {
      out[i] = options.binary ? 1 : v;
      count++;
    }
  }
  return { tau, map: camMap(map.width, map.height, out), areaPercent: src.length ? (100 * count) / src.length : 0 };
}

export function adaptiveThreshold(map: CamMap, k: number, options: ThresholdOptions = {}): Thresholded {
  const tau = quantile(map.data, quantileLevel(k));
  return applyThreshold(map, tau, options);
}
