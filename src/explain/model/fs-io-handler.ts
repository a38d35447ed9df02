/**
 * A tfjs IOHandler that reads `model.json` + its weight shards from the local disk. tfjs's own `file://` handler
 * lives in tfjs-node, which is an optional dependency that does not install everywhere; this one needs only `fs`.
 * Every failure is an E_MODEL_INVALID / E_MODEL_NOT_FOUND naming the file at fault.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';

export interface ModelFiles {
  readonly artifacts: io.ModelArtifacts;
  /** model.json then each shard, absolute paths. */
  readonly files: string[];
}

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  [k: string]: unknown;
}

/** Reads and validates model.json and its shards (synchronously; models are small next to a video). */
export function readModelFiles(modelJsonPath: string, options: { graphModel?: boolean } = {}): ModelFiles {
  const path = resolve(modelJsonPath);
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new MetacamError('E_MODEL_NOT_FOUND', `model file '${modelJsonPath}' does not exist`);
  }
  if (!st.isFile()) throw new MetacamError('E_MODEL_INVALID', `model path '${modelJsonPath}' is not a file (give the path of model.json)`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (e) {
    throw new MetacamError('E_MODEL_INVALID', `model file '${modelJsonPath}' is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new MetacamError('E_MODEL_INVALID', `model file '${modelJsonPath}' is not a tfjs model.json (expected an object)`);
  }
  if (json.format === 'graph-model' && !options.graphModel) {
    throw new MetacamError(
      'E_MODEL_INVALID',
      `'${modelJsonPath}' is a tfjs GraphModel; metacam needs a LayersModel (convert the Keras model with tensorflowjs_converter --input_format keras)`,
    );
  }
  if (json.modelTopology === undefined || json.modelTopology === null) {
    throw new MetacamError('E_MODEL_INVALID', `'${modelJsonPath}' has no modelTopology: not a tfjs LayersModel model.json`);
  }
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new MetacamError('E_MODEL_INVALID', `'${modelJsonPath}': weightsManifest is not a list`);
  const dir = dirname(path);
  const files = [path];
  const weightSpecs: io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of manifest) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new MetacamError('E_MODEL_INVALID', `'${modelJsonPath}': a weightsManifest group lacks paths/weights`);
    }
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const shard = resolve(dir, p);
      try {
        chunks.push(readFileSync(shard));
      } catch (e) {
        throw new MetacamError('E_MODEL_INVALID', `weight shard '${p}' listed in '${modelJsonPath}' cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); keep the shards beside model.json`, { cause: e });
      }
      files.push(shard);
    }
  }
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    weightData.set(c, off);
    off += c.byteLength;
  }
  const { modelTopology, format, generatedBy, convertedBy, trainingConfig, userDefinedMetadata } = json as Record<string, unknown>;
  return {
    artifacts: {
      modelTopology: modelTopology as object,
      format: format as string | undefined,
      generatedBy: generatedBy as string | undefined,
      convertedBy: (convertedBy ?? undefined) as string | undefined,
      trainingConfig: trainingConfig as io.TrainingConfig | undefined,
      userDefinedMetadata: userDefinedMetadata as { [key: string]: {} } | undefined,
      weightSpecs,
      weightData: weightData.buffer,
    },
    files,
  };
}

/** IOHandler for `tf.loadLayersModel(fsIOHandler('path/to/model.json'))`. */
export function fsIOHandler(modelJsonPath: string): io.IOHandler {
  return { load: async () => readModelFiles(modelJsonPath).artifacts };
}
