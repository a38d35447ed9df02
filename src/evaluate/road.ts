/**
 * ROAD — Remove And Debias (Rong et al., ICML 2022). At each percentile p, remove the p% most relevant pixels
 * (MoRF) or the p% least relevant (LeRF) by the attribution map, impute them with Noisy Linear Imputation, and
 * read the model's probability f_c of the explained class. ROAD-combined:
 *   (1 / 2|P|) · Σ_p [ f_c(x̃_LeRF,p) − f_c(x̃_MoRF,p) ]   ∈ [−0.5, 0.5], higher is better.
 * Here p is the share of pixels removed (the reference names the same step by the share kept, 100 − p).
 * Ranking: map resized bilinearly to the image, then the removal masks of the chosen protocol
 * (road-protocol.ts: `fair` removes exactly p % with seeded random ties, `pgc` is pytorch-grad-cam's threshold
 * rule). MoRF/LeRF at the same p share the noise seed — so under `fair` a constant map removes the same pixels
 * both ways and scores exactly 0. The 2|P| images go to the scorer in one batch.
 */
import type { CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import type { FloatImage } from './float-image.js';
import { noisyLinearImputation } from './noisy-linear-imputation.js';
import { removalMasks } from './removal-masks.js';
import { DEFAULT_ROAD_PROTOCOL, type RoadProtocol } from './road-protocol.js';
import { resizeMapBilinear } from './resize-map.js';
import { seededRng } from '../core/seeded-rng.js';

export const ROAD_PERCENTILES: readonly number[] = [20, 40, 60, 80];

/** Probability of the explained class for each image, in order. */
export type ClassScorer = (images: readonly FloatImage[]) => Promise<ArrayLike<number>>;

export interface RoadOptions {
  readonly percentiles?: readonly number[];
  /** Default 'fair'. */
  readonly protocol?: RoadProtocol;
  /** NLI noise σ. Default 0.01. */
  readonly noise?: number;
  /** Seed of the noise and of the fair protocol's tie order. Default 0. */
  readonly seed?: number;
  /** CG relative tolerance for the imputation. Default 1e-6. */
  readonly tolerance?: number;
}

export interface RoadPerturbations {
  readonly percentiles: readonly number[];
  /** MoRF images, one per percentile. */
  readonly morf: readonly FloatImage[];
  /** LeRF images, one per percentile. */
  readonly lerf: readonly FloatImage[];
}

export interface RoadResult {
  /** ROAD-combined in [−0.5, 0.5]. */
  readonly road: number;
  readonly percentiles: readonly number[];
  readonly morf: readonly number[];
  readonly lerf: readonly number[];
}

function checkPercentiles(percentiles: readonly number[]): void {
  if (percentiles.length === 0 || percentiles.some((p) => !(p > 0 && p < 100))) {
    throw new MetacamError('E_ARG', `ROAD percentiles must be in (0, 100) (got ${percentiles.join(', ') || 'none'})`);
  }
}

/** The 2|P| imputed images for one image and one attribution map. */
export function roadPerturbations(image: FloatImage, map: CamMap, options: RoadOptions = {}): RoadPerturbations {
  const percentiles = options.percentiles ?? ROAD_PERCENTILES;
  checkPercentiles(percentiles);
  const ranked = resizeMapBilinear(map, image.width, image.height).data;
  const seed = options.seed ?? 0;
  const masks = removalMasks(ranked, percentiles, options.protocol ?? DEFAULT_ROAD_PROTOCOL, (seed * 7919 + 17) >>> 0);
  const morf: FloatImage[] = [];
  const lerf: FloatImage[] = [];
  percentiles.forEach((_, k) => {
    const s = (seed * 1000003 + k) >>> 0;
    morf.push(noisyLinearImputation(image, masks.morf[k]!, { noise: options.noise, rng: seededRng(s), tolerance: options.tolerance }));
    lerf.push(noisyLinearImputation(image, masks.lerf[k]!, { noise: options.noise, rng: seededRng(s), tolerance: options.tolerance }));
  });
  return { percentiles, morf, lerf };
}

/** ROAD-combined from the class probabilities of the MoRF and LeRF images at each percentile. */
export function roadCombined(morf: ArrayLike<number>, lerf: ArrayLike<number>): number {
  if (morf.length !== lerf.length || morf.length === 0) {
    throw new MetacamError('E_INTERNAL', `ROAD needs as many MoRF as LeRF scores (got ${morf.length} and ${lerf.length})`);
  }
  let sum = 0;
  for (let i = 0; i < morf.length; i++) sum += lerf[i] - morf[i];
  return sum / (2 * morf.length);
}

/** Perturbs, scores in one batch, and combines. */
export async function road(image: FloatImage, map: CamMap, score: ClassScorer, options: RoadOptions = {}): Promise<RoadResult> {
  const { percentiles, morf, lerf } = roadPerturbations(image, map, options);
  const probs = await score([...morf, ...lerf]);
  const n = percentiles.length;
  if (probs.length !== 2 * n) throw new MetacamError('E_INTERNAL', `ROAD scorer returned ${probs.length} scores for ${2 * n} images`);
  const all = Array.from(probs);
  if (all.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) {
    throw new MetacamError('E_INTERNAL', `ROAD scorer must return class probabilities in [0, 1] (got ${all.join(', ')})`);
  }
  const m = all.slice(0, n);
  const l = all.slice(n);
  return { road: roadCombined(m, l), percentiles, morf: m, lerf: l };
}
