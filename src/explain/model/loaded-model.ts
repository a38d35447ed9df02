/**
 * What a loaded model is to the rest of the pipeline: the Keras-style LayersModel plus everything needed to feed
 * it (input size, preprocessing) and to talk about it (labels, files to hash for the audit log).
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isModelRuntime, type ModelFormat, type ModelRuntime } from './model-runtime.js';

/** Pixel range the model expects after scaling bytes 0..255. */
export type InputRange = '0,1' | '-1,1' | '0,255';

export interface Preprocess {
  readonly range: InputRange;
  /** Per-channel mean subtracted after range scaling (same units as the range). */
  readonly mean?: readonly [number, number, number];
  /** Per-channel std divided by after the mean. */
  readonly std?: readonly [number, number, number];
}

export interface LoadedModel {
  /** Bundled name ('mobilenet-v2', 'shapes') or the absolute path of a user's model.json. */
  readonly id: string;
  readonly model: LayersModel;
  /** How the model is stored (recorded in the audit header); absent means a tfjs LayersModel. */
  readonly format?: ModelFormat;
  readonly inputSize: { readonly width: number; readonly height: number };
  readonly preprocess: Preprocess;
  readonly labels: readonly string[];
  /** Target layer named by the model's meta.json (`targetLayer`), used when --layer is not given. */
  readonly defaultLayer?: string;
  /** True when the model's last op is a softmax (the head is rebuilt linear to expose logits). */
  readonly outputIsSoftmax: boolean;
  /** Files the model was read from, for hashing. */
  readonly files: readonly string[];
  /** sha256 (hex) over the files' bytes, in `files` order. */
  readonly sha256: string;
}

/** A model of another format (ONNX, TF.js graph model), which the engine cuts through its runtime. */
export interface RuntimeLoadedModel extends Omit<LoadedModel, 'model'> {
  readonly model: ModelRuntime;
}

/** Any loaded model: what `openModel` returns and the explain engine takes. */
export type AnyLoadedModel = LoadedModel | RuntimeLoadedModel;

/** True for a tfjs LayersModel (the layers API is available on `model`). */
export function isLayersLoadedModel(m: AnyLoadedModel): m is LoadedModel {
  return !isModelRuntime(m.model);
}

export const INPUT_RANGES: readonly InputRange[] = ['0,1', '-1,1', '0,255'];
