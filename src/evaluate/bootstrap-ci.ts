/**
 * Seeded percentile-bootstrap confidence intervals of a mean (Efron & Tibshirani 1993, ch. 13): draw B
 * resamples of the n per-frame values with replacement, take each resample's mean, and report the
 * (1 − level)/2 and (1 + level)/2 quantiles (Hyndman–Fan type 7) of those B means. The resample indices depend
 * only on (seed, n), so every method's interval over the same frames uses the same resamples (a paired
 * bootstrap: intervals of two methods move together with the frames), and reruns give the same interval.
 */
import { MetacamError } from '../errors.js';
import { quantile } from '../metacam/quantile.js';
import { mulberry32 } from '../core/seeded-rng.js';

export type Interval = readonly [number, number];

export interface BootstrapOptions {
  /** Resamples B. Default 1000. */
  readonly resamples?: number;
  /** Coverage. Default 0.95. */
  readonly level?: number;
  /** Default 0. */
  readonly seed?: number;
}

export const BOOTSTRAP_DEFAULTS = { resamples: 1000, level: 0.95, seed: 0 } as const;

export function checkBootstrapOptions(o: BootstrapOptions): void {
  const b = o.resamples ?? BOOTSTRAP_DEFAULTS.resamples;
  const l = o.level ?? BOOTSTRAP_DEFAULTS.level;
  if (!(Number.isInteger(b) && b >= 10)) throw new MetacamError('E_ARG', `bootstrap resamples must be an integer ≥ 10 (got ${b})`);
  if (!(l > 0 && l < 1)) throw new MetacamError('E_ARG', `confidence level must lie strictly between 0 and 1 (got ${l})`);
}

/** ci(values): the interval of the mean of `values`; undefined for no values. Caches the resamples per n. */
export function createBootstrap(options: BootstrapOptions = {}): (values: ArrayLike<number>) => Interval | undefined {
  checkBootstrapOptions(options);
  const B = options.resamples ?? BOOTSTRAP_DEFAULTS.resamples;
  const level = options.level ?? BOOTSTRAP_DEFAULTS.level;
  const seed = options.seed ?? BOOTSTRAP_DEFAULTS.seed;
  const cache = new Map<number, Int32Array>();
  const indices = (n: number): Int32Array => {
    let idx = cache.get(n);
    if (!idx) {
      const u = mulberry32((seed * 2654435761 + n) >>> 0);
      idx = Int32Array.from({ length: B * n }, () => Math.floor(u() * n));
      cache.set(n, idx);
    }
    return idx;
  };
  return (values) => {
    const n = values.length;
    if (n === 0) return undefined;
    const idx = indices(n);
    const means = new Float64Array(B);
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += values[idx[b * n + i]!]!;
      means[b] = s / n;
    }
    return [quantile(means, (1 - level) / 2), quantile(means, (1 + level) / 2)];
  };
}
