/**
 * A TF.js graph model (`model.json` with `"format": "graph-model"`) as a ModelRuntime. The graph is cut by
 * feeding: the body is `execute({input: x}, target)`, the head `execute({[target]: A}, logits)`, which
 * `tf.grad` records like any other ops. Candidates are 4-D node outputs with a spatial map that every
 * input→output path passes through; `--layer` is a node name or an unambiguous suffix of one
 * (`MobilenetV2/Conv_1/Relu6`). Graphs with control flow (loops, conditionals) cannot be differentiated this
 * way and are refused with E_MODEL_UNSUPPORTED. FullGrad needs per-layer bias probes that a converted graph does
 * not expose, so it is not offered (the method says so); multi-layer LayerCAM is, one backward pass per layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { MetacamError } from '../../../errors.js';
import { maxPoolGradIsSound } from '../../backend/kernel-soundness.js';
import type { CamModelAccess } from '../../methods/types.js';
import type { LayerCandidate, ModelInspection, ModelRuntime, RuntimeSplit } from '../model-runtime.js';
import { targetScores } from '../../engine/target-scores.js';

export interface GraphNodeDef {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
}

const CONTROL_FLOW = new Set(['Enter', 'Exit', 'Merge', 'Switch', 'NextIteration', 'LoopCond', 'If', 'StatelessIf', 'While', 'StatelessWhile', 'TensorListReserve']);

/** 'name:1' → 'name'; control inputs ('^name') are dropped. */
function inputNames(n: GraphNodeDef): string[] {
  return (n.input ?? []).filter((i) => !i.startsWith('^')).map((i) => i.replace(/:\d+$/, ''));
}

