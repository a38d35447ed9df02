/**
 * The models metacam knows by name, and `loadModel(nameOrPath)`: a bundled name or the path of a user's
 * model.json. Preprocessing travels with the model (bundled models carry it; a user's model takes it from
 * a `meta.json` beside it or from the --input-range/--mean/--std flags).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { MetacamError } from '../../errors.js';
import { readModelFiles, type ModelFiles } from './fs-io-handler.js';
import { INPUT_RANGES, type InputRange, type AnyLoadedModel, type LoadedModel, type Preprocess } from './loaded-model.js';
import { loadGraphModelFiles } from './graph/load-graph-model.js';
import type { ModelFormat } from './model-runtime.js';
import { NSFWJS_LABELS, nsfwjsDir, readNsfwjsMobilenetV2, readNsfwjsModel, type NsfwjsModelFolder } from './nsfwjs-model.js';
import { loadOnnxModel } from './onnx/load-onnx-model.js';
import { readLabelsFile } from './read-labels.js';

export interface BundledModelInfo {
  readonly name: string;
  readonly description: string;
  readonly available: boolean;
  /** Why it cannot be loaded (when not available). */
  readonly reason?: string;
  /** Where it is read from. */
  readonly source: string;
  readonly format?: ModelFormat;
  readonly inputSize?: { readonly width: number; readonly height: number };
  readonly labels?: readonly string[];
}

export interface LoadModelOptions {
  readonly inputRange?: InputRange;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  /** A labels.txt (one class name per line) overriding the model's labels. */
  readonly labelsFile?: string;
}

/** The project root (folder of metacam-video's package.json), found by walking up from this file. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'metacam-video') return dir;
      } catch {
        /* keep walking */
      }
    }
    dir = dirname(dir);
  }
  throw new MetacamError('E_INTERNAL', 'cannot locate the metacam-video package root');
}

/** The testbed models trained by this project (samples/shapes/train.ts), each in models/<name>/. */
const TESTBED_MODELS: readonly { readonly name: string; readonly description: string; readonly command: string }[] = [
  { name: 'shapes', description: 'small CNN trained on synthetic shapes (testbed)', command: 'npm run train:shapes' },
  {
    name: 'shapes-deep',
    description: 'the shapes CNN with a conv layer after conv_last (testbed: gradient CAMs differ)',
    command: 'npm run train:shapes-deep',
  },
];

function testbedDir(name: string): string {
  return join(projectRoot(), 'models', name);
}

export function listBundledModels(): BundledModelInfo[] {
  let nsfw: BundledModelInfo;
  try {
    readNsfwjsPresence();
    nsfw = { name: 'mobilenet-v2', description: 'Keras MobileNetV2 from nsfwjs, 224×224, 5 content classes', available: true, source: 'npm:nsfwjs' };
  } catch (e) {
    nsfw = { name: 'mobilenet-v2', description: 'Keras MobileNetV2 from nsfwjs', available: false, reason: (e as Error).message, source: 'npm:nsfwjs' };
  }
  const testbeds = TESTBED_MODELS.map(({ name, description, command }): BundledModelInfo => {
    const dir = testbedDir(name);
    const missing = ['model.json', 'meta.json'].filter((f) => !existsSync(join(dir, f)));
    if (missing.length > 0) {
      return { name, description, format: 'tfjs-layers', available: false, reason: `${missing.join(' and ')} missing in ${dir} (run ${command})`, source: join(dir, 'model.json') };
    }
    const meta = readSideMeta(dir);
    const inputSize = meta.inputSize && typeof meta.inputSize === 'object' ? meta.inputSize as { width: number; height: number } : undefined;
    return { name, description, format: 'tfjs-layers', available: true, source: join(dir, 'model.json'), ...(inputSize ? { inputSize } : {}), ...(meta.labels ? { labels: meta.labels } : {}) };
  });
  const size = (s: number) => ({ width: s, height: s });
  const fromNsfwjs = (name: string, folder: NsfwjsModelFolder, description: string, format: ModelFormat, side: number): BundledModelInfo => {
    const facts = { name, description, source: `npm:nsfwjs (${folder})`, format, inputSize: size(side), labels: NSFWJS_LABELS };
    try {
      readNsfwjsPresence(folder);
      return { ...facts, available: true };
    } catch (e) {
      return { ...facts, available: false, reason: (e as Error).message };
    }
  };
  return [
    ...testbeds,
    { ...nsfw, format: 'tfjs-layers', inputSize: size(224), labels: NSFWJS_LABELS },
    fromNsfwjs('mobilenet-v2-mid', 'mobilenet_v2_mid', 'TF.js graph-model MobileNetV2 from nsfwjs, 224×224, 5 content classes', 'tfjs-graph', 224),
    fromNsfwjs('inception-v3', 'inception_v3', 'Keras InceptionV3 from nsfwjs, 299×299, 5 content classes', 'tfjs-layers', 299),
  ];
}

