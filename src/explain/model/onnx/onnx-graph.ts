/**
 * An ONNX ModelProto as a plain graph we can execute and cut: nodes in topological order with decoded
 * attributes, constants (initializers and `Constant` nodes) as host tensors, the one image input and the
 * classifier output. A BatchNormalization that follows a Conv (the Conv's only reader) is folded into the
 * Conv's weights here, once: W' = W·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β.
 */
import type onnxProto from 'onnx-proto';
import { MetacamError } from '../../../errors.js';
import { fromTensorProto, toNumber, type HostTensor } from './host-tensor.js';
import type { OnnxModelProto } from './read-onnx.js';

type AttributeProto = onnxProto.onnx.IAttributeProto;

export type AttrValue = number | string | readonly number[] | HostTensor;

export interface OnnxNode {
  readonly op: string;
  /** The node's name, or a synthesised `<op>_<index>` when the file has none. */
  readonly name: string;
  /** Input value names ('' = optional input left out). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, AttrValue>;
}

export interface OnnxGraph {
  readonly inputName: string;
  /** ONNX input dims (NCHW); null where symbolic (the batch). */
  readonly inputDims: readonly (number | null)[];
  readonly outputName: string;
  readonly nodes: readonly OnnxNode[];
  readonly constants: ReadonlyMap<string, HostTensor>;
  /** Default-domain opset version. */
  readonly opset: number;
  /** Value name → the node producing it. */
  readonly producer: ReadonlyMap<string, OnnxNode>;
  /** Value name → the nodes reading it. */
  readonly consumers: ReadonlyMap<string, readonly OnnxNode[]>;
}

const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

function decodeAttr(a: AttributeProto, where: string): AttrValue | undefined {
  switch (a.type) {
    case ATTR.FLOAT: return a.f ?? 0;
    case ATTR.INT: return toNumber(a.i);
    case ATTR.STRING: return Buffer.from(a.s ?? new Uint8Array()).toString('utf8');
    case ATTR.TENSOR: return fromTensorProto(a.t ?? {}, `${where} attribute '${a.name}'`);
    case ATTR.FLOATS: return [...(a.floats ?? [])];
    case ATTR.INTS: return (a.ints ?? []).map(toNumber);
    default: return undefined; // graphs, sparse tensors, …: the ops that need them are unsupported anyway
  }
}

export function attrNumber(node: OnnxNode, name: string, fallback: number): number {
  const v = node.attrs.get(name);
  return typeof v === 'number' ? v : fallback;
}

export function attrInts(node: OnnxNode, name: string): readonly number[] | undefined {
  const v = node.attrs.get(name);
  return Array.isArray(v) ? (v as readonly number[]) : undefined;
}

export function attrString(node: OnnxNode, name: string, fallback: string): string {
  const v = node.attrs.get(name);
  return typeof v === 'string' ? v : fallback;
}

function indexGraph(nodes: readonly OnnxNode[]): { producer: Map<string, OnnxNode>; consumers: Map<string, OnnxNode[]> } {
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of nodes) {
    for (const o of n.outputs) if (o) producer.set(o, n);
    for (const i of n.inputs) {
      if (!i) continue;
      const list = consumers.get(i) ?? [];
      if (!list.includes(n)) list.push(n);
      consumers.set(i, list);
    }
  }
  return { producer, consumers };
}