/** Non-constant nodes in an order where every node follows its inputs. */
function topoOrder(nodes: readonly GraphNodeDef[]): GraphNodeDef[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const done = new Set<string>();
  const out: GraphNodeDef[] = [];
  const visit = (n: GraphNodeDef): void => {
    const stack: [GraphNodeDef, number][] = [[n, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (done.has(node.name)) { stack.pop(); continue; }
      const ins = inputNames(node);
      if (i < ins.length) {
        top[1]++;
        const next = byName.get(ins[i]);
        if (next && !done.has(next.name)) stack.push([next, 0]);
        continue;
      }
      done.add(node.name);
      if (node.op !== 'Const') out.push(node);
      stack.pop();
    }
  };
  for (const n of nodes) visit(n);
  return out;
}

export interface GraphRuntime extends ModelRuntime {
  readonly inputSize: { readonly width: number; readonly height: number };
  readonly classes: number;
  readonly outputIsSoftmax: boolean;
}

export function createGraphRuntime(model: GraphModel, nodes: readonly GraphNodeDef[], label: string): GraphRuntime {
  const controlFlow = nodes.find((n) => CONTROL_FLOW.has(n.op));
  if (controlFlow) {
    throw new MetacamError('E_MODEL_UNSUPPORTED', `${label} contains control flow ('${controlFlow.op}' at node '${controlFlow.name}'), which cannot be differentiated to explain it; export the model without loops or conditionals`);
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new MetacamError('E_MODEL_INVALID', `${label} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; metacam explains single-input image classifiers`);
  }
  const input = model.inputs[0];
  const inShape = input.shape ?? [];
  if (inShape.length !== 4 || inShape[3] !== 3 || !(inShape[1]! > 0) || !(inShape[2]! > 0)) {
    throw new MetacamError('E_MODEL_INVALID', `${label}: input '${input.name}' has shape [${inShape.join(',')}]; metacam explains image classifiers with a fixed-size RGB input [N,H,W,3]`);
  }
  const inputSize = { width: inShape[2]!, height: inShape[1]! };
  const inputName = input.name.replace(/:\d+$/, '');
  const outputName = model.outputs[0].name.replace(/:\d+$/, '');
  const order = topoOrder(nodes);
  const byName = new Map(order.map((n) => [n.name, n]));
  // The logits: the output, or the input of the softmax it ends in (through Identity nodes).
  let logitsName = outputName;
  let outputIsSoftmax = false;
  for (let n = byName.get(outputName); n; n = byName.get(inputNames(n)[0] ?? '')) {
    if (n.op === 'Softmax') {
      logitsName = inputNames(n)[0];
      outputIsSoftmax = true;
      break;
    }
    if (n.op !== 'Identity') break;
  }
  // One probe forward at batch 1 for every node's shape.
  const probeNames = order.filter((n) => n.name !== inputName && n.op !== 'Placeholder').map((n) => n.name);
  const shapes = new Map<string, number[]>();
  tf.tidy(() => {
    const outs = model.execute({ [inputName]: tf.zeros([1, inputSize.height, inputSize.width, 3]) }, probeNames) as tf.Tensor[];
    probeNames.forEach((name, i) => shapes.set(name, [...outs[i].shape]));
  });
  const outShape = shapes.get(logitsName) ?? [];
  if (outShape.length !== 2) throw new MetacamError('E_MODEL_INVALID', `${label} has no classifier head: '${logitsName}' has shape [${outShape.join(',')}], not [N, classes]`);
  const classes = outShape[1];

  const dominates = (value: string): boolean => {
    const reached = new Set([inputName]);
    for (const n of order) if (n.name !== value && inputNames(n).some((i) => reached.has(i))) reached.add(n.name);
    return !reached.has(outputName);
  };
  const candidates: LayerCandidate[] = order
    .filter((n) => {
      const s = shapes.get(n.name);
      return s !== undefined && s.length === 4 && s[1] * s[2] > 1 && dominates(n.name);
    })
    .map((n) => {
      const [, h, w, k] = shapes.get(n.name)!;
      return { name: n.name, shape: [h, w, k] };
    });
  const listing = (): string => candidates.map((c) => `${c.name} [${c.shape.join('×')}]`).join(', ') || '(none)';

  function resolve(layer?: string): LayerCandidate {
    if (!layer) {
      const last = candidates[candidates.length - 1];
      if (!last) throw new MetacamError('E_LAYER_NOT_SPATIAL', `${label} has no spatial 4-D node every path passes through`);
      return last;
    }
    const exact = candidates.find((c) => c.name === layer);
    if (exact) return exact;
    const suffix = candidates.filter((c) => c.name.endsWith(`/${layer}`));
    if (suffix.length === 1) return suffix[0];
    if (suffix.length > 1) throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${layer}' is ambiguous: it ends ${suffix.map((c) => c.name).join(', ')}`);
    const node = byName.has(layer) ? layer : order.find((n) => n.name.endsWith(`/${layer}`))?.name;
    if (node && shapes.has(node)) {
      const s = shapes.get(node)!;
      if (s.length !== 4 || s[1] * s[2] <= 1) throw new MetacamError('E_LAYER_NOT_SPATIAL', `layer '${layer}' has shape [${s.join(',')}], not a spatial map [N,h,w,K]; candidate layers: ${listing()}`);
      throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${layer}' is bypassed by a skip connection, so the model cannot be split there; candidate layers: ${listing()}`);
    }
    throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${layer}' not found in ${label}; candidate layers: ${listing()}`);
  }

  /** Nodes between `from` (exclusive) and the logits: what a gradient at `from` passes through. */
  const downstream = (from: string): GraphNodeDef[] => {
    const reached = new Set([from]);
    return order.filter((n) => {
      if (!inputNames(n).some((i) => reached.has(i))) return false;
      reached.add(n.name);
      return true;
    });
  };
  const assertMaxPoolGrad = (from: string, what: string): void => {
    if (!downstream(from).some((n) => n.op === 'MaxPool') || maxPoolGradIsSound()) return;
    throw new MetacamError('E_BACKEND', `${what} passes through a MaxPool node, and backend '${tf.getBackend()}' computes the 'MaxPoolGrad' kernel wrongly; use --backend cpu (slow) or pick a target layer after the max-pool`);
  };
  const head = (name: string, a: tf.Tensor): tf.Tensor2D => model.execute({ [name]: a }, logitsName) as tf.Tensor2D;
  const body = (x: tf.Tensor4D, name: string): tf.Tensor4D => model.execute({ [inputName]: x }, name) as tf.Tensor4D;

  const access: CamModelAccess = {
    layerActivationsAndGradients(names, x, cls) {
      const targets = names.map((n) => resolve(n).name);
      for (const t of targets) assertMaxPoolGrad(t, `gradients at layer ${t}`);
      return targets.map((t) =>
        tf.tidy(() => {
          const a = body(x, t);
          const g = tf.grad((v: tf.Tensor) => tf.sum(targetScores(head(t, v), cls)))(a);
          return { name: t, activations: a, gradients: g as tf.Tensor4D };
        }),
      );
    },
  };

  return {
    kind: 'runtime',
    format: 'tfjs-graph',
    inputSize,
    classes,
    outputIsSoftmax,
    predict: (x) => model.execute({ [inputName]: x }, outputName) as tf.Tensor2D,
    split(layer?: string): RuntimeSplit {
      const target = resolve(layer);
      return {
        kind: 'runtime',
        target,
        outputIsSoftmax,
        runBody: (x) => body(x, target.name),
        runHead: (a) => head(target.name, a),
        access,
        assertHeadGradientSound: () => assertMaxPoolGrad(target.name, 'the head gradient'),
      };
    },
    inspect(): ModelInspection {
      const ops: Record<string, number> = {};
      for (const n of order) ops[n.op] = (ops[n.op] ?? 0) + 1;
      return {
        format: 'tfjs-graph',
        inputs: [{ name: inputName, shape: inShape.map((d) => (d > 0 ? d : null)) }],
        outputs: [{ name: outputName, shape: [null, classes] }],
        layers: candidates,
        defaultLayer: candidates[candidates.length - 1]?.name ?? '',
        ops,
      };
    },
    dispose: () => model.dispose(),
  };
}