function readNsfwjsPresence(folder: NsfwjsModelFolder = 'mobilenet_v2'): void {
  // Cheap check (no decoding): the package and its model file are there.
  const d = nsfwjsDir();
  if (!existsSync(join(d, 'dist', 'models', folder, 'model.min.js'))) throw new Error(`nsfwjs at ${d} lacks dist/models/${folder}`);
}

interface SideMeta {
  labels?: string[];
  inputSize?: { width: number; height: number } | number | [number, number];
  inputRange?: InputRange | [number, number];
  mean?: [number, number, number];
  std?: [number, number, number];
  targetLayer?: string;
}

function readSideMeta(dir: string): SideMeta {
  const metaPath = join(dir, 'meta.json');
  const labelsPath = join(dir, 'labels.json');
  let meta: SideMeta = {};
  if (existsSync(metaPath)) {
    try {
      meta = JSON.parse(readFileSync(metaPath, 'utf8')) as SideMeta;
    } catch (e) {
      throw new MetacamError('E_MODEL_INVALID', `'${metaPath}' is not JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  if (!meta.labels && existsSync(labelsPath)) {
    try {
      const l = JSON.parse(readFileSync(labelsPath, 'utf8')) as unknown;
      if (Array.isArray(l)) meta.labels = l.map(String);
    } catch (e) {
      throw new MetacamError('E_MODEL_INVALID', `'${labelsPath}' is not JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  return meta;
}

function parseRange(r: SideMeta['inputRange']): InputRange | undefined {
  if (r === undefined) return undefined;
  const s = Array.isArray(r) ? `${r[0]},${r[1]}` : String(r).replace(/\s/g, '');
  if ((INPUT_RANGES as readonly string[]).includes(s)) return s as InputRange;
  throw new MetacamError('E_MODEL_INVALID', `input range '${s}' is not one of ${INPUT_RANGES.join(' | ')}`);
}

function sha256Of(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex');
}

function lastLayerIsSoftmax(model: tfl.LayersModel): boolean {
  const out = model.outputs[0];
  const layer = out.sourceLayer as unknown as { getClassName(): string; getConfig(): Record<string, unknown> };
  const cls = layer.getClassName();
  const cfg = layer.getConfig();
  if (cls === 'Softmax') return true;
  return cfg.activation === 'softmax';
}

async function instantiate(files: ModelFiles, label: string): Promise<tfl.LayersModel> {
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory(files.artifacts));
  } catch (e) {
    throw new MetacamError('E_MODEL_INVALID', `cannot build ${label} as a tfjs LayersModel: ${(e as Error).message}`, { cause: e });
  }
}

function validateClassifier(model: tfl.LayersModel, label: string): { inputH: number | null; inputW: number | null; classes: number } {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    model.dispose();
    throw new MetacamError('E_MODEL_INVALID', `${label} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; metacam explains single-input image classifiers`);
  }
  const inShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  if (inShape.length !== 4 || inShape[3] !== 3) {
    model.dispose();
    throw new MetacamError('E_MODEL_INVALID', `${label} input shape [${inShape.join(',')}] is not an RGB image batch [N,H,W,3]`);
  }
  if (outShape.length !== 2 || !(typeof outShape[1] === 'number' && outShape[1] >= 1)) {
    model.dispose();
    throw new MetacamError('E_MODEL_INVALID', `${label} has no classifier head: output shape [${outShape.join(',')}] is not [N, classes]`);
  }
  return { inputH: inShape[1], inputW: inShape[2], classes: outShape[1] };
}

function inputSizeFrom(meta: SideMeta, h: number | null, w: number | null, label: string): { width: number; height: number } {
  const s = meta.inputSize;
  if (typeof s === 'number') return { width: s, height: s };
  if (Array.isArray(s)) return { width: s[0], height: s[1] };
  if (s && typeof s === 'object') return { width: s.width, height: s.height };
  if (h && w) return { width: w, height: h };
  throw new MetacamError('E_MODEL_INVALID', `${label} does not fix its input size (input shape has nulls); add "inputSize": {"width","height"} to a meta.json beside it`);
}

/**
 * Loads a bundled model by name, or a user's LayersModel by the path of its model.json.
 * Unknown names → E_MODEL_NOT_FOUND listing the bundled ones.
 */
