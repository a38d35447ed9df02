/**
 * A faster forward pass for inference: walks the LayersModel's graph and, where a Conv2D / DepthwiseConv2D is
 * followed (as its only consumer) by BatchNormalization and then ReLU/ReLU6, folds the batch-norm into the
 * convolution's weights and bias and runs one `tf.fused.conv2d` / `tf.fused.depthwiseConv2d` with the
 * activation fused (one kernel instead of three passes over the activations). A ZeroPadding2D in front of a
 * 'valid' convolution is folded into the convolution's padding when it equals TF's 'same' padding (Keras
 * MobileNetV2's `correct_pad`) or, for conv2d, as explicit padding.
 *
 * BN folding (inference statistics): s = γ/√(σ²+ε); W' = W·s (per output channel); b' = (b − μ)·s + β.
 * Tensors named in `keep` stay observable: a fusion never swallows them (the target layer's output must exist).
 * Everything else runs the layer's own `call`. The result matches the unoptimised model to float rounding.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { MetacamError } from '../../errors.js';
import { executeSteps, logitsRunner, runLayer, type StepRunner } from './graph-executor.js';
import type { LoadedModel } from './loaded-model.js';
import { batchNormAffine, pairOf, readWeight } from './layer-config.js';
import { buildModelGraph, stepsUpTo, type GraphLayer, type GraphStep, type ModelGraph } from './model-graph.js';

type FusedActivation = 'linear' | 'relu' | 'relu6';
type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

interface FusedConv {
  readonly kind: 'conv2d' | 'depthwise';
  /** First step of the chain (its input is the chain's input, unless a padding step precedes). */
  readonly input: GraphStep;
  /** All steps the fused op replaces, in order; the last one's output is the result. */
  readonly steps: readonly GraphStep[];
  readonly filter: tf.Tensor4D;
  readonly bias?: tf.Tensor1D;
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly pad: Pad;
  readonly activation: FusedActivation;
}

