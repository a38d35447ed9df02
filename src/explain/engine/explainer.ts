/**
 * The explain engine: settings in the factory, frames in the call. Per batch: preprocess into one [N,H,W,3]
 * tensor, one shared forward (the optimised inference graph for the body; the head stays a LayersModel so it is
 * differentiable), the shared head gradient when any method needs it, then each method's weights (→ Σ_k w_k A_k)
 * or map, ReLU and per-frame min-max into CamMaps at the target layer's resolution.
 *
 * Tensor discipline: synchronous maths inside tf.tidy, `await data()` outside, then dispose; the per-batch
 * context is disposed in `finally`. `tf.memory().numTensors` is flat across batches.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import type { Frame } from '../../core/frame.js';
import type { CamMap } from '../../core/cam-map.js';
import { argmaxRows, createCamContext, DEFAULT_CAM_OPTIONS } from './cam-context.js';
import { toCamMaps } from './cam-normalize.js';
import { FactsTracker, NO_FACTS } from './batch-facts.js';
import { minMaxPerFrame, normalizeCam, weightedSum, weightedTerms } from '../methods/base.js';
import { principalProjection } from '../methods/principal-projection.js';
import type { FrameMaps } from '../../core/frame-maps.js';
import { withKernelErrors } from '../backend/kernel-errors.js';
import type { AnyLoadedModel } from '../model/loaded-model.js';
import type { CamContext, CamMethod, CamOptions } from '../methods/types.js';
import { isModelRuntime, isRuntimeSplit, type RuntimeSplit } from '../model/model-runtime.js';
import { optimizeForInference, type OptimizedModel } from '../model/optimize-inference.js';
import { preprocessFrames } from '../model/preprocess.js';
import type { TargetKind } from './target-scores.js';
import { runBody, runHead, splitModel, type ModelSplit } from '../model/split-model.js';

export interface ExplainerOptions {
  readonly model: AnyLoadedModel;
  /** Target layer name; default: the model's meta.json `targetLayer`, else the last spatial layer before global pooling. */
  readonly layer?: string;
  readonly methods: readonly CamMethod[];
  /** 'auto' = argmax per frame, or a fixed class index. */
  readonly classMode?: 'auto' | number;
  /** Frames per forward pass (explainBatch splits larger inputs). Default 8. */
  readonly batchSize?: number;
  readonly camOptions?: Partial<CamOptions>;
  /** Use the BN-folded, activation-fused inference graph for the body forward. Default true. */
  readonly optimize?: boolean;
  /** What the gradients explain (--target); default the raw logit. */
  readonly target?: TargetKind;
  /** --aug-smooth: average each member's map over horizontal flip × input scale 0.9/1/1.1 (6 passes). */
  readonly augSmooth?: boolean;
  /** --eigen-smooth: the first principal component of the terms a member sums (base.ts rawCam). */
  readonly eigenSmooth?: boolean;
  /** Also hand out `fineMaps` (members with a `fineMap`, e.g. RefineCAM over several layers) — for --dump-maps. */
  readonly fineMaps?: boolean;
}

/** pytorch-grad-cam's default test-time augmentations (ttach HorizontalFlip × Multiply([0.9, 1, 1.1])). */
export const AUG_SMOOTH_TRANSFORMS: readonly { readonly flip: boolean; readonly scale: number }[] = [false, true].flatMap((flip) =>
  [0.9, 1, 1.1].map((scale) => ({ flip, scale })),
);

export interface Explainer {
  readonly layer: string;
  /** [h, w, K] of the target layer. */
  readonly activationShape: readonly [number, number, number];
  readonly labels: readonly string[];
  readonly batchSize: number;
  readonly methods: readonly CamMethod[];
  /** The model split (body/head), for callers that need the raw pieces. */
  readonly split: ModelSplit | RuntimeSplit;
  explainBatch(frames: readonly Frame[]): Promise<FrameMaps[]>;
  dispose(): void;
}