export async function loadModel(nameOrPath: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const bundled = listBundledModels();
  const entry = bundled.find((b) => b.name === nameOrPath);
  if (entry && !entry.available) {
    throw new MetacamError('E_MODEL_NOT_FOUND', `bundled model '${entry.name}' is not available: ${entry.reason}`);
  }
  let files: ModelFiles;
  let meta: SideMeta;
  let id: string;
  let defaults: Preprocess;
  if (nameOrPath === 'mobilenet-v2' || nameOrPath === 'inception-v3') {
    const inception = nameOrPath === 'inception-v3';
    files = inception ? readNsfwjsModel('inception_v3', nameOrPath) : readNsfwjsMobilenetV2();
    const side = inception ? 299 : 224;
    meta = { labels: [...NSFWJS_LABELS], inputSize: { width: side, height: side } };
    id = nameOrPath;
    defaults = { range: '0,1' };
  } else {
    const isShapes = TESTBED_MODELS.some((t) => t.name === nameOrPath);
    const path = isShapes ? join(testbedDir(nameOrPath), 'model.json') : resolve(nameOrPath);
    if (!isShapes && !existsSync(path)) {
      const looksLikePath = /[\\/]|\.json$/i.test(nameOrPath);
      throw new MetacamError(
        'E_MODEL_NOT_FOUND',
        looksLikePath
          ? `model file '${nameOrPath}' does not exist`
          : `unknown model '${nameOrPath}'; bundled models: ${bundled.map((b) => b.name + (b.available ? '' : ' (unavailable)')).join(', ')}, or give a path to a model.json`,
      );
    }
    files = readModelFiles(path);
    meta = readSideMeta(dirname(path));
    const metaFile = join(dirname(path), 'meta.json');
    if (existsSync(metaFile)) files = { ...files, files: [...files.files, metaFile] };
    id = isShapes ? nameOrPath : path;
    defaults = { range: parseRange(meta.inputRange) ?? '0,1', mean: meta.mean, std: meta.std };
  }
  const label = id === nameOrPath && !entry ? `model '${nameOrPath}'` : `model '${id}'`;
  const model = await instantiate(files, label);
  const { inputH, inputW, classes } = validateClassifier(model, label);
  const labels = options.labelsFile
    ? readLabelsFile(options.labelsFile, classes)
    : meta.labels && meta.labels.length === classes ? meta.labels : Array.from({ length: classes }, (_, i) => `class ${i}`);
  const preprocess: Preprocess = {
    range: options.inputRange ?? defaults.range,
    mean: options.mean ?? defaults.mean,
    std: options.std ?? defaults.std,
  };
  return {
    id,
    model,
    format: 'tfjs-layers',
    inputSize: inputSizeFrom(meta, inputH, inputW, label),
    preprocess,
    labels,
    outputIsSoftmax: lastLayerIsSoftmax(model),
    defaultLayer: typeof meta.targetLayer === 'string' ? meta.targetLayer : undefined,
    files: files.files,
    sha256: sha256Of(files.files),
  };
}

/**
 * Opens a model of any format: an ONNX export (`*.onnx`), or what `loadModel` reads (bundled names, tfjs
 * LayersModels). The engine cuts each the same way; see model-runtime.ts.
 */
export async function openModel(nameOrPath: string, options: LoadModelOptions = {}): Promise<AnyLoadedModel> {
  const preprocess: Preprocess = { range: options.inputRange ?? '0,1', mean: options.mean, std: options.std };
  if (/\.onnx$/i.test(nameOrPath)) return loadOnnxModel(resolve(nameOrPath), { preprocess, labelsFile: options.labelsFile });
  if (nameOrPath === 'mobilenet-v2-mid') {
    const entry = listBundledModels().find((b) => b.name === nameOrPath)!;
    if (!entry.available) throw new MetacamError('E_MODEL_NOT_FOUND', `bundled model '${nameOrPath}' is not available: ${entry.reason}`);
    return loadGraphModelFiles(readNsfwjsModel('mobilenet_v2_mid', nameOrPath), { id: nameOrPath, preprocess, labels: NSFWJS_LABELS, labelsFile: options.labelsFile });
  }
  if (/\.json$/i.test(nameOrPath) && isGraphModelJson(resolve(nameOrPath))) {
    const path = resolve(nameOrPath);
    return loadGraphModelFiles(readModelFiles(path, { graphModel: true }), { id: path, preprocess, labelsFile: options.labelsFile });
  }
  return loadModel(nameOrPath, options);
}

/** A model.json whose `format` says graph-model (anything unreadable is left to the layers loader's errors). */
function isGraphModelJson(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown }).format === 'graph-model';
  } catch {
    return false;
  }
}
