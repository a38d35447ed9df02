/**
 * ROAD and CRE are too costly for every frame, so they run on a few frames spread evenly over the clip:
 * `evenSubset(items, n)` keeps n items at evenly spaced positions, first and last included (one item: the
 * middle one). Deterministic, so reruns score the same frames.
 */
import { MetacamError } from '../errors.js';

export function evenSubset<T>(items: readonly T[], n: number): T[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new MetacamError('E_ARG', `the number of frames to sample must be an integer ≥ 0 (got ${n})`);
  if (n >= items.length) return [...items];
  if (n === 0) return [];
  if (n === 1) return [items[(items.length - 1) >> 1]!];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.round((i * (items.length - 1)) / (n - 1))]!);
  return out;
}
