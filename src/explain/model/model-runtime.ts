/**
 * A model that is not a tfjs LayersModel (an ONNX export, a TF.js graph model) as the explain engine sees it:
 * something that can be cut at a named layer into a body (input → A) and a differentiable head (A → logits), plus
 * the whole-model gradients FullGrad and multi-layer LayerCAM ask for. The engine (explainer, CAM context) takes
 * a RuntimeSplit where it takes a LayersModel split, so every CAM method works on every format unchanged.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { CamModelAccess } from '../methods/types.js';

export type ModelFormat = 'tfjs-layers' | 'tfjs-graph' | 'onnx';

/** One layer a user could explain: a spatial map [h,w,K] every input→output path passes through. */
export interface LayerCandidate {
  readonly name: string;
  /** [h, w, K]. */
  readonly shape: readonly [number, number, number];
}

/** What `metacam models inspect` prints. */
export interface ModelInspection {
  readonly format: ModelFormat;
  readonly inputs: readonly { readonly name: string; readonly shape: readonly (number | null)[] }[];
  readonly outputs: readonly { readonly name: string; readonly shape: readonly (number | null)[] }[];
  readonly layers: readonly LayerCandidate[];
  readonly defaultLayer: string;
  /** Op/layer types and how often each occurs. */
  readonly ops: Readonly<Record<string, number>>;
}

export interface RuntimeSplit {
  readonly kind: 'runtime';
  readonly target: LayerCandidate;
  /** True when the model itself ends in softmax (the head stops before it, at the logits). */
  readonly outputIsSoftmax: boolean;
  /** input [M,H,W,3] (preprocessed, NHWC) → A [M,h,w,K]; the fastest inference path. Call inside tf.tidy. */
  runBody(input: tf.Tensor4D): tf.Tensor4D;
  /** A [M,h,w,K] → logits [M,C]; differentiable. Call inside tf.tidy / tf.grad. */
  runHead(activations: tf.Tensor4D): tf.Tensor2D;
  readonly access: CamModelAccess;
  /** Throws E_BACKEND when the head passes through a kernel whose gradient is wrong on this backend. */
  assertHeadGradientSound(): void;
}

export interface ModelRuntime {
  readonly kind: 'runtime';
  readonly format: ModelFormat;
  /** The model's output for a preprocessed batch [M,H,W,3] → [M,C] (softmax if the model ends in one). */
  predict(input: tf.Tensor4D): tf.Tensor2D;
  /** Cuts the model at `layer` (a name the format understands), or at the default layer. */
  split(layer?: string): RuntimeSplit;
  inspect(): ModelInspection;
  /** Frees the weights. Safe to call twice. */
  dispose(): void;
}

export function isModelRuntime(m: unknown): m is ModelRuntime {
  return typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'runtime' && 'split' in m;
}

export function isRuntimeSplit(s: unknown): s is RuntimeSplit {
  return typeof s === 'object' && s !== null && (s as { kind?: unknown }).kind === 'runtime' && 'runHead' in s;
}
