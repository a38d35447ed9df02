/**
 * Why: training and held-out sets for the shapes classifier, generated on the fly from a seed instead of
 * stored: still i of a set uses sub-seed (seed, i) and class i mod 5, so sets are balanced, reproducible and
 * disjoint across seeds. Pixels are scaled to [0, 1], the model's input range (models/shapes/meta.json).
 */
import { createPrng, subSeed } from './prng.js';
import { renderScene, type GtObject } from './render.js';
import { randomStillScene } from './scene.js';
import { SHAPE_LABELS } from './shape-geometry.js';

export interface StillSet {
  readonly count: number;
  readonly size: number;
  /** [count, size, size, 3] in [0, 1]. */
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
  readonly objects: GtObject[][];
}

export function renderStill(seed: number, index: number, size: number): { data: Uint8Array; label: number; objects: GtObject[] } {
  const p = createPrng(subSeed(seed, index));
  const label = index % SHAPE_LABELS.length;
  const r = renderScene(randomStillScene(p, { targetClass: label }), size, size);
  return { data: r.data, label, objects: r.objects };
}

export function generateStills(seed: number, count: number, size: number): StillSet {
  const per = size * size * 3;
  const pixels = new Float32Array(count * per);
  const labels = new Int32Array(count);
  const objects: GtObject[][] = [];
  for (let i = 0; i < count; i++) {
    const s = renderStill(seed, i, size);
    for (let j = 0; j < per; j++) pixels[i * per + j] = s.data[j]! / 255;
    labels[i] = s.label;
    objects.push(s.objects);
  }
  return { count, size, pixels, labels, objects };
}
