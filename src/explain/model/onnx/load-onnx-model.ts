/**
 * `--model path/to/model.onnx`: reads and validates the export, builds its runtime, and describes it like any
 * other loaded model (input size from the ONNX input, preprocessing from the flags — default [0,1] — labels
 * from --labels or `class i`, sha256 of the file for the audit log).
 */
import { createHash } from 'node:crypto';
import type { Preprocess, RuntimeLoadedModel } from '../loaded-model.js';
import { readLabelsFile } from '../read-labels.js';
import { buildOnnxGraph } from './onnx-graph.js';
import { createOnnxRuntime } from './onnx-runtime.js';
import { readOnnxFile } from './read-onnx.js';

export interface OnnxLoadOptions {
  readonly preprocess: Preprocess;
  readonly labelsFile?: string;
}

export function loadOnnxModel(path: string, options: OnnxLoadOptions): RuntimeLoadedModel {
  const label = `ONNX model '${path}'`;
  const { proto, bytes } = readOnnxFile(path);
  const runtime = createOnnxRuntime(buildOnnxGraph(proto, label), label);
  try {
    const labels = options.labelsFile ? readLabelsFile(options.labelsFile, runtime.classes) : Array.from({ length: runtime.classes }, (_, i) => `class ${i}`);
    return {
      id: path,
      model: runtime,
      format: 'onnx',
      inputSize: runtime.inputSize,
      preprocess: options.preprocess,
      labels,
      outputIsSoftmax: runtime.outputIsSoftmax,
      files: [path],
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  } catch (e) {
    runtime.dispose();
    throw e;
  }
}
