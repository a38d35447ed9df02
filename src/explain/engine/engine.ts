/**
 * The model engine: the one place a model is loaded and its explainers are built, whether that happens on the
 * main thread (`image`, `live`, `evaluate`, `explain --in-process`) or in the explainer worker (`explain`). It
 * resolves the target layer and the class once, and reports what the rest of the pipeline needs to know about
 * the model (`ModelInfo`: plain data that can cross to another thread).
 *
 * The backend must already be selected (selectBackend) by whoever opens the engine.
 */
import { MetacamError } from '../../errors.js';
import { createExplainer, type Explainer } from './explainer.js';
import type { AnyLoadedModel } from '../model/loaded-model.js';
import type { ModelFormat } from '../model/model-runtime.js';
import type { CamMethod, CamOptions } from '../methods/types.js';
import { openModel } from '../model/model-registry.js';
import type { ClassChoice, ModelSettings } from '../model/model-settings.js';

/** What a run knows about its model, wherever the model itself lives. */
export interface ModelInfo {
  /** Bundled name or the absolute path of the model file. */
  readonly id: string;
  /** sha256 over the model's files (audit log). */
  readonly sha256: string;
  /** How the model is stored. */
  readonly format: ModelFormat;
  readonly labels: readonly string[];
  readonly inputSize: { readonly width: number; readonly height: number };
  /** The resolved target layer and its activation shape [h, w, K]. */
  readonly layer: string;
  readonly activationShape: readonly [number, number, number];
  /** The resolved class: 'auto' (argmax per frame) or a fixed index. */
  readonly classMode: 'auto' | number;
}

export interface ModelEngine {
  readonly model: AnyLoadedModel;
  readonly info: ModelInfo;
  /** The explainer for the engine's settings (members, class, batch). Disposed with the engine. */
  readonly explainer: Explainer;
  /** Another explainer on the same model and layer (another class, other members, another batch); the caller disposes it. */
  explainerFor(change: { classMode?: 'auto' | number; methods?: readonly CamMethod[]; batchSize?: number; fineMaps?: boolean }): Explainer;
  dispose(): void;
}

/** Rows per internal pass of the per-channel methods (Score-CAM, Ablation-CAM). */
export const PASS_BATCH = 64;

/** 'auto', an index, or a label matched case-insensitively against the model's labels. */
export function resolveClass(choice: ClassChoice, labels: readonly string[]): 'auto' | number {
  if (choice === 'auto') return 'auto';
  if (typeof choice === 'number') {
    if (choice < 0 || choice >= labels.length) {
      throw new MetacamError('E_CLASS_OUT_OF_RANGE', `--class ${choice} is out of range: this model has ${labels.length} classes (0–${labels.length - 1}: ${labels.join(', ')}).`);
    }
    return choice;
  }
  const i = labels.findIndex((l) => l.toLowerCase() === choice.toLowerCase());
  if (i < 0) throw new MetacamError('E_CLASS_OUT_OF_RANGE', `--class '${choice}' is not a label of this model; labels: ${labels.join(', ')} (or give an index, or 'auto').`);
  return i;
}

/**
 * Loads the model of `settings` (already resolved) and builds its explainer for `methods`. `optimize: false`
 * skips the BN-folded inference graph (tests comparing against the plain model).
 */
export async function openEngine(settings: ModelSettings, methods: readonly CamMethod[], how: { optimize?: boolean } = {}): Promise<ModelEngine> {
  const model = await openModel(settings.model, { inputRange: settings.inputRange, mean: settings.mean, std: settings.std, labelsFile: settings.labels });
  const camOptions: Partial<CamOptions> = { maxChannels: settings.maxChannels, passBatch: PASS_BATCH };
  const owned: Explainer[] = [];
  try {
    const classMode = resolveClass(settings.classChoice, model.labels);
    const build = (o: { layer?: string; classMode: 'auto' | number; methods: readonly CamMethod[]; batchSize: number; fineMaps?: boolean }): Explainer =>
      createExplainer({
        model, layer: o.layer, methods: o.methods, classMode: o.classMode, batchSize: o.batchSize, camOptions, optimize: how.optimize ?? true,
        target: settings.target, augSmooth: settings.augSmooth, eigenSmooth: settings.eigenSmooth, fineMaps: o.fineMaps,
      });
    const explainer = build({ layer: settings.layer, classMode, methods, batchSize: settings.batch });
    owned.push(explainer);
    const info: ModelInfo = {
      id: model.id, sha256: model.sha256, format: model.format ?? 'tfjs-layers', labels: model.labels, inputSize: model.inputSize,
      layer: explainer.layer, activationShape: explainer.activationShape, classMode,
    };
    let disposed = false;
    return {
      model, info, explainer,
      explainerFor: (change) => build({
        layer: explainer.layer,
        classMode: change.classMode ?? classMode,
        methods: change.methods ?? methods,
        batchSize: change.batchSize ?? settings.batch,
        fineMaps: change.fineMaps,
      }),
      dispose() {
        if (disposed) return;
        disposed = true;
        explainer.dispose();
        model.model.dispose();
      },
    };
  } catch (e) {
    for (const x of owned) x.dispose();
    model.model.dispose();
    throw e;
  }
}
