import type { CamMap } from './cam-map.js';

/** Axis-aligned box in normalised image coordinates [0,1] (x to the right, y down). */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface ClassScore {
  readonly index: number;
  readonly label: string;
  readonly score: number; // softmax probability
}

export interface MemberThreshold {
  /** τ computed on this frame: the (1 − k/100) quantile of the member's normalised map. */
  readonly tauRaw: number;
  /** τ after temporal smoothing: what was applied. */
  readonly tauSmoothed: number;
  /** Share of the map's pixels at or above the applied τ, in percent. */
  readonly areaPercent: number;
}

/**
 * A member left out of this frame's consensus because its map is the same map as an earlier member's
 * (metacam/distinct-members.ts): it is still computed and drawn, but votes once, through `into`.
 */
export interface MergedMember {
  readonly id: string;
  /** The kept member whose map it equals (the first of the identical set, in registry order). */
  readonly into: string;
  /** Why: 'identical-map' = equal after min-max normalisation within 1e-6 on this frame. */
  readonly reason: 'identical-map';
  /** max over pixels of |normalised difference| (≤ 1e-6). */
  readonly maxDifference: number;
}

/**
 * Everything known about one explained frame. Consumed by the overlay, the preview server and the audit log.
 * Plain JSON-serialisable data (no typed arrays); the maps travel alongside in ExplainedFrame.
 */
export interface FrameExplanation {
  readonly index: number;
  readonly ptsSeconds: number;
  /** The explained (target) class. */
  readonly target: ClassScore;
  /** Top-5 predictions. */
  readonly top5: readonly ClassScore[];
  readonly members: Readonly<Record<string, MemberThreshold>>;
  /** Members whose map equalled an earlier member's on this frame: counted once in the consensus (empty if none). */
  readonly merged: readonly MergedMember[];
  readonly consensus: {
    readonly tauRaw: number;
    readonly tauSmoothed: number;
    /** Area of the MetaCAM region in percent of the frame. */
    readonly areaPercent: number;
    /** Bounding box of the MetaCAM region (null when empty). */
    readonly bbox: Box | null;
    /** Mass-weighted centroid of the region, normalised coordinates (null when empty). */
    readonly centroid: { readonly x: number; readonly y: number } | null;
  };
  readonly sceneCut: boolean;
  /** Frames dropped before this one by a lossy live source (cumulative). */
  readonly dropped: number;
  /** Milliseconds per stage: decode, forward, methods, metacam, overlay, encode … */
  readonly timings: Readonly<Record<string, number>>;
}

/** Maps that travel with a FrameExplanation (all at the target layer's resolution, values in [0,1]). */
export interface ExplanationMaps {
  /** Each member's normalised map. */
  readonly members: Readonly<Record<string, CamMap>>;
  /** normalise(S), S = Σ_i T_i: the unthresholded consensus. */
  readonly consensus: CamMap;
  /** T_k(normalise(S)) with the smoothed τ: the MetaCAM map (0 outside the region). */
  readonly metacam: CamMap;
}
