/**
 * Temporal smoothing of a threshold τ: an exponential moving average in continuous time,
 * τ̄_t = β·τ̄_{t−1} + (1 − β)·τ_t with β = exp(−Δt/T), Δt the pts difference in seconds and T the time constant.
 * Because β depends on time, not on the frame count, a step in τ decays the same way at 10 and at 60 fps:
 * after t seconds the remaining fraction of the old value is exactly exp(−t/T).
 * T = 0 disables smoothing. The first frame, a reset() (scene cut), or pts going backwards (a seek, a loop)
 * restart from the raw value. State: one number and one pts.
 */
import { MetacamError } from '../errors.js';

export class ThresholdSmoother {
  readonly timeConstantSeconds: number;
  private last: number | null = null;
  private lastPts = 0;

  constructor(timeConstantSeconds: number) {
    if (typeof timeConstantSeconds !== 'number' || !Number.isFinite(timeConstantSeconds) || timeConstantSeconds < 0) {
      throw new MetacamError('E_ARG', `smoothing time constant must be a number of seconds ≥ 0 (got ${String(timeConstantSeconds)}); 0 disables smoothing`);
    }
    this.timeConstantSeconds = timeConstantSeconds;
  }

  /** Feeds this frame's raw τ at `ptsSeconds`; returns the smoothed τ to apply. */
  update(tauRaw: number, ptsSeconds: number): number {
    const T = this.timeConstantSeconds;
    if (T === 0 || this.last === null || ptsSeconds < this.lastPts) {
      this.last = tauRaw;
    } else {
      const beta = Math.exp(-(ptsSeconds - this.lastPts) / T);
      this.last = beta * this.last + (1 - beta) * tauRaw;
    }
    this.lastPts = ptsSeconds;
    return this.last;
  }

  /** The last smoothed value (null before the first frame or after reset). */
  get value(): number | null {
    return this.last;
  }

  reset(): void {
    this.last = null;
    this.lastPts = 0;
  }
}
