import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { floatImage, type FloatImage } from './float-image.js';
import { road, roadCombined } from './road.js';

/**
 * A toy "model" with a known answer: a 10×10 black image with a white 4×5 object (20% of the pixels); the class
 * probability is the object's mean brightness, clamped to [0,1]. Removing the object and imputing it from its
 * black surroundings destroys the evidence; removing background does not.
 */
const W = 10;
const objectPixel = (p: number) => Math.floor(p / W) >= 3 && Math.floor(p / W) < 7 && p % W >= 2 && p % W < 7;
const image = floatImage(W, W, 3, Float32Array.from({ length: W * W * 3 }, (_, q) => (objectPixel(Math.floor(q / 3)) ? 1 : 0)));
const brightnessOfObject = (img: FloatImage) => {
  let s = 0;
  let n = 0;
  for (let p = 0; p < W * W; p++) if (objectPixel(p)) for (let c = 0; c < 3; c++, n++) s += img.data[p * 3 + c];
  return Math.min(1, Math.max(0, s / n));
};
const scorer = async (images: readonly FloatImage[]) => images.map(brightnessOfObject);
const perfect = camMap(W, W, Float32Array.from({ length: W * W }, (_, p) => (objectPixel(p) ? 1 : 0.1)));
const inverted = camMap(W, W, Float32Array.from(perfect.data, (v) => 1.1 - v));

describe('ROAD', () => {
  it.each([
    { name: 'a perfect map scores ≈ +0.5', map: perfect, want: 0.5 },
    { name: 'an inverted map scores ≈ −0.5', map: inverted, want: -0.5 },
    { name: 'a constant map scores exactly 0', map: camMap(W, W, new Float32Array(W * W).fill(0.3)), want: 0 },
  ].flatMap((row) => (['fair', 'pgc'] as const).map((protocol) => ({ ...row, protocol }))))('$name ($protocol)', async ({ map, want, protocol }) => {
    const r = await road(image, map, scorer, { protocol });
    expect(r.percentiles).toEqual([20, 40, 60, 80]);
    expect(r.road).toBeGreaterThanOrEqual(-0.5);
    expect(r.road).toBeLessThanOrEqual(0.5);
    expect(Math.abs(r.road - want)).toBeLessThan(0.01);
  });

  it('ranks a coarse map after bilinear resizing', async () => {
    // 5×5 map whose 2×2 block over the object is hot: still clearly positive.
    const coarse = camMap(5, 5, Float32Array.from({ length: 25 }, (_, p) => (Math.floor(p / 5) >= 1 && Math.floor(p / 5) < 4 && p % 5 >= 1 && p % 5 < 4 ? 1 : 0)));
    expect((await road(image, coarse, scorer)).road).toBeGreaterThan(0.2);
  });

  it('calls the scorer once with 2|P| images, MoRF first', async () => {
    const calls: number[] = [];
    const r = await road(image, perfect, async (imgs) => {
      calls.push(imgs.length);
      return imgs.map(brightnessOfObject);
    }, { percentiles: [20, 50] });
    expect(calls).toEqual([4]);
    expect(r.morf.every((v) => v < 0.05)).toBe(true);
    expect(r.lerf.every((v) => v > 0.95)).toBe(true);
  });

  it.each([
    { name: 'wrong count', scorer: async () => [0.5], code: 'E_INTERNAL' },
    { name: 'not a probability', scorer: async (imgs: readonly FloatImage[]) => imgs.map(() => 3), code: 'E_INTERNAL' },
  ])('rejects a scorer returning $name', async ({ scorer: bad, code }) => {
    await expect(road(image, perfect, bad)).rejects.toMatchObject({ code });
  });

  it.each([[[0]], [[100]], [[]]])('rejects percentiles %j', async (percentiles) => {
    await expect(road(image, perfect, scorer, { percentiles })).rejects.toMatchObject({ code: 'E_ARG' });
  });

  it('roadCombined is (1/2|P|) Σ (LeRF − MoRF)', () => {
    expect(roadCombined([0.1, 0.2], [0.9, 0.6])).toBeCloseTo((0.8 + 0.4) / 4, 12);
  });
});