export interface OptimizedModel {
  readonly graph: ModelGraph;
  /** Batch-norm layers folded into a convolution. */
  readonly foldedBatchNorms: number;
  /** Activations fused into a convolution. */
  readonly fusedActivations: number;
  /** Zero-padding layers folded into a convolution's padding. */
  readonly foldedPaddings: number;
  /** Eager output of layer `name` (a name in `keep`) for input x. Caller owns the result. */
  runTo(name: string, x: tf.Tensor4D): tf.Tensor;
  /** The model's own output (softmax included when the model has one). Caller owns the result. */
  predict(x: tf.Tensor4D): tf.Tensor2D;
  /** Pre-softmax class scores. Caller owns the result. */
  logits(x: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D']);

/** relu / relu6 of a ReLU or Activation layer, or null when the layer is something else. */
function activationOf(layer: GraphLayer): FusedActivation | null {
  const cls = layer.getClassName();
  const cfg = layer.getConfig();
  if (cls === 'ReLU') {
    const max = cfg.maxValue as number | null | undefined;
    if ((cfg.negativeSlope ?? 0) !== 0 || (cfg.threshold ?? 0) !== 0) return null;
    if (max === null || max === undefined) return 'relu';
    return max === 6 ? 'relu6' : null;
  }
  if (cls === 'Activation') {
    const a = cfg.activation;
    return a === 'relu' || a === 'relu6' ? a : null;
  }
  return null;
}

function ownActivation(layer: GraphLayer): FusedActivation | null {
  const a = layer.getConfig().activation;
  return a === 'linear' || a === 'relu' || a === 'relu6' ? a : null;
}

/** TF 'same' padding [before, after] along one axis. */
function samePad(size: number, k: number, s: number, d: number): [number, number] {
  const kEff = (k - 1) * d + 1;
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + kEff - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function soleConsumer(graph: ModelGraph, step: GraphStep, keep: ReadonlySet<number>): GraphStep | undefined {
  const id = step.outputIds[0];
  if (step.outputIds.length !== 1 || keep.has(id) || id === graph.outputId) return undefined;
  const cons = graph.consumers.get(id) ?? [];
  return cons.length === 1 && cons[0].inputIds.length === 1 ? cons[0] : undefined;
}

/** Plans and builds the fused convolutions (weights folded once, owned by the plan). */
function planFusions(graph: ModelGraph, keep: ReadonlySet<number>): { fusions: FusedConv[]; paddings: number } {
  const fusions: FusedConv[] = [];
  let paddings = 0;
  const used = new Set<GraphStep>();
  for (const conv of graph.steps) {
    const layer = conv.layer;
    if (!CONV_CLASSES.has(layer.getClassName()) || used.has(conv)) continue;
    const cfg = layer.getConfig();
    if ((cfg.dataFormat ?? 'channelsLast') !== 'channelsLast') continue;
    if (cfg.padding !== 'same' && cfg.padding !== 'valid') continue;
    let act = ownActivation(layer);
    if (act === null) continue;
    const kind = layer.getClassName() === 'Conv2D' ? 'conv2d' : 'depthwise';
    const strides = pairOf(cfg.strides, 1);
    const dilations = pairOf(cfg.dilationRate, 1);
    if (kind === 'depthwise' && (strides[0] > 1 || strides[1] > 1) && (dilations[0] > 1 || dilations[1] > 1)) continue;
    const chain: GraphStep[] = [conv];
    let bn: GraphStep | undefined;
    let next = soleConsumer(graph, conv, keep);
    if (act === 'linear' && next && next.layer.getClassName() === 'BatchNormalization') {
      const axis = next.layer.getConfig().axis;
      if (axis === -1 || axis === 3 || (Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 3))) {
        bn = next;
        chain.push(bn);
        next = soleConsumer(graph, bn, keep);
      }
    }
    if (act === 'linear' && next && activationOf(next.layer)) {
      act = activationOf(next.layer)!;
      chain.push(next);
    }
    // Padding folded into the convolution.
    let pad: Pad = cfg.padding as 'same' | 'valid';
    let input = conv;
    const prev = conv.inputIds.length === 1 ? graph.producer.get(conv.inputIds[0]) : undefined;
    if (pad === 'valid' && prev && prev.layer.getClassName() === 'ZeroPadding2D' && soleConsumer(graph, prev, keep) === conv) {
      const zp = prev.layer.getConfig().padding as [[number, number], [number, number]] | undefined;
      const inShape = prev.node.inputTensors[0].shape;
      const kernel = pairOf(cfg.kernelSize, 1);
      if (Array.isArray(zp) && typeof inShape[1] === 'number' && typeof inShape[2] === 'number' && (prev.layer.getConfig().dataFormat ?? 'channelsLast') === 'channelsLast') {
        const same = [samePad(inShape[1], kernel[0], strides[0], dilations[0]), samePad(inShape[2], kernel[1], strides[1], dilations[1])];
        if (same[0][0] === zp[0][0] && same[0][1] === zp[0][1] && same[1][0] === zp[1][0] && same[1][1] === zp[1][1]) {
          pad = 'same';
        } else if (kind === 'conv2d') {
          pad = [[0, 0], [zp[0][0], zp[0][1]], [zp[1][0], zp[1][1]], [0, 0]];
        }
        if (pad !== 'valid') {
          input = prev;
          chain.unshift(prev);
          paddings++;
        }
      }
    }
    // A lone conv still runs as one fused op (bias + activation in one kernel).
    const { filter, bias } = tf.tidy(() => foldWeights(layer, kind, bn?.layer));
    for (const s of chain) used.add(s);
    fusions.push({ kind, input, steps: chain, filter: tf.keep(filter), bias: bias ? tf.keep(bias) : undefined, strides, dilations, pad, activation: act });
  }
  return { fusions, paddings };
}

function foldWeights(conv: GraphLayer, kind: 'conv2d' | 'depthwise', bn?: GraphLayer): { filter: tf.Tensor4D; bias?: tf.Tensor1D } {
  const kernel = readWeight(kind === 'conv2d' ? conv.kernel : conv.depthwiseKernel) as tf.Tensor4D | undefined;
  if (!kernel) throw new MetacamError('E_MODEL_INVALID', `layer '${conv.name}' has no kernel weights`);
  const b = conv.getConfig().useBias ? (readWeight(conv.bias) as tf.Tensor1D | undefined) : undefined;
  if (!bn) return { filter: tf.clone(kernel), bias: b ? tf.clone(b) : undefined };
  const channels = kernel.shape[2] * (kind === 'depthwise' ? kernel.shape[3] : 1);
  const outC = kind === 'conv2d' ? kernel.shape[3] : channels;
  const { scale, shift } = batchNormAffine(bn, outC);
  const filter =
    kind === 'conv2d'
      ? (tf.mul(kernel, scale) as tf.Tensor4D)
      : (tf.mul(kernel, tf.reshape(scale, [kernel.shape[2], kernel.shape[3]])) as tf.Tensor4D);
  // (b − μ)·scale + β, i.e. b·scale + shift.
  const bias = (b ? tf.add(tf.mul(b, scale), shift) : tf.clone(shift)) as tf.Tensor1D;
  return { filter, bias };
}

/**
 * Builds the optimised inference graph of a loaded model. `keep`: layer names whose outputs must stay
 * observable (e.g. the CAM target layer), in addition to the model output.
 */
export function optimizeForInference(loaded: LoadedModel | LayersModel, options: { keep?: readonly string[] } = {}): OptimizedModel {
  const model = 'model' in loaded && 'inputSize' in loaded ? loaded.model : (loaded as LayersModel);
  const graph = buildModelGraph(model);
  const keepNames = options.keep ?? [];
  const keep = new Set<number>();
  for (const n of keepNames) {
    const s = graph.byName.get(n);
    if (!s) throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${n}' not found in the model`);
    keep.add(s.outputIds[0]);
  }
  const { fusions, paddings } = planFusions(graph, keep);
  const fusedByLast = new Map<GraphStep, FusedConv>();
  const interior = new Set<GraphStep>();
  for (const f of fusions) {
    fusedByLast.set(f.steps[f.steps.length - 1], f);
    for (const s of f.steps.slice(0, -1)) interior.add(s);
  }
  // Steps of the optimised plan: interior steps vanish; the last step of a chain reads the chain's input.
  const planSteps: GraphStep[] = graph.steps
    .filter((s) => !interior.has(s))
    .map((s) => {
      const f = fusedByLast.get(s);
      return f ? { ...s, inputIds: f.input.inputIds } : s;
    });
  const runFused: StepRunner = (step, inputs) => {
    const f = fusedByLast.get(graph.byName.get(step.layer.name)!);
    if (!f) return runLayer(step, inputs);
    const x = inputs[0] as tf.Tensor4D;
    if (f.kind === 'conv2d') {
      return [tf.fused.conv2d({ x, filter: f.filter, strides: f.strides, pad: f.pad, dilations: f.dilations, bias: f.bias, activation: f.activation })];
    }
    return [
      tf.fused.depthwiseConv2d({ x, filter: f.filter, strides: f.strides, pad: f.pad as 'same' | 'valid', dilations: f.dilations, bias: f.bias, activation: f.activation }),
    ];
  };
  const planFor = new Map<number, GraphStep[]>();
  const stepsFor = (id: number): GraphStep[] => {
    let s = planFor.get(id);
    if (!s) {
      const planGraph: ModelGraph = { ...graph, steps: planSteps, producer: new Map(planSteps.flatMap((p) => p.outputIds.map((o) => [o, p] as const))) };
      s = stepsUpTo(planGraph, id);
      planFor.set(id, s);
    }
    return s;
  };
  const run = (x: tf.Tensor4D, id: number, runner: StepRunner): tf.Tensor =>
    tf.tidy(() => {
      const values = executeSteps(stepsFor(id), new Map([[graph.inputId, x]]), runner);
      const out = values.get(id);
      if (!out) throw new MetacamError('E_INTERNAL', 'optimised graph did not produce the requested tensor');
      return out;
    });
  let disposed = false;
  return {
    graph,
    foldedBatchNorms: fusions.filter((f) => f.steps.some((s) => s.layer.getClassName() === 'BatchNormalization')).length,
    fusedActivations: fusions.filter((f) => f.activation !== 'linear').length,
    foldedPaddings: paddings,
    runTo(name, x) {
      const s = graph.byName.get(name);
      if (!s) throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${name}' not found in the model`);
      if (!keep.has(s.outputIds[0]) && interior.has(s)) {
        throw new MetacamError('E_INTERNAL', `layer '${name}' was fused away; pass it in optimizeForInference({keep})`);
      }
      return run(x, s.outputIds[0], runFused);
    },
    predict(x) {
      return run(x, graph.outputId, runFused) as tf.Tensor2D;
    },
    logits(x) {
      return run(x, graph.outputId, logitsRunner(graph, runFused)) as tf.Tensor2D;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const f of fusions) {
        f.filter.dispose();
        f.bias?.dispose();
      }
    },
  };
}
