/**
 * Fixtures for the evaluate tests: a small model with the shapes testbed's architecture (untrained, seeded,
 * few filters: fast, and independent of the trained bundle), written to disk as a user's model.json + meta.json,
 * and the testbed clip with its ground truth.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildShapesModel } from '../../samples/shapes/model-def.js';
import { saveLayersModel } from '../../samples/shapes/model-files.js';
import { SHAPE_LABELS } from '../../samples/shapes/shape-geometry.js';

export const SHAPES_CLIP = new URL('../../samples/shapes/clip.mp4', import.meta.url).pathname;
export const SHAPES_GT = new URL('../../samples/shapes/clip.gt.jsonl', import.meta.url).pathname;

/** Writes dir/model.json, weights.bin and meta.json; returns the model.json path. */
export async function writeFixtureModel(dir: string): Promise<string> {
  const model = buildShapesModel({ inputSize: 64, seed: 7, filters: [4, 8, 8, 8] });
  try {
    await saveLayersModel(model, dir);
  } finally {
    model.dispose();
  }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ labels: [...SHAPE_LABELS], inputSize: [64, 64], inputRange: [0, 1] }));
  return join(dir, 'model.json');
}
