/**
 * Which ONNX values can be explained, and what `--layer` means for an ONNX model. A candidate is a 4-D value with
 * a spatial map (h·w > 1) that every input→output path passes through (else the model cannot be cut there).
 * `--layer` is a value name (`/features/features.18/features.18.2/Clip_output_0`), a node name, or a PyTorch
 * module path prefix (`features.18`): torch.onnx.export names values `/<scope>/…/<Op>_output_0`
 * (scopes spell the module path, see modulePath), so a module's output is the last candidate whose module path is
 * the prefix or lies inside it.
 * Default: the last candidate — the last convolutional map before global pooling.
 */
import { MetacamError } from '../../../errors.js';
import type { LayerCandidate } from '../model-runtime.js';
import type { OnnxGraph } from './onnx-graph.js';

export interface ValueInfo {
  /** ONNX (NCHW) shape at batch 1. */
  readonly dims: readonly number[];
  /** Held as NHWC by the executor. */
  readonly nhwc: boolean;
}

/** True when every path from the graph input to its output passes through `value`. */
function dominatesOutput(graph: OnnxGraph, value: string): boolean {
  const reached = new Set<string>([graph.inputName]);
  for (const n of graph.nodes) {
    if (!n.inputs.some((i) => reached.has(i))) continue;
    for (const o of n.outputs) if (o && o !== value) reached.add(o);
  }
  return !reached.has(graph.outputName);
}

/** Candidates in graph order, from the value table of a probe run. */
export function onnxCandidates(graph: OnnxGraph, values: ReadonlyMap<string, ValueInfo>): LayerCandidate[] {
  const out: LayerCandidate[] = [];
  for (const n of graph.nodes) {
    for (const name of n.outputs) {
      const info = name ? values.get(name) : undefined;
      if (!info || info.dims.length !== 4) continue;
      const [, k, h, w] = info.dims;
      if (h * w <= 1 || !dominatesOutput(graph, name)) continue;
      out.push({ name, shape: [h, w, k] });
    }
  }
  return out;
}

/**
 * The PyTorch module path of a value torch.onnx.export named: its scopes, where a scope that extends the previous
 * one's name (a Sequential child, 'features' → 'features.18') continues it and any other is a child attribute.
 * '/features/features.18/features.18.2/Clip_output_0' → 'features.18.2';
 * '/features/features.16/conv/conv.0/conv.0.0/Conv_output_0' → 'features.16.conv.0.0'; unscoped names → undefined.
 */
export function modulePath(valueName: string): string | undefined {
  const scopes = valueName.split('/').filter(Boolean).slice(0, -1);
  if (scopes.length === 0) return undefined;
  let path = '';
  let prev = '';
  for (const s of scopes) {
    path = prev && s.startsWith(`${prev}.`) ? path + s.slice(prev.length) : path ? `${path}.${s}` : s;
    prev = s;
  }
  return path;
}

function listing(c: readonly LayerCandidate[]): string {
  return c.length ? c.map((l) => `${l.name} [${l.shape.join('×')}]`).join(', ') : '(none)';
}

export function resolveOnnxLayer(graph: OnnxGraph, values: ReadonlyMap<string, ValueInfo>, candidates: readonly LayerCandidate[], layer?: string): LayerCandidate {
  if (layer === undefined || layer === '') {
    const last = candidates[candidates.length - 1];
    if (!last) throw new MetacamError('E_LAYER_NOT_SPATIAL', 'the ONNX model has no spatial 4-D value every path passes through (it needs a convolutional feature map)');
    return last;
  }
  const exact = candidates.find((c) => c.name === layer) ?? candidates.find((c) => graph.producer.get(c.name)?.name === layer);
  if (exact) return exact;
  const value = values.has(layer) ? layer : graph.nodes.find((n) => n.name === layer)?.outputs[0];
  if (value && values.has(value)) {
    const info = values.get(value)!;
    if (info.dims.length !== 4 || info.dims[2] * info.dims[3] <= 1) {
      throw new MetacamError('E_LAYER_NOT_SPATIAL', `layer '${layer}' has shape [${info.dims.join(',')}], not a spatial map [N,K,h,w]; candidate layers: ${listing(candidates)}`);
    }
    throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${layer}' is bypassed by a skip connection, so the model cannot be split there; candidate layers: ${listing(candidates)}`);
  }
  const inModule = (p: string | undefined, prefix: string): boolean => p !== undefined && (p === prefix || p.startsWith(`${prefix}.`));
  let matches = candidates.filter((c) => inModule(modulePath(c.name), layer));
  if (matches.length === 0) {
    matches = candidates.filter((c) => modulePath(c.name)?.startsWith(layer));
    const modules = [...new Set(matches.map((c) => modulePath(c.name)!.split('.').slice(0, layer.split('.').length).join('.')))];
    if (modules.length > 1) {
      throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${layer}' is ambiguous: it is a prefix of modules ${modules.join(', ')}; name one of them or a value: ${listing(candidates)}`);
    }
  }
  const last = matches[matches.length - 1];
  if (last) return last;
  if ([...values.keys()].some((v) => inModule(modulePath(v), layer))) {
    throw new MetacamError('E_LAYER_NOT_FOUND', `module '${layer}' is bypassed by a skip connection (a residual block's inside), so the model cannot be split there; name the block itself or another layer; candidate layers: ${listing(candidates)}`);
  }
  throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${layer}' not found (neither an ONNX value name nor a PyTorch module path); candidate layers: ${listing(candidates)}`);
}
