/**
 * TF.js graph models: a user's `model.json` with `"format": "graph-model"` (and its shards), or nsfwjs's bundled
 * MobileNetV2 graph model. Loaded with tfjs-converter from memory (no network, no fetch) and wrapped as a
 * GraphRuntime; preprocessing from the flags (default [0,1]), labels from --labels or the bundle.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { MetacamError } from '../../../errors.js';
import type { ModelFiles } from '../fs-io-handler.js';
import type { Preprocess, RuntimeLoadedModel } from '../loaded-model.js';
import { readLabelsFile } from '../read-labels.js';
import { createGraphRuntime, type GraphNodeDef } from './graph-model-runtime.js';

export interface GraphLoadOptions {
  readonly id: string;
  readonly preprocess: Preprocess;
  readonly labels?: readonly string[];
  readonly labelsFile?: string;
}

export async function loadGraphModelFiles(files: ModelFiles, options: GraphLoadOptions): Promise<RuntimeLoadedModel> {
  const label = `graph model '${options.id}'`;
  let model;
  try {
    model = await loadGraphModel(tf.io.fromMemory(files.artifacts));
  } catch (e) {
    throw new MetacamError('E_MODEL_INVALID', `cannot build ${label} as a tfjs GraphModel: ${(e as Error).message}`, { cause: e });
  }
  const topology = files.artifacts.modelTopology as { node?: GraphNodeDef[] } | undefined;
  let runtime;
  try {
    runtime = createGraphRuntime(model, topology?.node ?? [], label);
  } catch (e) {
    model.dispose();
    throw e;
  }
  try {
    const labels = options.labelsFile
      ? readLabelsFile(options.labelsFile, runtime.classes)
      : options.labels?.length === runtime.classes ? [...options.labels] : Array.from({ length: runtime.classes }, (_, i) => `class ${i}`);
    const h = createHash('sha256');
    for (const f of files.files) h.update(readFileSync(f));
    return {
      id: options.id,
      model: runtime,
      format: 'tfjs-graph',
      inputSize: runtime.inputSize,
      preprocess: options.preprocess,
      labels,
      outputIsSoftmax: runtime.outputIsSoftmax,
      files: files.files,
      sha256: h.digest('hex'),
    };
  } catch (e) {
    runtime.dispose();
    throw e;
  }
}
