/**
 * ROAD-combined for many maps of one image (every member and MetaCAM, at every k): the 2|P| imputed images of
 * several maps go to the scorer together, so a small model is fed full batches instead of 8 images at a time.
 * `maxImages` bounds how many imputed images are held at once (memory at 224² is 0.6 MB each). All maps of a
 * frame share the noise seed, so differences between methods come from their rankings, not from the noise.
 */
import type { CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import type { FloatImage } from './float-image.js';
import { ROAD_PERCENTILES, roadCombined, roadPerturbations, type ClassScorer, type RoadOptions } from './road.js';

export interface RoadBatchOptions extends RoadOptions {
  /** Imputed images scored in one call, at most (rounded up to whole maps). Default 64. */
  readonly maxImages?: number;
}

export async function roadForMaps(
  image: FloatImage,
  maps: ReadonlyMap<string, CamMap>,
  score: ClassScorer,
  options: RoadBatchOptions = {},
): Promise<Map<string, number>> {
  const per = 2 * (options.percentiles ?? ROAD_PERCENTILES).length;
  const maxImages = Math.max(per, options.maxImages ?? 64);
  const out = new Map<string, number>();
  const pending: { key: string; images: FloatImage[] }[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const images = pending.flatMap((p) => p.images);
    const probs = Array.from(await score(images));
    if (probs.length !== images.length) throw new MetacamError('E_INTERNAL', `ROAD scorer returned ${probs.length} scores for ${images.length} images`);
    if (probs.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) throw new MetacamError('E_INTERNAL', 'ROAD scorer must return class probabilities in [0, 1]');
    pending.forEach((p, i) => {
      const s = probs.slice(i * per, (i + 1) * per);
      out.set(p.key, roadCombined(s.slice(0, per / 2), s.slice(per / 2)));
    });
    pending.length = 0;
  };
  for (const [key, map] of maps) {
    const { morf, lerf } = roadPerturbations(image, map, options);
    pending.push({ key, images: [...morf, ...lerf] });
    if (pending.length * per >= maxImages) await flush();
  }
  await flush();
  return out;
}
