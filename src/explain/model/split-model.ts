/**
 * Splits a classifier at the target layer into body (input → activations A) and head (A → logits), so gradient
 * CAMs differentiate only through the head. The head is built by re-applying the original layer objects after
 * the target to a fresh `tf.input` (weights shared, nothing copied), walking the graph generically so residual
 * adds and concatenations work; a final softmax is replaced by a logits view.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { MetacamError } from '../../errors.js';
import { isSoftmaxLayer, LogitsView } from './logits-view.js';
import { buildModelGraph, stepOutput, type ModelGraph } from './model-graph.js';
import { isRuntimeSplit, type RuntimeSplit } from './model-runtime.js';
import { resolveTargetLayer, type TargetLayer } from './target-layer.js';

export interface ModelSplit {
  readonly graph: ModelGraph;
  readonly target: TargetLayer;
  /** input [N,H,W,3] → activations [N,h,w,K]. */
  readonly body: LayersModel;
  /** activations [N,h,w,K] → logits [N,C]. */
  readonly head: LayersModel;
  /** True when the original model ends in softmax (the head outputs the logits before it). */
  readonly outputIsSoftmax: boolean;
}

/** Re-applies every layer downstream of `fromId` to `newInput`; returns the tensor that replaces the model output. */
export function reapplyFrom(graph: ModelGraph, fromId: number, newInput: SymbolicTensor): { output: SymbolicTensor; softmaxRemoved: boolean } {
  const mapped = new Map<number, SymbolicTensor>([[fromId, newInput]]);
  let softmaxRemoved = false;
  for (const step of graph.steps) {
    const ins = step.inputIds.map((id) => mapped.get(id));
    const known = ins.filter((t) => t !== undefined).length;
    if (known === 0) continue;
    if (known !== ins.length) {
      const missing = step.node.inputTensors.filter((_, i) => ins[i] === undefined).map((t) => t.name);
      throw new MetacamError('E_LAYER_NOT_FOUND', `cannot split at this layer: '${step.layer.name}' also reads ${missing.join(', ')}, which bypasses it`);
    }
    const isOutput = step.outputIds.includes(graph.outputId);
    const layer = isOutput && isSoftmaxLayer(step.layer) ? new LogitsView(step.layer) : step.layer;
    if (layer !== step.layer) softmaxRemoved = true;
    const arg = ins.length === 1 ? ins[0] : ins;
    const out = (layer as unknown as tfl.layers.Layer).apply(arg as SymbolicTensor | SymbolicTensor[], step.node.callArgs ?? {});
    const outs = (Array.isArray(out) ? out : [out]) as SymbolicTensor[];
    step.outputIds.forEach((id, i) => mapped.set(id, outs[i]));
  }
  const output = mapped.get(graph.outputId);
  if (!output) throw new MetacamError('E_INTERNAL', 'the model output does not depend on the split layer');
  return { output, softmaxRemoved };
}

/** Splits `model` at `layerName` (or the default target layer). */
export function splitModel(model: LayersModel, layerName?: string): ModelSplit {
  const graph = buildModelGraph(model);
  const target = resolveTargetLayer(graph, layerName);
  const targetTensor = stepOutput(target.step);
  const body = tfl.model({ inputs: model.inputs[0], outputs: targetTensor, name: `${model.name}_body_${target.name}` });
  const headInput = tfl.input({ shape: [...target.shape], name: `${target.name}_activations` });
  const { output, softmaxRemoved } = reapplyFrom(graph, targetTensor.id, headInput);
  const head = tfl.model({ inputs: headInput, outputs: output, name: `${model.name}_head_${target.name}` });
  return { graph, target, body, head, outputIsSoftmax: softmaxRemoved };
}

/** Runs the head eagerly (differentiable): [M,h,w,K] → [M,C]. A RuntimeSplit (ONNX, graph model) runs its own. */
export function runHead(split: ModelSplit | RuntimeSplit, activations: tf.Tensor4D): tf.Tensor2D {
  return isRuntimeSplit(split) ? split.runHead(activations) : (split.head.apply(activations) as tf.Tensor2D);
}

/** Runs the body eagerly: [M,H,W,3] → [M,h,w,K]. */
export function runBody(split: ModelSplit | RuntimeSplit, input: tf.Tensor4D): tf.Tensor4D {
  return isRuntimeSplit(split) ? split.runBody(input) : (split.body.apply(input) as tf.Tensor4D);
}
