/**
 * ROAD's removal masks (1 = impute) for one map at the image's resolution, under either protocol
 * (road-protocol.ts). `fair`: ranks by value with a seeded random tie order and removes exactly
 * round(p/100 · n) pixels. `pgc`: pytorch-grad-cam's threshold rule, ties together. Pure; no tensors.
 */
import { quantile } from '../metacam/quantile.js';
import type { RoadProtocol } from './road-protocol.js';
import { mulberry32 } from '../core/seeded-rng.js';

export interface RemovalMasks {
  /** One mask per percentile: the most relevant pixels removed. */
  readonly morf: readonly Uint8Array[];
  /** One mask per percentile: the least relevant pixels removed. */
  readonly lerf: readonly Uint8Array[];
}

/** A seeded random rank per pixel (a permutation of 0…n−1): the tie order of the fair protocol. */
export function tieBreakRanks(n: number, seed: number): Int32Array {
  const rank = Int32Array.from({ length: n }, (_, i) => i);
  const uniform = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = rank[i]!;
    rank[i] = rank[j]!;
    rank[j] = t;
  }
  return rank;
}

/** Pixel indices ordered most relevant first (`descending`) or least relevant first; ties by `tieRank`. */
export function relevanceOrder(values: ArrayLike<number>, descending: boolean, tieRank: Int32Array): Int32Array {
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (descending ? values[b]! - values[a]! : values[a]! - values[b]!) || tieRank[a]! - tieRank[b]!);
  return order;
}

/** Mask (1 = removed) of the first round(p/100·n) pixels of `order`. */
export function removalMask(order: Int32Array, percent: number): Uint8Array {
  const mask = new Uint8Array(order.length);
  const count = Math.round((percent / 100) * order.length);
  for (let i = 0; i < count; i++) mask[order[i]!] = 1;
  return mask;
}

/** Exactly p % removed per step; ties in a seeded random order shared by MoRF and LeRF. */
export function fairRemovalMasks(values: ArrayLike<number>, percentiles: readonly number[], seed: number): RemovalMasks {
  const ranks = tieBreakRanks(values.length, seed);
  const most = relevanceOrder(values, true, ranks);
  const least = relevanceOrder(values, false, ranks);
  return { morf: percentiles.map((p) => removalMask(most, p)), lerf: percentiles.map((p) => removalMask(least, p)) };
}

/** Removes every pixel not strictly below the (100 − p)-th percentile of `v` (the reference's "keep v < τ"). */
function thresholdMask(v: Float32Array, p: number): Uint8Array {
  const tau = quantile(v, (100 - p) / 100);
  return Uint8Array.from(v, (x) => (x < tau ? 0 : 1));
}

/** pytorch-grad-cam's rule: MoRF on the map, LeRF on 1 − map (in float32, as the reference computes it). */
export function pgcRemovalMasks(values: ArrayLike<number>, percentiles: readonly number[]): RemovalMasks {
  const map = Float32Array.from(values);
  const inverse = Float32Array.from(map, (x) => 1 - x);
  return { morf: percentiles.map((p) => thresholdMask(map, p)), lerf: percentiles.map((p) => thresholdMask(inverse, p)) };
}

export function removalMasks(values: ArrayLike<number>, percentiles: readonly number[], protocol: RoadProtocol, seed: number): RemovalMasks {
  return protocol === 'pgc' ? pgcRemovalMasks(values, percentiles) : fairRemovalMasks(values, percentiles, seed);
}
