/**
 * Gradients of the target scores through the whole network, for methods that need more than the target layer:
 * FullGrad (bias gradients at every conv / batch-norm layer plus the input gradient) and multi-layer LayerCAM
 * (activations and gradients at several named layers). One backward pass serves all requested points.
 *
 * Technique: the model graph is re-run eagerly with a zero "probe" δ added at each point of interest
 * (z' = z + δ); ∂score/∂δ equals ∂score/∂z, and `tf.grads` over (x, δ₁…δₙ) yields them all at once. For a conv
 * with a fused activation the probe sits on the pre-activation z (the activation is re-applied after it).
 * On stock wasm this needs gradient kernels it lacks (see src/explain/backend/wasm-kernels): failures are E_BACKEND.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../errors.js';
import { executeSteps, logitsRunner, runLayer, runLayerLinear, type StepRunner } from '../model/graph-executor.js';
import { withKernelErrors } from '../backend/kernel-errors.js';
import { batchNormAffine, readWeight } from '../model/layer-config.js';
import { assertGradientKernelsSound } from '../backend/kernel-soundness.js';
import type { GraphStep, ModelGraph } from '../model/model-graph.js';
import { targetScores } from './target-scores.js';
import { unfusedConv, unfusedConvLinear } from './unfused-conv.js';

function batchShape(step: GraphStep, n: number): number[] {
  return step.outputShape.map((d, i) => (i === 0 ? n : (d as number)));
}

/** Conv/depthwise layers with a bias and batch-norm layers, with 4-D outputs: FullGrad's bias-carrying layers. */
export function biasLayers(graph: ModelGraph): GraphStep[] {
  return graph.steps.filter((s) => {
    if (s.outputShape.length !== 4) return false;
    const cls = s.layer.getClassName();
    if (cls === 'BatchNormalization') return true;
    return (cls === 'Conv2D' || cls === 'DepthwiseConv2D') && s.layer.getConfig().useBias === true;
  });
}

/** The additive bias of a layer: conv bias, or β − μ·γ/√(σ²+ε) for batch-norm (as the FullGrad reference). */
function effectiveBias(step: GraphStep): tf.Tensor1D {
  const l = step.layer;
  if (l.getClassName() !== 'BatchNormalization') return tf.clone(readWeight(l.bias) as tf.Tensor1D);
  return batchNormAffine(l, step.outputShape[3] as number).shift; // called inside biasGradients' tidy
}

/** A step for a backward pass: convolutions with the plain ops (no unused filter gradient, see unfused-conv.ts). */
function runForGradients(step: GraphStep, inputs: tf.Tensor[], linear = false): tf.Tensor[] {
  const plain = inputs.length === 1 ? (linear ? unfusedConvLinear : unfusedConv)(step.layer, inputs[0]!) : undefined;
  if (plain) return [plain];
  return linear ? runLayerLinear(step, inputs) : runLayer(step, inputs);
}

/** Runner adding probe δ (by step) at the pre-activation of convs and at the output of other layers. */
function probeRunner(probes: ReadonlyMap<GraphStep, tf.Tensor>, capture?: Map<GraphStep, tf.Tensor>): StepRunner {
  return (step, inputs) => {
    const delta = probes.get(step);
    if (!delta) return runForGradients(step, inputs);
    const act = step.layer.activation;
    const hasAct = act !== undefined && act.getClassName() !== 'linear' && step.layer.getClassName() !== 'Activation' && step.layer.getClassName() !== 'ReLU';
    if (hasAct && !capture) {
      const z = tf.add(runForGradients(step, inputs, true)[0]!, delta);
      return [act.apply(z)];
    }
    const out = tf.add(runForGradients(step, inputs)[0]!, delta);
    if (capture) capture.set(step, tf.keep(out));
    return [out];
  };
}

/** FullGrad's inputs: ∂score/∂x and, per bias-carrying layer, its bias and ∂score/∂z. Caller owns everything. */
export function biasGradients(
  graph: ModelGraph,
  input: tf.Tensor4D,
  classes: readonly number[],
): { inputGradient: tf.Tensor4D; layers: { name: string; bias: tf.Tensor1D; gradient: tf.Tensor4D }[] } {
  const layers = biasLayers(graph);
  const n = input.shape[0];
  assertGradientKernelsSound(graph.steps, 'FullGrad (gradients through the whole model)');
  return withKernelErrors('FullGrad (gradients through the whole model)', () =>
    tf.tidy(() => {
      const deltas = layers.map((s) => tf.zeros(batchShape(s, n)));
      const f = (x: tf.Tensor, ...ds: tf.Tensor[]): tf.Scalar => {
        const probes = new Map(layers.map((s, i) => [s, ds[i]] as const));
        const values = executeSteps(graph.steps, new Map([[graph.inputId, x]]), logitsRunner(graph, probeRunner(probes)));
        return tf.sum(targetScores(values.get(graph.outputId) as tf.Tensor2D, classes));
      };
      const [gx, ...gs] = tf.grads(f)([input, ...deltas]);
      return {
        inputGradient: gx as tf.Tensor4D,
        layers: layers.map((s, i) => ({ name: s.layer.name, bias: effectiveBias(s), gradient: gs[i] as tf.Tensor4D })),
      };
    }),
  );
}

/** Activations and ∂score/∂activations at each named 4-D layer, from one backward pass. Caller owns them. */
export function layerActivationsAndGradients(
  graph: ModelGraph,
  layerNames: readonly string[],
  input: tf.Tensor4D,
  classes: readonly number[],
): { name: string; activations: tf.Tensor4D; gradients: tf.Tensor4D }[] {
  const steps = layerNames.map((name) => {
    const s = graph.byName.get(name);
    if (!s) throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${name}' not found in the model`);
    if (s.outputShape.length !== 4) throw new MetacamError('E_LAYER_NOT_SPATIAL', `layer '${name}' output [${s.outputShape.join(',')}] is not a spatial map`);
    return s;
  });
  const n = input.shape[0];
  const first = Math.min(...steps.map((s) => graph.steps.indexOf(s)));
  assertGradientKernelsSound(graph.steps.slice(first + 1), `gradients at layers ${layerNames.join(', ')}`);
  const captured = new Map<GraphStep, tf.Tensor>();
  try {
    return withKernelErrors(`gradients at layers ${layerNames.join(', ')}`, () =>
      tf.tidy(() => {
        const deltas = steps.map((s) => tf.zeros(batchShape(s, n)));
        // The input is closed over, not differentiated: the backward pass stops at the earliest probe.
        const f = (...ds: tf.Tensor[]): tf.Scalar => {
          const probes = new Map(steps.map((s, i) => [s, ds[i]] as const));
          const values = executeSteps(graph.steps, new Map<number, tf.Tensor>([[graph.inputId, input]]), logitsRunner(graph, probeRunner(probes, captured)));
          return tf.sum(targetScores(values.get(graph.outputId) as tf.Tensor2D, classes));
        };
        const gs = tf.grads(f)(deltas);
        return steps.map((s, i) => {
          const a = captured.get(s)!;
          captured.delete(s);
          return { name: s.layer.name, activations: a as tf.Tensor4D, gradients: gs[i] as tf.Tensor4D };
        });
      }),
    );
  } finally {
    for (const t of captured.values()) t.dispose();
  }
}
