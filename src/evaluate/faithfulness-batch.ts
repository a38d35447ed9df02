/**
 * Every perturbation metric of one image, for many maps at once (each member and MetaCAM, raw and thresholded):
 * ROAD-combined (2|P| imputed images), Average Drop / Increase in Confidence (x ⊙ M) and deletion / insertion
 * AUC (2(S − 1) images). The shared images (x, black, blurred x) are scored once; the per-map images go to the
 * scorer together, at most `maxImages` at a time (rounded up to whole maps), so a small model sees full batches
 * and memory stays bounded. All maps of a frame share the noise seed and the tie order, so differences between
 * methods come from their rankings — and two maps with the same values get the same scores, so a map equal to one
 * already scored (Grad-CAM, HiResCAM and XGrad-CAM on a GAP → dense head) is scored once and its scores copied.
 */
import type { CamMap } from '../core/cam-map.js';
import { contentKey, sameMap } from './map-identity.js';
import { MetacamError } from '../errors.js';
import { confidenceDrop, confidenceIncreased, multiplyByMap } from './confidence-change.js';
import { curveAuc, DELETION_STEPS, deletionInsertionImages, insertionBlurSigma } from './deletion-insertion.js';
import { floatImage, type FloatImage } from './float-image.js';
import { gaussianBlur } from './gaussian-blur.js';
import { tieBreakRanks } from './removal-masks.js';
import { resizeMapBilinear } from './resize-map.js';
import { ROAD_PERCENTILES, roadCombined, roadPerturbations, type ClassScorer, type RoadOptions } from './road.js';

export interface FaithfulnessScores {
  readonly road: number;
  readonly averageDrop: number;
  readonly increaseInConfidence: number;
  readonly deletionAuc: number;
  readonly insertionAuc: number;
}

export interface FaithfulnessOptions extends RoadOptions {
  /** Deletion / insertion steps S. Default 10. */
  readonly steps?: number;
  /** Images scored in one call, at most (rounded up to whole maps). Default 128. */
  readonly maxImages?: number;
}

async function scoreChecked(score: ClassScorer, images: readonly FloatImage[]): Promise<number[]> {
  const probs = Array.from(await score(images));
  if (probs.length !== images.length) throw new MetacamError('E_INTERNAL', `scorer returned ${probs.length} scores for ${images.length} images`);
  if (probs.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) throw new MetacamError('E_INTERNAL', 'the scorer must return class probabilities in [0, 1]');
  return probs;
}

export async function faithfulnessForMaps(
  image: FloatImage,
  maps: ReadonlyMap<string, CamMap>,
  score: ClassScorer,
  options: FaithfulnessOptions = {},
): Promise<Map<string, FaithfulnessScores>> {
  const P = (options.percentiles ?? ROAD_PERCENTILES).length;
  const S = options.steps ?? DELETION_STEPS;
  const per = 2 * P + 1 + 2 * (S - 1);
  const maxImages = Math.max(per, options.maxImages ?? 128);
  const blurred = gaussianBlur(image, insertionBlurSigma(image.width));
  const black = floatImage(image.width, image.height, image.channels);
  const [y, yBlack, yBlurred] = await scoreChecked(score, [image, black, blurred]) as [number, number, number];
  const tieRank = tieBreakRanks(image.width * image.height, ((options.seed ?? 0) * 7919 + 17) >>> 0);
  const out = new Map<string, FaithfulnessScores>();
  const pending: { key: string; images: FloatImage[] }[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const probs = await scoreChecked(score, pending.flatMap((p) => p.images));
    pending.forEach((p, i) => {
      const s = probs.slice(i * per, (i + 1) * per);
      const o = s[2 * P]!;
      const del = s.slice(2 * P + 1, 2 * P + S);
      const ins = s.slice(2 * P + S);
      out.set(p.key, {
        road: roadCombined(s.slice(0, P), s.slice(P, 2 * P)),
        averageDrop: confidenceDrop(y, o),
        increaseInConfidence: confidenceIncreased(y, o),
        deletionAuc: curveAuc([y, ...del, yBlack]),
        insertionAuc: curveAuc([yBlurred, ...ins, y]),
      });
    });
    pending.length = 0;
  };
  const firstByContent = new Map<string, { key: string; map: CamMap }>();
  const copies: [string, string][] = [];
  for (const [key, map] of maps) {
    const ck = contentKey(map);
    const first = firstByContent.get(ck);
    if (first && sameMap(first.map, map)) {
      copies.push([key, first.key]);
      continue;
    }
    if (!first) firstByContent.set(ck, { key, map });
    const { morf, lerf } = roadPerturbations(image, map, options);
    const ranked = resizeMapBilinear(map, image.width, image.height).data;
    const di = deletionInsertionImages(image, blurred, ranked, tieRank, S);
    pending.push({ key, images: [...morf, ...lerf, multiplyByMap(image, map), ...di.deletion, ...di.insertion] });
    if (pending.length * per >= maxImages) await flush();
  }
  await flush();
  for (const [key, from] of copies) out.set(key, out.get(from)!);
  return new Map([...maps.keys()].map((key) => [key, out.get(key)!]));
}
