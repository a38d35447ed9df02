/**
 * Per-pixel smoothing of the consensus map over time (`--smooth-maps T`), separate from threshold smoothing:
 * a continuous-time EMA (β = exp(−Δt/T)) of normalise(S), re-normalised so the consensus stays in [0,1].
 * With `mapMotion: 'follow'` (the default) the running average is first moved to where the explained object
 * went — the translation between the previous and the current frame estimated under the smoothed map
 * (motion-estimate.ts) — so the average follows a moving object instead of trailing it by ≈ T seconds.
 * Reset on scene cuts and whenever the map or frame size changes. State: one map and one frame's planes.
 */
import { camMap, type CamMap } from '../core/cam-map.js';
import type { RgbImage } from '../core/frame.js';
import { MetacamError } from '../errors.js';
import { bilinear, estimateShift, motionPlanes, shiftMap, type MotionPlanes, type Shift } from './motion-estimate.js';
import { normaliseMinMax } from './normalise.js';

/** How the map smoother treats motion: follow the object (motion-compensated) or average in place. */
export type MapMotion = 'follow' | 'static';
export const MAP_MOTIONS: readonly MapMotion[] = ['follow', 'static'];

export class MapSmoother {
  readonly timeConstantSeconds: number;
  readonly motion: MapMotion;
  private acc: Float32Array | null = null;
  private width = 0;
  private height = 0;
  private lastPts = 0;
  private planes: MotionPlanes | null = null;
  /** The last shift applied, in map cells (for tests and diagnostics). */
  lastShift: Shift = { dx: 0, dy: 0 };

  constructor(timeConstantSeconds: number, motion: MapMotion = 'follow') {
    if (typeof timeConstantSeconds !== 'number' || !Number.isFinite(timeConstantSeconds) || timeConstantSeconds < 0) {
      throw new MetacamError('E_ARG', `map smoothing time constant must be a number of seconds ≥ 0 (got ${String(timeConstantSeconds)}); 0 disables it`);
    }
    this.timeConstantSeconds = timeConstantSeconds;
    this.motion = motion;
  }

  /** Adds frame t's consensus map; `input` (the model-size frame) is needed to follow motion. */
  update(map: CamMap, ptsSeconds: number, input?: RgbImage): CamMap {
    const T = this.timeConstantSeconds;
    if (T === 0) return map;
    const planes = this.motion === 'follow' && input ? motionPlanes(input) : null;
    const restart =
      this.acc === null || map.width !== this.width || map.height !== this.height || ptsSeconds < this.lastPts ||
      (planes !== null && this.planes !== null && (planes.width !== this.planes.width || planes.height !== this.planes.height));
    if (restart) {
      this.acc = Float32Array.from(map.data);
      this.width = map.width;
      this.height = map.height;
      this.lastShift = { dx: 0, dy: 0 };
    } else {
      const moved = planes && this.planes ? this.follow(this.planes, planes) : this.acc!;
      const beta = Math.exp(-(ptsSeconds - this.lastPts) / T);
      const d = map.data;
      for (let i = 0; i < moved.length; i++) moved[i] = beta * moved[i] + (1 - beta) * d[i];
      this.acc = moved;
    }
    this.planes = planes;
    this.lastPts = ptsSeconds;
    return normaliseMinMax(camMap(this.width, this.height, this.acc!));
  }

  /** The running average moved by the object's shift from `previous` to `current` (a new array). */
  private follow(previous: MotionPlanes, current: MotionPlanes): Float32Array {
    const acc = this.acc!;
    const sx = this.width / current.width;
    const sy = this.height / current.height;
    const weight = new Float32Array(current.width * current.height);
    for (let y = 0; y < current.height; y++) {
      for (let x = 0; x < current.width; x++) {
        weight[y * current.width + x] = Math.max(0, bilinear(acc, this.width, this.height, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5));
      }
    }
    const s = estimateShift(previous, current, weight);
    this.lastShift = { dx: s.dx * sx, dy: s.dy * sy };
    return shiftMap(acc, this.width, this.height, this.lastShift);
  }

  reset(): void {
    this.acc = null;
    this.planes = null;
    this.lastPts = 0;
  }
}
