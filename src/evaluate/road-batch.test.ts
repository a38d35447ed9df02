import { describe, expect, it } from 'vitest';
import { camMap } from '../core/cam-map.js';
import { floatImage } from './float-image.js';
import { road, type ClassScorer } from './road.js';
import { roadForMaps } from './road-batch.js';
import { seededRng } from '../core/seeded-rng.js';

/** A scorer with a known answer: the mean brightness of the left half (what a "left object" classifier sees). */
const leftHalf: ClassScorer = async (images) =>
  images.map((img) => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < img.height; i++) {
      for (let j = 0; j < img.width / 2; j++) {
        for (let c = 0; c < img.channels; c++) s += img.data[(i * img.width + j) * img.channels + c];
        n += img.channels;
      }
    }
    return Math.min(1, Math.max(0, s / n));
  });

describe('roadForMaps', () => {
  const rng = seededRng(3);
  const w = 12;
  const image = floatImage(w, w, 3, Float32Array.from({ length: w * w * 3 }, (_, i) => (Math.floor(i / 3) % w < w / 2 ? 0.8 : 0.1) + 0.05 * rng.uniform()));
  const left = camMap(4, 4, Float32Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 1 - i / 32 : 0.1)));
  const right = camMap(4, 4, Float32Array.from({ length: 16 }, (_, i) => (i % 4 >= 2 ? 1 - i / 32 : 0.1)));
  const flat = camMap(4, 4, new Float32Array(16).fill(0.5));

  it('gives the same ROAD as road() map by map, whatever the batching', async () => {
    const maps = new Map([['left', left], ['right', right], ['flat', flat]]);
    for (const maxImages of [1, 8, 16, 1000]) {
      let calls = 0;
      const counting: ClassScorer = (imgs) => {
        calls++;
        return leftHalf(imgs);
      };
      const got = await roadForMaps(image, maps, counting, { seed: 5, maxImages });
      for (const [key, map] of maps) expect(got.get(key)).toBeCloseTo((await road(image, map, leftHalf, { seed: 5 })).road, 12);
      expect(calls).toBe(Math.ceil(3 / Math.max(1, Math.floor(Math.max(8, maxImages) / 8))));
    }
  });

  it('ranks the faithful map first and stays in [−0.5, 0.5]', async () => {
    const got = await roadForMaps(image, new Map([['left', left], ['right', right], ['flat', flat]]), leftHalf, { seed: 1 });
    expect(got.get('left')!).toBeGreaterThan(got.get('right')!);
    expect(got.get('flat')).toBe(0);
    for (const v of got.values()) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
  });

  it('rejects a scorer that returns the wrong count or non-probabilities', async () => {
    const maps = new Map([['left', left]]);
    await expect(roadForMaps(image, maps, async () => [0.5])).rejects.toMatchObject({ code: 'E_INTERNAL' });
    await expect(roadForMaps(image, maps, async (imgs) => imgs.map(() => 2))).rejects.toMatchObject({ code: 'E_INTERNAL' });
  });
});
