/**
 * Optional per-pixel smoothing of the consensus map (`--smooth-maps T`), separate from threshold smoothing:
 * the same continuous-time EMA (β = exp(−Δt/T)) applied to every pixel of normalise(S), re-normalised so the
 * consensus stays in [0,1]. Reset on scene cuts and whenever the map size changes. State: one map.
 */
import { camMap, type CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import { normaliseMinMax } from './normalise.js';

export class MapSmoother {
  readonly timeConstantSeconds: number;
  private acc: Float32Array | null = null;
  private width = 0;
  private height = 0;
  private lastPts = 0;

  constructor(timeConstantSeconds: number) {
    if (typeof timeConstantSeconds !== 'number' || !Number.isFinite(timeConstantSeconds) || timeConstantSeconds < 0) {
      throw new MetacamError('E_ARG', `map smoothing time constant must be a number of seconds ≥ 0 (got ${String(timeConstantSeconds)}); 0 disables it`);
    }
    this.timeConstantSeconds = timeConstantSeconds;
  }

  update(map: CamMap, ptsSeconds: number): CamMap {
    const T = this.timeConstantSeconds;
    if (T === 0) return map;
    if (this.acc === null || map.width !== this.width || map.height !== this.height || ptsSeconds < this.lastPts) {
      this.acc = Float32Array.from(map.data);
      this.width = map.width;
      this.height = map.height;
    } else {
      const beta = Math.exp(-(ptsSeconds - this.lastPts) / T);
      const a = this.acc;
      const d = map.data;
      for (let i = 0; i < a.length; i++) a[i] = beta * a[i] + (1 - beta) * d[i];
    }
    this.lastPts = ptsSeconds;
    return normaliseMinMax(camMap(this.width, this.height, this.acc));
  }

  reset(): void {
    this.acc = null;
    this.lastPts = 0;
  }
}
