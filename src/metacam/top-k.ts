/**
 * The top-k% parameter: validated once where it enters, turned into the quantile level 1 − k/100.
 * k = 0 (keep nothing) and k = 100 (keep everything) are rejected: neither is an explanation.
 */
import { MetacamError } from '../errors.js';
import type { NumberRange } from '../core/checks.js';

/** k is a percentage strictly between 0 and 100. */
export const TOP_K_RANGE: NumberRange = { min: 0, max: 100, exclusive: true };

export function checkTopK(k: number): number {
  if (typeof k !== 'number' || !Number.isFinite(k) || k <= 0 || k >= 100) {
    throw new MetacamError(
      'E_ARG',
      `top-k must be a percentage strictly between 0 and 100 (got ${String(k)}); ` +
        'e.g. --top-k 10 keeps the 10% most activated pixels of each map',
    );
  }
  return k;
}

/** τ is the (1 − k/100) quantile of the map. */
export function quantileLevel(k: number): number {
  return 1 - checkTopK(k) / 100;
}
