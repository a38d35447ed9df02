/**
 * Deletion and insertion (RISE, Petsiuk et al., BMVC 2018). Pixels are ranked by the map (resized to the image;
 * ties in the seeded random order of the fair ROAD protocol). Deletion sets the most relevant pixels to 0 (black)
 * a share at a time and follows f_c down: a faithful map makes it fall fast (low AUC is better). Insertion copies
 * the most relevant pixels into a blurred copy of the image (σ = width/16) and follows f_c up (high AUC is
 * better). The curve has S + 1 points at shares 0, 1/S, …, 1; its ends are the same for every map (deletion:
 * f_c(x) … f_c(black); insertion: f_c(blurred) … f_c(x)), so only the S − 1 inner images are made per map.
 * AUC: trapezoid rule over shares in [0, 1].
 */
import { MetacamError } from '../errors.js';
import { floatImage, type FloatImage } from './float-image.js';
import { relevanceOrder } from './removal-masks.js';

export const DELETION_STEPS = 10;

/** Blur σ of the insertion's starting image, in pixels. */
export const insertionBlurSigma = (width: number): number => width / 16;

export interface DeletionInsertionImages {
  /** S − 1 images: the first round(s/S · n) ranked pixels set to 0, s = 1 … S − 1. */
  readonly deletion: readonly FloatImage[];
  /** S − 1 images: the blurred image with the first round(s/S · n) ranked pixels copied from the original. */
  readonly insertion: readonly FloatImage[];
}

export function deletionInsertionImages(
  image: FloatImage,
  blurred: FloatImage,
  ranked: ArrayLike<number>,
  tieRank: Int32Array,
  steps = DELETION_STEPS,
): DeletionInsertionImages {
  if (!(Number.isInteger(steps) && steps >= 2)) throw new MetacamError('E_ARG', `deletion/insertion needs at least 2 steps (got ${steps})`);
  const n = image.width * image.height;
  if (ranked.length !== n) throw new MetacamError('E_INTERNAL', `deletion: map has ${ranked.length} values, image ${n} pixels`);
  const order = relevanceOrder(ranked, true, tieRank);
  const C = image.channels;
  const del = Float32Array.from(image.data);
  const ins = Float32Array.from(blurred.data);
  const deletion: FloatImage[] = [];
  const insertion: FloatImage[] = [];
  let done = 0;
  for (let s = 1; s < steps; s++) {
    const upto = Math.round((s / steps) * n);
    for (; done < upto; done++) {
      const p = order[done]!;
      for (let c = 0; c < C; c++) {
        del[p * C + c] = 0;
        ins[p * C + c] = image.data[p * C + c]!;
      }
    }
    deletion.push(floatImage(image.width, image.height, C, Float32Array.from(del)));
    insertion.push(floatImage(image.width, image.height, C, Float32Array.from(ins)));
  }
  return { deletion, insertion };
}

/** Area under a curve sampled at equally spaced shares 0 … 1 (trapezoid rule). */
export function curveAuc(points: ArrayLike<number>): number {
  const m = points.length - 1;
  if (m < 1) throw new MetacamError('E_INTERNAL', `an AUC needs at least 2 points (got ${points.length})`);
  let s = 0;
  for (let i = 0; i < m; i++) s += (points[i]! + points[i + 1]!) / 2;
  return s / m;
}
