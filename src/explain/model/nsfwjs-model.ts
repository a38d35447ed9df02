/**
 * Reads the Keras MobileNetV2 that the `nsfwjs` npm package ships, with no network: the package bundles the
 * model JSON and a base64 weight shard as UMD modules (`dist/models/mobilenet_v2/*.min.js`). We evaluate each in
 * an isolated vm context with a CommonJS-like `module`, then JSON round-trip the result so every object belongs
 * to this realm (tfjs-layers' iteration helpers reject cross-realm objects).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import type { io } from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import type { ModelFiles } from './fs-io-handler.js';

const require = createRequire(import.meta.url);

export const NSFWJS_LABELS = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;

/** nsfwjs's package folder (its `exports` hide package.json, so walk up from the resolved entry). */
export function nsfwjsDir(): string {
  let dir = dirname(require.resolve('nsfwjs'));
  for (let i = 0; i < 5; i++) {
    try {
      const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pj.name === 'nsfwjs') return dir;
    } catch {
      /* keep walking */
    }
    dir = dirname(dir);
  }
  throw new Error('package.json of nsfwjs not found');
}

function evalUmd(path: string): unknown {
  const module: { exports: unknown } = { exports: {} };
  vm.runInNewContext(readFileSync(path, 'utf8'), { module, exports: module.exports }, { filename: path, timeout: 30_000 });
  return module.exports;
}

/** The models nsfwjs@4 ships: a Keras MobileNetV2 and InceptionV3 (layers models) and a TF.js graph MobileNetV2. */
export type NsfwjsModelFolder = 'mobilenet_v2' | 'mobilenet_v2_mid' | 'inception_v3';

/** Model JSON + decoded weights (shards concatenated in manifest order) of an nsfwjs model, and their files. */
export function readNsfwjsModel(folder: NsfwjsModelFolder, name: string): ModelFiles {
  let dir: string;
  try {
    dir = join(nsfwjsDir(), 'dist', 'models', folder);
  } catch (e) {
    throw new MetacamError('E_MODEL_NOT_FOUND', `bundled model '${name}' needs the nsfwjs package: npm install nsfwjs@4`, { cause: e });
  }
  const modelFile = join(dir, 'model.min.js');
  try {
    const json = JSON.parse(JSON.stringify(evalUmd(modelFile))) as {
      format?: string;
      modelTopology: object;
      weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
    };
    const shardFiles = json.weightsManifest.flatMap((g) => g.paths.map((p) => join(dir, `${p}.min.js`)));
    const shards = shardFiles.map((f) => {
      const b64 = evalUmd(f);
      if (typeof b64 !== 'string') throw new Error(`weight shard module ${f} did not export a base64 string`);
      return Buffer.from(b64, 'base64');
    });
    const bytes = Buffer.concat(shards);
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return {
      artifacts: { format: json.format, modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData },
      files: [modelFile, ...shardFiles],
    };
  } catch (e) {
    throw new MetacamError('E_MODEL_INVALID', `cannot decode nsfwjs's bundled ${folder} (${(e as Error).message}); reinstall nsfwjs@4`, { cause: e });
  }
}

/** Model JSON + decoded weights of nsfwjs's mobilenet_v2, and the two files they came from. */
export function readNsfwjsMobilenetV2(): ModelFiles {
  return readNsfwjsModel('mobilenet_v2', 'mobilenet-v2');
}
