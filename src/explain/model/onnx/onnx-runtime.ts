/**
 * An ONNX model as a ModelRuntime: validated as an image classifier (input [N,3,H,W], output [N,C]), its value
 * shapes learnt from one probe forward at batch 1, and cut at any candidate value into body and head for the
 * explain engine. Frames arrive NHWC and are fed as the NHWC form of the NCHW input, so no transpose is needed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../errors.js';
import { maxPoolGradIsSound } from '../../backend/kernel-soundness.js';
import type { CamModelAccess } from '../../methods/types.js';
import type { LayerCandidate, ModelInspection, ModelRuntime, RuntimeSplit } from '../model-runtime.js';
import { targetScores } from '../../engine/target-scores.js';
import { OnnxExecutor } from './onnx-executor.js';
import type { OnnxGraph } from './onnx-graph.js';
import { onnxCandidates, resolveOnnxLayer, type ValueInfo } from './onnx-layers.js';
import { nhwc, onnxShape, plain, tensorValue, type Value } from './onnx-value.js';

export interface OnnxRuntime extends ModelRuntime {
  /** Model input size (from the ONNX input shape). */
  readonly inputSize: { readonly width: number; readonly height: number };
  readonly classes: number;
  /** The graph's output is a Softmax (predict returns probabilities; the head stops at its input). */
  readonly outputIsSoftmax: boolean;
}

/**
 * The image input: NCHW [N,3,H,W] (PyTorch exports), or NHWC [N,H,W,3] (TensorFlow/Keras exports, which
 * transpose to NCHW themselves before their first Conv).
 */
function checkInput(graph: OnnxGraph, label: string): { width: number; height: number; layout: 'nchw' | 'nhwc' } {
  const d = graph.inputDims;
  const shown = `[${d.map((x) => x ?? '?').join(',')}]`;
  const layout = d.length !== 4 ? undefined : d[1] === 3 || (d[1] === null && d[3] !== 3) ? 'nchw' : d[3] === 3 ? 'nhwc' : undefined;
  if (!layout) {
    throw new MetacamError('E_MODEL_INVALID', `${label}: input '${graph.inputName}' has shape ${shown}; metacam explains image classifiers with an NCHW RGB input [N,3,H,W] (or NHWC [N,H,W,3])`);
  }
  const [height, width] = layout === 'nchw' ? [d[2], d[3]] : [d[1], d[2]];
  if (!height || !width) throw new MetacamError('E_MODEL_INVALID', `${label}: input '${graph.inputName}' ${shown} does not fix its height and width; export the model with a fixed image size`);
  return { width, height, layout };
}

