/**
 * Hysteresis on the MetaCAM region (part of threshold smoothing, `--hysteresis h`): a pixel enters the region
 * when its value reaches the smoothed τ̄, and a pixel already in it leaves only when it falls below (1 − h)·τ̄.
 * Pixels whose value hovers around τ̄ no longer blink in and out on every frame; an object that moves still
 * takes its region along (its new pixels pass τ̄, the ones it left fall to 0 in the map). h = 0 is a plain
 * threshold. State: the previous frame's region; cleared on scene cuts and size changes.
 */
import type { CamMap } from '../core/cam-map.js';
import { checkNumber, type NumberRange } from '../core/checks.js';
import { applyThreshold, type Thresholded } from './adaptive-threshold.js';

export const HYSTERESIS_RANGE: NumberRange = { min: 0, max: 0.9 };

export class RegionHysteresis {
  readonly band: number;
  private previous: Float32Array | null = null;

  constructor(band: number) {
    checkNumber('hysteresis', band, HYSTERESIS_RANGE);
    this.band = band;
  }

  apply(map: CamMap, tau: number, binary: boolean): Thresholded {
    const hold = this.band > 0 && this.previous?.length === map.data.length ? { previous: this.previous, tau: (1 - this.band) * tau } : undefined;
    const t = applyThreshold(map, tau, { binary, hold });
    // A copy: the returned map is the caller's to draw into or recycle.
    this.previous = this.band > 0 ? Float32Array.from(t.map.data) : null;
    return t;
  }

  reset(): void {
    this.previous = null;
  }
}
