/**
 * Why: tfjs' `file://` save/load handlers live in tfjs-node, which cannot be installed here. A LayersModel
 * is a model.json (topology + weights manifest) plus one binary shard; writing and reading those two files
 * with node:fs is all a handler needs (tf.io.withSaveHandler / tf.io.fromMemory).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MetacamError } from '../../src/errors.js';

export const WEIGHTS_FILE = 'weights.bin';

/** Writes `dir/model.json` and `dir/weights.bin`; returns their sizes in bytes. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<{ modelJsonBytes: number; weightsBytes: number }> {
  mkdirSync(dir, { recursive: true });
  let sizes = { modelJsonBytes: 0, weightsBytes: 0 };
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData == null ? new Uint8Array(0) : new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
    const json = {
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    };
    const text = JSON.stringify(json);
    writeFileSync(join(dir, 'model.json'), text);
    writeFileSync(join(dir, WEIGHTS_FILE), weights);
    sizes = { modelJsonBytes: Buffer.byteLength(text), weightsBytes: weights.byteLength };
    return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
  }));
  return sizes;
}

/** Loads `dir/model.json` and its shards from disk (no tfjs-node needed). */
export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  let json: { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  } catch (cause) {
    throw new MetacamError('E_MODEL_NOT_FOUND', `cannot read ${join(dir, 'model.json')}: run \`npm run train:shapes\` to create it`, { cause });
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      try {
        shards.push(new Uint8Array(readFileSync(join(dir, p))));
      } catch (cause) {
        throw new MetacamError('E_MODEL_INVALID', `weight shard ${join(dir, p)} named by model.json is missing`, { cause });
      }
    }
  }
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const s of shards) { data.set(s, off); off += s.byteLength; }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: data.buffer }));
}