/** Folds Conv → BatchNormalization pairs (the Conv output read only by the BN) into the Conv. */
function foldBatchNorms(nodes: OnnxNode[], constants: Map<string, HostTensor>, outputName: string): OnnxNode[] {
  const { producer, consumers } = indexGraph(nodes);
  const removed = new Set<OnnxNode>();
  const replaced = new Map<OnnxNode, OnnxNode>();
  for (const bn of nodes) {
    if (bn.op !== 'BatchNormalization' || bn.outputs.filter(Boolean).length !== 1) continue;
    const x = bn.inputs[0];
    const conv = producer.get(x);
    if (!conv || conv.op !== 'Conv' || x === outputName || (consumers.get(x)?.length ?? 0) !== 1) continue;
    const [scale, shift, mean, variance] = bn.inputs.slice(1, 5).map((n) => constants.get(n));
    const w = constants.get(conv.inputs[1]);
    const b = conv.inputs[2] ? constants.get(conv.inputs[2]) : undefined;
    if (!scale || !shift || !mean || !variance || !w || (conv.inputs[2] && !b)) continue;
    const eps = attrNumber(bn, 'epsilon', 1e-5);
    const cout = w.dims[0];
    const per = w.data.length / cout;
    const wf = new Float32Array(w.data.length);
    const bf = new Float32Array(cout);
    for (let o = 0; o < cout; o++) {
      const s = scale.data[o] / Math.sqrt(variance.data[o] + eps);
      for (let i = 0; i < per; i++) wf[o * per + i] = w.data[o * per + i] * s;
      bf[o] = ((b ? b.data[o] : 0) - mean.data[o]) * s + shift.data[o];
    }
    const wName = `${conv.name}::folded_weight`;
    const bName = `${conv.name}::folded_bias`;
    constants.set(wName, { dims: w.dims, dtype: 'float32', data: wf });
    constants.set(bName, { dims: [cout], dtype: 'float32', data: bf });
    replaced.set(conv, { ...conv, inputs: [conv.inputs[0], wName, bName], outputs: [bn.outputs[0]] });
    removed.add(bn);
  }
  return nodes.filter((n) => !removed.has(n)).map((n) => replaced.get(n) ?? n);
}

export function buildOnnxGraph(proto: OnnxModelProto, label: string): OnnxGraph {
  const g = proto.graph!;
  const constants = new Map<string, HostTensor>();
  for (const t of g.initializer ?? []) constants.set(t.name ?? '', fromTensorProto(t, `initializer '${t.name}'`));
  const opset = toNumber((proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 13);
  let nodes: OnnxNode[] = [];
  (g.node ?? []).forEach((n, i) => {
    const op = n.opType ?? '';
    const name = n.name || `${op}_${i}`;
    const attrs = new Map<string, AttrValue>();
    for (const a of n.attribute ?? []) {
      const v = decodeAttr(a, `node '${name}' (${op})`);
      if (v !== undefined) attrs.set(a.name ?? '', v);
    }
    const node: OnnxNode = { op, name, inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attrs };
    if (op === 'Constant' && (!n.domain || n.domain === 'ai.onnx')) {
      constants.set(node.outputs[0], constantValue(node));
      return;
    }
    if (n.domain && n.domain !== 'ai.onnx') {
      nodes.push({ ...node, op: `${n.domain}.${op}` }); // reported as unsupported by the executor
      return;
    }
    nodes.push(node);
  });
  const inputs = (g.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  if (inputs.length !== 1) {
    throw new MetacamError('E_MODEL_INVALID', `${label} has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); metacam explains single-input image classifiers`);
  }
  if ((g.output ?? []).length !== 1) {
    throw new MetacamError('E_MODEL_INVALID', `${label} has ${(g.output ?? []).length} outputs; metacam explains classifiers with one output [N, classes]`);
  }
  const input = inputs[0];
  const inputDims = (input.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && toNumber(d.dimValue) > 0 ? toNumber(d.dimValue) : null));
  const outputName = g.output![0].name ?? '';
  nodes = foldBatchNorms(nodes, constants, outputName);
  const { producer, consumers } = indexGraph(nodes);
  return { inputName: input.name ?? '', inputDims, outputName, nodes, constants, opset, producer, consumers };
}

/** The value of a `Constant` node (value, value_float(s), value_int(s)). */
function constantValue(node: OnnxNode): HostTensor {
  const v = node.attrs.get('value');
  if (v && typeof v === 'object' && 'dims' in v) return v;
  const f = node.attrs.get('value_float');
  if (typeof f === 'number') return { dims: [], dtype: 'float32', data: Float32Array.of(f) };
  const i = node.attrs.get('value_int');
  if (typeof i === 'number') return { dims: [], dtype: 'int32', data: Int32Array.of(i) };
  const fs = node.attrs.get('value_floats');
  if (Array.isArray(fs)) return { dims: [fs.length], dtype: 'float32', data: Float32Array.from(fs as number[]) };
  const is = node.attrs.get('value_ints');
  if (Array.isArray(is)) return { dims: [is.length], dtype: 'int32', data: Int32Array.from(is as number[]) };
  throw new MetacamError('E_MODEL_UNSUPPORTED', `Constant node '${node.name}' has no numeric value (sparse and string constants are not supported)`);
}