export function createExplainer(options: ExplainerOptions): Explainer {
  const { model: loaded, methods } = options;
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new MetacamError('E_ARG', `--batch must be a positive integer, got ${batchSize}`);
  const ids = new Set<string>();
  for (const m of methods) {
    if (ids.has(m.id)) throw new MetacamError('E_ARG', `method '${m.id}' is listed twice`);
    if (!m.weights && !m.map) throw new MetacamError('E_INTERNAL', `method '${m.id}' supplies neither weights nor map`);
    ids.add(m.id);
  }
  const classes = loaded.labels.length;
  const classMode = options.classMode ?? 'auto';
  if (classMode !== 'auto' && (!Number.isInteger(classMode) || classMode < 0 || classMode >= classes)) {
    throw new MetacamError(
      'E_CLASS_OUT_OF_RANGE',
      `class ${classMode} is out of range: model '${loaded.id}' has ${classes} classes (0..${classes - 1}: ${loaded.labels.join(', ')})`,
    );
  }
  const camOptions: CamOptions = { ...DEFAULT_CAM_OPTIONS, ...options.camOptions };
  const layer = options.layer ?? loaded.defaultLayer;
  const split = isModelRuntime(loaded.model) ? loaded.model.split(layer) : splitModel(loaded.model, layer);
  let optimized: OptimizedModel | undefined;
  // A runtime split's body is already its inference path (BN folded, activations fused).
  if ((options.optimize ?? true) && !isModelRuntime(loaded.model)) optimized = optimizeForInference(loaded.model, { keep: [split.target.name] });
  const bodyForward = (x: tf.Tensor4D): tf.Tensor4D =>
    optimized ? (optimized.runTo(split.target.name, x) as tf.Tensor4D) : runBody(split, x);
  const [h, w, k] = split.target.shape;
  let disposed = false;
  // Copying equal maps is exact only for the plain maps: eigen-smooth projects each member's own terms and
  // aug-smooth averages re-explained augmentations, so with either every member is computed.
  const canCopy = !options.eigenSmooth && !options.augSmooth && methods.some((m) => m.sameAs);
  const factsTracker = new FactsTracker();

  /** A method's raw map [n,h,w] for this batch, its shape checked (a method's bug must not become a wrong map). */
  function rawMap(m: CamMethod, ctx: CamContext): tf.Tensor3D {
    const n = ctx.classes.length;
    if (m.weights) {
      const wts = m.weights(ctx);
      if (wts.rank !== 2 || wts.shape[0] !== n || wts.shape[1] !== k) {
        throw new MetacamError('E_INTERNAL', `method '${m.id}' returned weights [${wts.shape.join(',')}], expected [${n},${k}]`);
      }
      return options.eigenSmooth ? principalProjection(weightedTerms(wts, ctx.activations)) : weightedSum(wts, ctx.activations);
    }
    if (options.eigenSmooth && m.channels) return principalProjection(m.channels(ctx));
    const raw = m.map!(ctx);
    if (raw.rank !== 3 || raw.shape[0] !== n || raw.shape[1] !== h || raw.shape[2] !== w) {
      throw new MetacamError('E_INTERNAL', `method '${m.id}' returned a map [${raw.shape.join(',')}], expected [${n},${h},${w}]`);
    }
    return raw;
  }

  async function explainChunk(frames: readonly Frame[]): Promise<FrameMaps[]> {
    const n = frames.length;
    const timings: Record<string, number> = {};
    let t = performance.now();
    const lap = (key: string): void => {
      const now = performance.now();
      timings[key] = (timings[key] ?? 0) + (now - t) / n;
      t = now;
    };
    const input = preprocessFrames(frames.map((f) => f.input), loaded.inputSize, loaded.preprocess);
    lap('preprocess');
    let activations: tf.Tensor4D | undefined;
    let logits: tf.Tensor2D | undefined;
    let logitValues: Float32Array;
    try {
      activations = tf.tidy(() => bodyForward(input));
      logits = tf.tidy(() => runHead(split, activations!));
      logitValues = (await logits.data()) as Float32Array;
    } catch (e) {
      input.dispose();
      activations?.dispose();
      logits?.dispose();
      throw e;
    }
    lap('forward');
    const cls = classMode === 'auto' ? argmaxRows(logitValues, n, classes) : new Array<number>(n).fill(classMode);
    const ctx = createCamContext(split, input, cls, camOptions, { bodyForward, forward: { activations, logits }, target: options.target });
    try {
      const probsT = tf.tidy(() => tf.softmax(ctx.logits));
      const probs = (await probsT.data()) as Float32Array;
      probsT.dispose();
      if (methods.some((m) => m.needsGradients)) {
        ctx.gradients(); // no read-back: the members use it on the backend (on wasm the lap is its compute time)
        lap('gradients');
      }
      // Every member's raw map, each checked and ReLU + min-max normalised, then all of them read back at once:
      // one [M·N,h,w] tensor and one sync per batch instead of one per member.
      // A member whose map must equal an earlier member's on this batch (CamMethod.sameAs) is copied, not computed.
      const facts = canCopy ? await factsTracker.facts(ctx, methods.some((m) => m.needsGradients)) : NO_FACTS;
      lap('facts');
      const copied: Record<string, string> = {};
      const normalised: tf.Tensor3D[] = [];
      const byId = new Map<string, tf.Tensor3D>();
      let stacked: tf.Tensor | undefined;
      let values: Float32Array = new Float32Array(0);
      try {
        for (const m of methods) {
          const same = m.sameAs?.(facts);
          const source = same === undefined ? undefined : byId.get(same);
          if (source) copied[m.id] = same!;
          const map = source ? tf.clone(source) : withKernelErrors(`method '${m.id}'`, () => tf.tidy(() => normalizeCam(rawMap(m, ctx))));
          normalised.push(map);
          byId.set(m.id, map);
          lap(m.id);
        }
        if (options.augSmooth) {
          augmentedMeans(ctx, cls, normalised);
          lap('augSmooth');
        }
        if (normalised.length > 0) {
          stacked = normalised.length === 1 ? normalised[0] : tf.concat(normalised, 0);
          values = (await stacked.data()) as Float32Array;
        }
      } finally {
        tf.dispose(normalised);
        stacked?.dispose();
      }
      lap('readback');
      const fine = options.fineMaps ? await fineMapsOf(ctx) : undefined;
      const perMethod: Record<string, CamMap[]> = {};
      methods.forEach((m, i) => {
        perMethod[m.id] = toCamMaps(values.subarray(i * n * h * w, (i + 1) * n * h * w), n, h, w);
      });
      const c = classes;
      return frames.map((f, i) => ({
        index: f.index,
        probabilities: probs.slice(i * c, (i + 1) * c),
        classIndex: cls[i],
        maps: Object.fromEntries(methods.map((m) => [m.id, perMethod[m.id][i]])),
        ...(Object.keys(copied).length ? { copied } : {}),
        ...(fine ? { fineMaps: Object.fromEntries(Object.entries(fine).map(([id, maps]) => [id, maps[i]!])) } : {}),
        timings: { ...timings },
      }));
    } finally {
      ctx.dispose();
    }
  }

  /** Each member's fineMap, ReLU + min-max, read back and split per frame. */
  async function fineMapsOf(ctx: CamContext): Promise<Record<string, CamMap[]>> {
    const out: Record<string, CamMap[]> = {};
    for (const m of methods) {
      if (!m.fineMap) continue;
      const t = withKernelErrors(`method '${m.id}'`, () => tf.tidy(() => normalizeCam(m.fineMap!(ctx))));
      try {
        const [n, fh, fw] = t.shape;
        out[m.id] = toCamMaps((await t.data()) as Float32Array, n, fh, fw);
      } finally {
        t.dispose();
      }
    }
    return out;
  }

  /**
   * --aug-smooth: adds every member's normalised map for the other five augmentations of the batch (flipped back)
   * to `sums` (the identity augmentation's maps, replaced in place), then min-max normalises the mean. The classes
   * stay those of the plain frame. The reference returns the plain mean; its min-max here is a per-map affine
   * rescaling (same ranks, same thresholds) so members keep reaching 1 as every map does.
   */
  function augmentedMeans(base: CamContext, cls: readonly number[], sums: tf.Tensor3D[]): void {
    for (const { flip, scale } of AUG_SMOOTH_TRANSFORMS) {
      if (!flip && scale === 1) continue;
      const x = tf.tidy(() => tf.mul(flip ? tf.reverse(base.input, 2) : base.input, scale) as tf.Tensor4D);
      const actx = createCamContext(split, x, cls, camOptions, { bodyForward, target: options.target });
      try {
        methods.forEach((m, i) => {
          const next = withKernelErrors(`method '${m.id}'`, () => tf.tidy(() => {
            const map = normalizeCam(rawMap(m, actx));
            return tf.add(sums[i]!, flip ? tf.reverse(map, 2) : map) as tf.Tensor3D;
          }));
          sums[i]!.dispose();
          sums[i] = next;
        });
      } finally {
        actx.dispose();
      }
    }
    for (let i = 0; i < sums.length; i++) {
      const mean = minMaxPerFrame(sums[i]!);
      sums[i]!.dispose();
      sums[i] = mean;
    }
  }

  return {
    layer: split.target.name,
    activationShape: split.target.shape,
    labels: loaded.labels,
    batchSize,
    methods,
    split,
    async explainBatch(frames) {
      if (disposed) throw new MetacamError('E_INTERNAL', 'explainBatch() after dispose()');
      const out: FrameMaps[] = [];
      for (let i = 0; i < frames.length; i += batchSize) out.push(...(await explainChunk(frames.slice(i, i + batchSize))));
      return out;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      optimized?.dispose();
      if (!isRuntimeSplit(split)) split.head.dispose();
    },
  };
}
