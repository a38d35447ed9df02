import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { faithfulnessForMaps } from './faithfulness-batch.js';
import { floatImage, type FloatImage } from './float-image.js';
import { road } from './road.js';

/** The toy of road.test.ts: a white 4×5 object on black; f_c = the object's mean brightness. */
const W = 10;
const objectPixel = (p: number) => Math.floor(p / W) >= 3 && Math.floor(p / W) < 7 && p % W >= 2 && p % W < 7;
const image = floatImage(W, W, 3, Float32Array.from({ length: W * W * 3 }, (_, q) => (objectPixel(Math.floor(q / 3)) ? 1 : 0)));
const brightness = (img: FloatImage) => {
  let s = 0;
  let n = 0;
  for (let p = 0; p < W * W; p++) if (objectPixel(p)) for (let c = 0; c < 3; c++, n++) s += img.data[p * 3 + c]!;
  return Math.min(1, Math.max(0, s / n));
};
const perfect = camMap(W, W, Float32Array.from({ length: W * W }, (_, p) => (objectPixel(p) ? 1 : 0)));
const inverted = camMap(W, W, Float32Array.from(perfect.data, (v) => 1 - v));

describe('faithfulnessForMaps', () => {
  it('scores a perfect map better than an inverted one on every metric, in batches', async () => {
    const calls: number[] = [];
    const scorer = async (imgs: readonly FloatImage[]) => {
      calls.push(imgs.length);
      return imgs.map(brightness);
    };
    const out = await faithfulnessForMaps(image, new Map([['good', perfect], ['bad', inverted]]), scorer, { noise: 0, maxImages: 1 });
    const good = out.get('good')!;
    const bad = out.get('bad')!;
    expect(calls).toEqual([3, 27, 27]); // x, black, blurred; then one map per call (maxImages rounds up)
    expect(good.road).toBeCloseTo(0.5, 2);
    expect(bad.road).toBeCloseTo(-0.5, 2);
    expect(good.averageDrop).toBe(0); // x ⊙ M keeps the object intact
    expect(bad.averageDrop).toBe(1);
    expect(good.deletionAuc).toBeLessThan(bad.deletionAuc);
    expect(good.insertionAuc).toBeGreaterThan(bad.insertionAuc);
    // the batched ROAD equals the single-map ROAD for the same seed
    expect(good.road).toBeCloseTo((await road(image, perfect, scorer, { noise: 0 })).road, 12);
  });

  it('scores a map equal to an earlier one once, and gives it the same scores, in the given key order', async () => {
    let images = 0;
    const scorer = async (imgs: readonly FloatImage[]) => {
      images += imgs.length;
      return imgs.map(brightness);
    };
    const copy = camMap(W, W, Float32Array.from(perfect.data));
    const out = await faithfulnessForMaps(image, new Map([['a', perfect], ['bad', inverted], ['b', copy]]), scorer, { noise: 0.01, seed: 5 });
    expect(images).toBe(3 + 2 * 27);
    expect([...out.keys()]).toEqual(['a', 'bad', 'b']);
    expect(out.get('b')).toEqual(out.get('a'));
  });
});
