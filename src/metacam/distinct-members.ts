/**
 * Distinct members: members whose maps are the same map are counted once in the consensus. Two maps a, b are
 * identical when max_p |â_p − b̂_p| ≤ ε after min-max normalisation (â = normalise(a), ε = 1e-6), checked on
 * every frame. Why it happens: with a global average pool → linear head the gradient at the target layer is
 * constant per channel, so Grad-CAM = HiResCAM = XGrad-CAM; with activations ≥ 0 (after a ReLU) Grad-CAM
 * element-wise = LayerCAM on any head. Left alone, such a map votes two or three times in S = Σ_i T_i.
 * Of each identical set the first member (in the given, registry, order) is kept. Cost: one min/max pass per map
 * and one comparison pass per (member, kept member) pair, stopping at the first differing pixel — no allocation.
 */
import type { CamMap } from '../core/cam-map.js';
import type { MergedMember } from '../core/frame-explanation.js';
import { MetacamError } from '../errors.js';
import { valueRange } from './normalise.js';

/** ε: the largest difference of two normalised maps that still counts as "the same map". */
export const IDENTICAL_MAP_TOLERANCE = 1e-6;

export interface DistinctMembers {
  /** The members counted in the consensus, in the given order. */
  readonly distinct: readonly string[];
  /** The members left out because their map equals a kept member's, in the given order. */
  readonly merged: readonly MergedMember[];
}

interface Range {
  readonly min: number;
  /** 1/(max − min), or 0 for a constant map (which normalises to all zeros). */
  readonly scale: number;
}

function rangeOf(d: Float32Array): Range {
  const { min, span } = valueRange(d);
  return { min, scale: span > 0 && Number.isFinite(span) ? 1 / span : 0 };
}

/** max_p |normalise(a)_p − normalise(b)_p|, or Infinity as soon as it exceeds `limit` (early exit). */
function normalisedDifference(a: Float32Array, ra: Range, b: Float32Array, rb: Range, limit: number): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] - ra.min) * ra.scale - (b[i] - rb.min) * rb.scale);
    // Written with `!(… <= …)` so that a NaN counts as a difference, never as a match.
    if (!(d <= worst)) {
      if (!(d <= limit)) return Infinity;
      worst = d;
    }
  }
  return worst;
}

/**
 * Splits `ids` into the distinct members and the merged ones for this frame's maps. Every id must have a map
 * (E_INTERNAL otherwise); maps of different sizes are never identical.
 */
export function distinctMembers(ids: readonly string[], maps: Readonly<Record<string, CamMap>>, tolerance = IDENTICAL_MAP_TOLERANCE): DistinctMembers {
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new MetacamError('E_ARG', `identical-map tolerance must be a finite number ≥ 0 (got ${String(tolerance)})`);
  }
  const kept: { id: string; map: CamMap; range: Range }[] = [];
  const merged: MergedMember[] = [];
  for (const id of ids) {
    const map = maps[id];
    if (!map) throw new MetacamError('E_INTERNAL', `member '${id}' has no map; maps present: ${Object.keys(maps).join(', ') || 'none'}`);
    const range = rangeOf(map.data);
    let into: { id: string; difference: number } | null = null;
    for (const k of kept) {
      if (k.map.width !== map.width || k.map.height !== map.height) continue;
      const difference = normalisedDifference(map.data, range, k.map.data, k.range, tolerance);
      if (difference <= tolerance) {
        into = { id: k.id, difference };
        break;
      }
    }
    if (into) merged.push({ id, into: into.id, reason: 'identical-map', maxDifference: into.difference });
    else kept.push({ id, map, range });
  }
  return { distinct: kept.map((k) => k.id), merged };
}

/** How often over a run a member was merged into another, for summaries (`explain --json/--stats`). */
export interface MergeCount {
  readonly id: string;
  readonly into: string;
  readonly reason: MergedMember['reason'];
  /** Frames on which it was merged. */
  readonly frames: number;
}

/** Counts the merges of a stream of frames. State: one counter per (member, kept member) pair seen. */
export class MergeTally {
  private readonly counts = new Map<string, { id: string; into: string; reason: MergedMember['reason']; frames: number }>();

  push(merged: readonly MergedMember[]): void {
    for (const m of merged) {
      const key = `${m.id}\u0000${m.into}`;
      const c = this.counts.get(key);
      if (c) c.frames++;
      else this.counts.set(key, { id: m.id, into: m.into, reason: m.reason, frames: 1 });
    }
  }

  /** The merges seen, in the order first seen. */
  get value(): MergeCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }

  reset(): void {
    this.counts.clear();
  }
}
