/**
 * Runs a LayersModel's graph eagerly, step by step, with hooks: a step can be replaced (fused inference ops) or
 * wrapped (expose a pre-activation, add a zero "probe" whose gradient is the gradient at that point). Plain
 * tfjs ops throughout, so `tf.grads` differentiates through it. Call inside tf.tidy / tf.grads: intermediate
 * tensors are left to the caller's scope.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { callLinear, isSoftmaxLayer } from './logits-view.js';
import type { GraphStep, ModelGraph } from './model-graph.js';

/** Computes a step's outputs from its inputs. */
export type StepRunner = (step: GraphStep, inputs: tf.Tensor[]) => tf.Tensor[];

function asArg(inputs: tf.Tensor[]): tf.Tensor | tf.Tensor[] {
  return inputs.length === 1 ? inputs[0] : inputs;
}

/** The layer's own computation (inference mode). */
export function runLayer(step: GraphStep, inputs: tf.Tensor[]): tf.Tensor[] {
  const out = step.layer.call(asArg(inputs), { ...(step.node.callArgs ?? {}), training: false });
  return Array.isArray(out) ? out : [out];
}

/** The layer without its activation (pre-activation z for conv/dense; identity for a softmax layer). */
export function runLayerLinear(step: GraphStep, inputs: tf.Tensor[]): tf.Tensor[] {
  const out = callLinear(step.layer, asArg(inputs), { ...(step.node.callArgs ?? {}), training: false });
  return Array.isArray(out) ? out : [out];
}

/** Runner that emits logits: the output layer's softmax is skipped. */
export function logitsRunner(graph: ModelGraph, inner: StepRunner = runLayer): StepRunner {
  return (step, inputs) =>
    step.outputIds.includes(graph.outputId) && isSoftmaxLayer(step.layer) ? runLayerLinear(step, inputs) : inner(step, inputs);
}

/**
 * Executes `steps` (topologically ordered) from `feeds` (tensor id → value). Returns every computed tensor by id.
 * Steps whose inputs are not all available are skipped (they lie upstream of the feeds).
 */
export function executeSteps(steps: readonly GraphStep[], feeds: ReadonlyMap<number, tf.Tensor>, run: StepRunner = runLayer): Map<number, tf.Tensor> {
  const values = new Map<number, tf.Tensor>(feeds);
  for (const step of steps) {
    if (step.outputIds.every((id) => values.has(id))) continue;
    const ins = step.inputIds.map((id) => values.get(id));
    if (ins.some((t) => t === undefined)) continue;
    const outs = run(step, ins as tf.Tensor[]);
    step.outputIds.forEach((id, i) => values.set(id, outs[i]));
  }
  return values;
}
