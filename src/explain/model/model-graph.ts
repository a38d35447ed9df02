/**
 * A LayersModel as a plain DAG we can walk: one step per layer (its inbound node that belongs to this model —
 * re-applications add more nodes, so `layer.output` becomes ambiguous), with the ids of
 * the symbolic tensors it reads and writes. Splitting, the eager executor and the inference optimiser all walk
 * this, so they work for any functional graph (adds, concatenations), not only Sequential stacks.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { MetacamError } from '../../errors.js';

/** The parts of tfjs-layers' Layer / Node we rely on (not all are in its public typings). */
export interface GraphLayer {
  readonly name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  apply(inputs: unknown, kwargs?: Record<string, unknown>): unknown;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  inboundNodes: GraphNode[];
  activation?: { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
  [k: string]: unknown;
}

export interface GraphNode {
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}

export interface GraphStep {
  readonly layer: GraphLayer;
  readonly node: GraphNode;
  readonly inputIds: readonly number[];
  readonly outputIds: readonly number[];
  /** Static output shape of the first output (batch dim null). */
  readonly outputShape: readonly (number | null)[];
}

export interface ModelGraph {
  readonly model: LayersModel;
  readonly inputId: number;
  readonly outputId: number;
  /** Topological order (the model's own layer order), input layers excluded. */
  readonly steps: readonly GraphStep[];
  /** Step producing a tensor id. */
  readonly producer: ReadonlyMap<number, GraphStep>;
  /** Steps consuming a tensor id. */
  readonly consumers: ReadonlyMap<number, readonly GraphStep[]>;
  /** Steps by layer name. */
  readonly byName: ReadonlyMap<string, GraphStep>;
}

export function asGraphLayer(layer: unknown): GraphLayer {
  return layer as GraphLayer;
}

/** The symbolic output of a step in its model (not `layer.output`, which is ambiguous for shared layers). */
export function stepOutput(step: GraphStep): SymbolicTensor {
  return step.node.outputTensors[0];
}

export function buildModelGraph(model: LayersModel): ModelGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new MetacamError('E_MODEL_INVALID', 'only single-input, single-output models can be explained');
  }
  const steps: GraphStep[] = [];
  const producer = new Map<number, GraphStep>();
  const consumers = new Map<number, GraphStep[]>();
  const byName = new Map<string, GraphStep>();
  // A layer may belong to several models (shared layers, transfer learning built in-process): its node for THIS
  // model is the first inbound node whose inputs this model has already produced.
  const known = new Set<number>(model.inputs.map((t) => t.id));
  for (const l of model.layers) {
    const layer = asGraphLayer(l);
    if (layer.getClassName() === 'InputLayer') continue;
    const node = layer.inboundNodes.find((nd) => nd.inputTensors.length > 0 && nd.inputTensors.every((t) => known.has(t.id)));
    if (!node) continue;
    for (const t of node.outputTensors) known.add(t.id);
    const outShape = node.outputTensors[0].shape;
    const step: GraphStep = {
      layer,
      node,
      inputIds: node.inputTensors.map((t) => t.id),
      outputIds: node.outputTensors.map((t) => t.id),
      outputShape: outShape,
    };
    steps.push(step);
    byName.set(layer.name, step);
    for (const id of step.outputIds) producer.set(id, step);
    for (const id of step.inputIds) {
      const list = consumers.get(id) ?? [];
      list.push(step);
      consumers.set(id, list);
    }
  }
  return { model, inputId: model.inputs[0].id, outputId: model.outputs[0].id, steps, producer, consumers, byName };
}

/** Steps needed to compute `targetId` from the input (reverse reachability), in topological order. */
export function stepsUpTo(graph: ModelGraph, targetId: number): GraphStep[] {
  const needed = new Set<GraphStep>();
  const stack = [targetId];
  const seen = new Set<number>();
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const p = graph.producer.get(id);
    if (!p) continue;
    needed.add(p);
    stack.push(...p.inputIds);
  }
  return graph.steps.filter((s) => needed.has(s));
}

/**
 * True when every path from the model input to its output passes through `tensorId` — only then can the model be
 * split there into body(input → A) and head(A → scores). Skip connections that bypass a layer rule it out.
 */
export function dominatesOutput(graph: ModelGraph, tensorId: number): boolean {
  if (tensorId === graph.outputId) return true;
  const reached = new Set<number>([graph.inputId]);
  for (const s of graph.steps) {
    if (s.inputIds.length > 0 && s.inputIds.some((id) => reached.has(id))) {
      for (const o of s.outputIds) if (o !== tensorId) reached.add(o);
    }
  }
  return !reached.has(graph.outputId);
}

/** Output ranks: 4-D with more than one spatial position. */
export function isSpatial(step: GraphStep): boolean {
  const s = step.outputShape;
  return s.length === 4 && !(s[1] === 1 && s[2] === 1);
}
