import type * as tf from '@tensorflow/tfjs-core';
import type { TargetKind } from '../engine/target-scores.js';

export type { TargetKind } from '../engine/target-scores.js';

/**
 * The shared context one batch of frames offers every CAM method. One forward pass and (lazily, once) one head
 * gradient are shared by all methods of an ensemble. All tensors are owned by the context and disposed by the
 * engine after every method has run: methods must not dispose them, and must return only tensors they created.
 *
 * Shapes: N frames, model input H×W×3, target layer h×w×K, C classes. Everything NHWC.
 */
export interface CamContext {
  /** Preprocessed model input [N,H,W,3] (already scaled/normalised as the model expects). */
  readonly input: tf.Tensor4D;
  /** Target-layer activations A [N,h,w,K]. */
  readonly activations: tf.Tensor4D;
  /** Pre-softmax class scores [N,C] (logits; for a softmax model, the head was rebuilt linear). */
  readonly logits: tf.Tensor2D;
  /** Target class per frame (length N). */
  readonly classes: readonly number[];
  /** What the gradients explain (--target): 'logit' (default), 'softmax' or 'finer' (engine/target-scores.ts). */
  readonly target: TargetKind;
  /**
   * g = ∂score/∂A [N,h,w,K] for the run's target, or for `kind` (FinerCAM asks for 'finer'); computed once per kind
   * on first use and cached.
   */
  gradients(kind?: TargetKind): tf.Tensor4D;
  /**
   * The explained score per frame, score(logits) → [N], for a batch of logits with one row per frame (in frame
   * order), for the run's target or `kind`: differentiable (twice: ShapleyCAM). Not owned by ctx.
   */
  frameScores(logits: tf.Tensor2D, kind?: TargetKind): tf.Tensor1D;
  /** g ⊙ A [N,h,w,K], computed once on first use and cached (HiResCAM, Grad-CAM element-wise, XGrad-CAM, Eigen-Grad-CAM share it). */
  gradientsTimesActivations(): tf.Tensor4D;
  /** Runs the head (target layer → logits) on any batch of activations [M,h,w,K] → [M,C]. Not owned by ctx. */
  runHead(activations: tf.Tensor4D): tf.Tensor2D;
  /** Runs the whole model (input → logits) on any batch [M,H,W,3] → [M,C]. Not owned by ctx. */
  runModel(input: tf.Tensor4D): tf.Tensor2D;
  /** Selects the raw logit[i, classes[i]] (whatever --target says: the perturbation methods score logits) for a batch whose rows belong to frames `frameOf[i]` → [M]. Gradient-safe on wasm. */
  targetScores(logits: tf.Tensor2D, classes: readonly number[]): tf.Tensor1D;
  /** Method options (channel budget for per-channel methods, batch size for internal passes). */
  readonly options: CamOptions;
  /** Extra, model-level access for methods that need more than the target layer (FullGrad, multi-layer LayerCAM). */
  readonly model: CamModelAccess;
}

export interface CamOptions {
  /** Score-CAM / Ablation-CAM: keep only the N channels with the largest mean activation (Faster-Score-CAM). */
  readonly maxChannels: number;
  /** Batch size for internal passes (Score-CAM masked inputs, Ablation-CAM ablated heads). */
  readonly passBatch: number;
}

export interface CamModelAccess {
  /**
   * For FullGrad: gradients of the target score w.r.t. the input and w.r.t. every bias-carrying layer's output
   * (pre-activation z, where the layer has a bias b), returned with the biases. Tensors are new and owned by the
   * caller. Absent when the model/backend cannot provide it.
   */
  biasGradients?(input: tf.Tensor4D, classes: readonly number[]): {
    inputGradient: tf.Tensor4D;
    layers: { name: string; bias: tf.Tensor1D; gradient: tf.Tensor4D }[];
  };
  /** For multi-layer LayerCAM: activations and gradients at other named layers. Owned by the caller. */
  layerActivationsAndGradients?(layerNames: readonly string[], input: tf.Tensor4D, classes: readonly number[]): {
    name: string; activations: tf.Tensor4D; gradients: tf.Tensor4D;
  }[];
}

/**
 * The ensemble groups of the MetaCAM paper (see docs/metacam.md), plus 'baseline' for the sanity baseline
 * (Random-CAM), which is never an ensemble group (not in metacam's CAM_GROUPS).
 */
export type CamGroup = 'gradcam' | 'hirescam' | 'xgradcam' | 'perturbation' | 'eigen' | 'fullgrad' | 'baseline';

/**
 * A CAM method supplies EITHER per-channel weights [N,K] (the base computes Σ_k w_k A_k) OR a whole raw map
 * [N,h,w]. The base then applies ReLU, per-frame min-max normalisation and hands out CamMaps.
 * Both functions are synchronous tensor code: the engine runs them inside tf.tidy.
 */
export interface CamMethod {
  readonly id: string; // e.g. 'gradcam', 'gradcam++'
  readonly title: string; // e.g. 'Grad-CAM++'
  readonly paper: string; // short citation
  readonly group: CamGroup;
  readonly needsGradients: boolean;
  /** True when the cost grows with the channel count (Score-CAM, Ablation-CAM): excluded from the realtime preset. */
  readonly perChannelPasses: boolean;
  /** True when the method backpropagates through the whole network (FullGrad): excluded from the realtime preset. */
  readonly fullBackprop?: boolean;
  /**
   * True when a preset or a --groups selection never picks the method: it is a member only when named in
   * --methods. The sanity baseline (Random-CAM) always; newer methods until the bench shows they fit a preset.
   */
  readonly optIn?: boolean;
  /** Human-readable cost per frame, for --help and docs, e.g. '1 fwd + head grad'. */
  readonly cost: string;
  weights?(ctx: CamContext): tf.Tensor2D;
  map?(ctx: CamContext): tf.Tensor3D;
  /**
   * For a map method whose map is a channel sum Σ_k T_k (HiResCAM, Grad-CAM element-wise, LayerCAM): the terms
   * T [N,h,w,K]. `--eigen-smooth` projects them (or a weights method's w_k·A_k) on their first principal
   * component instead of summing; methods with neither keep their map, as in the reference.
   */
  channels?(ctx: CamContext): tf.Tensor4D;
  /**
   * For a method that works at a finer resolution than the target layer (RefineCAM over several layers): its map
   * there [N,H',W'], for `--dump-maps`. The engine ReLUs and min-max normalises it like any map.
   */
  fineMap?(ctx: CamContext): tf.Tensor3D;
  /**
   * The member whose map this method's map equals on a batch with these facts (engine/batch-facts.ts), if any:
   * the engine then copies that member's map instead of computing this one. E.g. HiResCAM = Grad-CAM when the
   * gradient is constant in space (a global-average-pool → linear head).
   */
  sameAs?(facts: BatchFacts): string | undefined;
}

/** What a batch's tensors say about which maps must coincide (engine/batch-facts.ts). */
export interface BatchFacts {
  /** ∂score/∂A is the same at every position, per frame and channel (relative spread ≤ 1e-5). */
  readonly gradientConstantInSpace: boolean;
  /** Every activation A ≥ 0 (the target layer ends in a ReLU). */
  readonly activationsNonNegative: boolean;
}
