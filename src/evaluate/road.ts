/**
 * ROAD — Remove And Debias (Rong et al., ICML 2022). At each percentile p, remove the p% most relevant pixels
 * (MoRF) or the p% least relevant (LeRF) by the attribution map, impute them with Noisy Linear Imputation, and
 * read the model's probability f_c of the explained class. ROAD-combined:
 *   (1 / 2|P|) · Σ_p [ f_c(x̃_LeRF,p) − f_c(x̃_MoRF,p) ]   ∈ [−0.5, 0.5], higher is better.
 * Ranking: map resized bilinearly to the image; ties are broken by pixel index, ascending, in both orders, and
 * MoRF/LeRF at the same p share the noise seed — so a constant map removes the same pixels both ways and
 * scores exactly 0. The 2|P| images go to the scorer in one batch.
 */
import type { CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import type { FloatImage } from './float-image.js';
import { noisyLinearImputation } from './noisy-linear-imputation.js';
import { resizeMapBilinear } from './resize-map.js';
import { seededRng } from './seeded-rng.js';

export const ROAD_PERCENTILES: readonly number[] = [20, 40, 60, 80];

/** Probability of the explained class for each image, in order. */
export type ClassScorer = (images: readonly FloatImage[]) => Promise<ArrayLike<number>>;

export interface RoadOptions {
  readonly percentiles?: readonly number[];
  /** NLI noise σ. Default 0.01. */
  readonly noise?: number;
  /** Noise seed. Default 0. */
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

/** Pixel indices ordered most relevant first (`descending`) or least relevant first; ties by index. */
export function relevanceOrder(values: Float32Array, descending: boolean): Int32Array {
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (descending ? values[b] - values[a] : values[a] - values[b]) || a - b);
  return order;
}

/** Mask (1 = removed) of the first round(p/100·n) pixels of `order`. */
export function removalMask(order: Int32Array, percent: number): Uint8Array {
  const mask = new Uint8Array(order.length);
  const count = Math.round((percent / 100) * order.length);
  for (let i = 0; i < count; i++) mask[order[i]] = 1;
  return mask;
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
  const most = relevanceOrder(ranked, true);
  const least = relevanceOrder(ranked, false);
  const seed = options.seed ?? 0;
  const morf: FloatImage[] = [];
  const lerf: FloatImage[] = [];
  percentiles.forEach((p, k) => {
    const s = (seed * 1000003 + k) >>> 0;
    morf.push(noisyLinearImputation(image, removalMask(most, p), { noise: options.noise, rng: seededRng(s), tolerance: options.tolerance }));
    lerf.push(noisyLinearImputation(image, removalMask(least, p), { noise: options.noise, rng: seededRng(s), tolerance: options.tolerance }));
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
