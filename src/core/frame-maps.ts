import type { CamMap } from './cam-map.js';

/** What the explain engine produces per frame, before MetaCAM thresholding. */
export interface FrameMaps {
  readonly index: number;
  /** Softmax probabilities over classes. */
  readonly probabilities: Float32Array;
  /** Target class explained for this frame. */
  readonly classIndex: number;
  /** Each method's map at the target layer's resolution, after ReLU and min-max into [0,1]. */
  readonly maps: Readonly<Record<string, CamMap>>;
  /**
   * Only from an explainer built with `fineMaps: true` (--dump-maps): the maps of members that work at a finer
   * resolution than the target layer (RefineCAM), at that resolution, after ReLU and min-max.
   */
  readonly fineMaps?: Readonly<Record<string, CamMap>>;
  /**
   * Members whose map was copied from another member's instead of computed, because the batch made them equal
   * (`CamMethod.sameAs`, engine/batch-facts.ts): member id → the id it was copied from. Absent when none.
   */
  readonly copied?: Readonly<Record<string, string>>;
  /** Milliseconds spent per stage for this frame (the batch's time divided by its size). */
  readonly timings: Readonly<Record<string, number>>;
}