export function createOnnxRuntime(graph: OnnxGraph, label: string): OnnxRuntime {
  const { layout, ...inputSize } = checkInput(graph, label);
  // Frames are NHWC: for an NCHW input they are its NHWC form; for an NHWC input they are the input itself.
  const inputFeed = (x: tf.Tensor4D): Map<string, Value> => new Map([[graph.inputName, tensorValue(x, layout === 'nchw')]]);
  const exec = new OnnxExecutor(graph, label);
  const values = new Map<string, ValueInfo>();
  try {
    // One probe forward at batch 1: every value's shape and layout, and the model's output shape.
    tf.tidy(() => {
      const record = new Map<string, Value | undefined>();
      for (const n of graph.nodes) for (const o of n.outputs) if (o) record.set(o, undefined);
      const x = tf.zeros([1, inputSize.height, inputSize.width, 3]) as tf.Tensor4D;
      exec.run({ feeds: inputFeed(x), outputs: [graph.outputName], record });
      for (const [name, v] of record) if (v) values.set(name, { dims: onnxShape(v), nhwc: v.kind === 'tensor' && v.nhwc });
    });
  } catch (e) {
    exec.dispose();
    if (e instanceof MetacamError) throw e;
    throw new MetacamError('E_MODEL_INVALID', `${label}: running the model on a ${inputSize.width}×${inputSize.height} input failed: ${(e as Error).message}`, { cause: e });
  }
  const outDims = values.get(graph.outputName)?.dims ?? [];
  if (outDims.length !== 2 || outDims[0] !== 1) {
    exec.dispose();
    throw new MetacamError('E_MODEL_INVALID', `${label} has no classifier head: output '${graph.outputName}' has shape [${outDims.join(',')}], not [N, classes]`);
  }
  const classes = outDims[1];
  const last = graph.producer.get(graph.outputName);
  const outputIsSoftmax = last?.op === 'Softmax';
  const logitsName = outputIsSoftmax ? last!.inputs[0] : graph.outputName;
  const candidates = onnxCandidates(graph, values);
  const logitsOf = (m: Map<string, Value>): tf.Tensor2D => plain(m.get(logitsName)!) as tf.Tensor2D;
  /** Probe/gradient shape of a value for a batch of n, in the layout the executor holds it. */
  const batchShape = (name: string, n: number): number[] => {
    const v = values.get(name)!;
    const [, ...rest] = v.nhwc ? [v.dims[0], v.dims[2], v.dims[3], v.dims[1]] : v.dims;
    return [n, ...rest];
  };
  const hasMaxPool = (nodes: readonly { op: string }[]): boolean => nodes.some((n) => n.op === 'MaxPool');
  const assertMaxPoolGrad = (nodes: readonly { op: string }[], what: string): void => {
    if (!hasMaxPool(nodes) || maxPoolGradIsSound()) return;
    throw new MetacamError(
      'E_BACKEND',
      `${what} passes through a MaxPool node, and backend '${tf.getBackend()}' computes the 'MaxPoolGrad' kernel wrongly; use --backend cpu (slow) or pick a target layer after the max-pool`,
    );
  };

  const access: CamModelAccess = {
    biasGradients(input, cls) {
      const convs = graph.nodes.filter((n) => n.op === 'Conv' && n.inputs[2] && values.get(n.outputs[0])?.nhwc);
      assertMaxPoolGrad(graph.nodes, 'FullGrad (gradients through the whole model)');
      return tf.tidy(() => {
        const n = input.shape[0];
        const deltas = convs.map((c) => tf.zeros(batchShape(c.outputs[0], n)));
        const f = (x: tf.Tensor, ...ds: tf.Tensor[]): tf.Scalar => {
          const probes = new Map(convs.map((c, i) => [c.outputs[0], ds[i]] as const));
          const m = exec.run({ feeds: inputFeed(x as tf.Tensor4D), outputs: [logitsName], probes });
          return tf.sum(targetScores(logitsOf(m), cls));
        };
        const [gx, ...gs] = tf.grads(f)([input, ...deltas]);
        return {
          inputGradient: gx as tf.Tensor4D,
          layers: convs.map((c, i) => ({
            name: c.outputs[0],
            bias: tf.tensor1d(graph.constants.get(c.inputs[2])!.data as Float32Array),
            gradient: gs[i] as tf.Tensor4D,
          })),
        };
      });
    },
    layerActivationsAndGradients(names, input, cls) {
      const targets = names.map((l) => resolveOnnxLayer(graph, values, candidates, l).name);
      assertMaxPoolGrad(exec.plan([graph.inputName], [logitsName]), `gradients at layers ${names.join(', ')}`);
      const record = new Map<string, Value | undefined>(targets.map((t) => [t, undefined]));
      return tf.tidy(() => {
        const n = input.shape[0];
        const deltas = targets.map((t) => tf.zeros(batchShape(t, n)));
        const f = (...ds: tf.Tensor[]): tf.Scalar => {
          const probes = new Map(targets.map((t, i) => [t, ds[i]] as const));
          const logits = logitsOf(exec.run({ feeds: inputFeed(input), outputs: [logitsName], probes, record }));
          // The forward's intermediates are freed once the gradient is taken: keep the ones we hand out.
          for (const t of targets) tf.keep((record.get(t) as { t: tf.Tensor }).t);
          return tf.sum(targetScores(logits, cls));
        };
        const gs = tf.grads(f)(deltas);
        return targets.map((t, i) => {
          const held = record.get(t) as Value & { kind: 'tensor' };
          const activations = nhwc(held, t);
          if (activations !== held.t) held.t.dispose();
          return { name: t, activations, gradients: (held.nhwc ? gs[i] : nhwc(tensorValue(gs[i]), t)) as tf.Tensor4D };
        });
      });
    },
  };

  const runtime: OnnxRuntime = {
    kind: 'runtime',
    format: 'onnx',
    inputSize,
    classes,
    outputIsSoftmax,
    predict: (x) => tf.tidy(() => plain(exec.run({ feeds: inputFeed(x), outputs: [graph.outputName], fuse: true }).get(graph.outputName)!) as tf.Tensor2D),
    split(layer?: string): RuntimeSplit {
      const target: LayerCandidate = resolveOnnxLayer(graph, values, candidates, layer);
      const headNodes = exec.plan([target.name], [logitsName]); // throws when the cut is bypassed
      exec.plan([graph.inputName], [target.name]);
      return {
        kind: 'runtime',
        target,
        outputIsSoftmax,
        runBody: (x) => nhwc(exec.run({ feeds: inputFeed(x), outputs: [target.name], fuse: true }).get(target.name)!, target.name),
        runHead: (a) => logitsOf(exec.run({ feeds: new Map([[target.name, tensorValue(a, true)]]), outputs: [logitsName] })),
        access,
        assertHeadGradientSound: () => assertMaxPoolGrad(headNodes, 'the head gradient'),
      };
    },
    inspect(): ModelInspection {
      const ops: Record<string, number> = {};
      for (const n of graph.nodes) ops[n.op] = (ops[n.op] ?? 0) + 1;
      return {
        format: 'onnx',
        inputs: [{ name: graph.inputName, shape: graph.inputDims }],
        outputs: [{ name: graph.outputName, shape: [null, classes] }],
        layers: candidates,
        defaultLayer: candidates[candidates.length - 1]?.name ?? '',
        ops,
      };
    },
    dispose: () => exec.dispose(),
  };
  return runtime;
}
