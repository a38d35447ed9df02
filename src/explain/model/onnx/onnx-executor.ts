/**
 * Executes an OnnxGraph (or the part of it between some fed values and some wanted values) with TensorFlow.js
 * ops, so `tf.grad` differentiates through it on every backend. Cutting at any value name is just a different
 * feed: the body is input → A, the head is A → logits.
 *
 * - Plans (which nodes a feed→output run needs) are computed once per (feeds, outputs) and cached. A run that
 *   needs a value upstream of its feeds fails with a message naming it (the cut is bypassed).
 * - Inference runs (`fuse`) fuse a Conv with the Relu/Clip(0,6) that is its only reader into one kernel; runs
 *   for gradients use plain ops (the fused kernels' gradients ask for filter gradients wasm lacks).
 * - `probes` adds a zero tensor δ right after a value is computed: ∂score/∂δ is ∂score/∂value (FullGrad,
 *   multi-layer LayerCAM). `record` receives the values named in it.
 *
 * Converted weights are kept for the executor's lifetime; `dispose()` frees them (idempotent). Every other
 * tensor a run makes belongs to the caller's tf.tidy / tf.grad scope.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../errors.js';
import type { OnnxGraph, OnnxNode } from './onnx-graph.js';
import { hostValue, type Value } from './onnx-value.js';
import { ONNX_OPS, SUPPORTED_ONNX_OPS } from './ops/index.js';
import type { OpEnv } from './ops/op-types.js';

export interface RunOptions {
  readonly feeds: ReadonlyMap<string, Value>;
  readonly outputs: readonly string[];
  readonly fuse?: boolean;
  readonly probes?: ReadonlyMap<string, tf.Tensor>;
  /** Its keys name values to record; the run fills in each (after its probe). */
  readonly record?: Map<string, Value | undefined>;
}

/** Throws E_MODEL_UNSUPPORTED for the first node whose op we cannot run, naming it and listing what we can. */
export function assertOpsSupported(graph: OnnxGraph, label: string): void {
  for (const n of graph.nodes) {
    if (!(n.op in ONNX_OPS)) {
      throw new MetacamError(
        'E_MODEL_UNSUPPORTED',
        `${label}: ONNX operator '${n.op}' (node '${n.name}') is not supported; supported operators: ${SUPPORTED_ONNX_OPS.join(', ')}`,
      );
    }
  }
}

/** The activation a Conv can absorb: its output's only reader is a Relu or a Clip to [0, 6]. */
function fusableActivation(graph: OnnxGraph, conv: OnnxNode): { node: OnnxNode; kind: 'relu' | 'relu6' } | undefined {
  const out = conv.outputs[0];
  const readers = graph.consumers.get(out) ?? [];
  if (readers.length !== 1 || out === graph.outputName) return undefined;
  const act = readers[0];
  if (act.op === 'Relu') return { node: act, kind: 'relu' };
  if (act.op !== 'Clip' || graph.opset < 11) return undefined;
  const lo = graph.constants.get(act.inputs[1] ?? '');
  const hi = graph.constants.get(act.inputs[2] ?? '');
  if (lo?.data.length === 1 && hi?.data.length === 1 && lo.data[0] === 0 && hi.data[0] === 6) return { node: act, kind: 'relu6' };
  return undefined;
}

export class OnnxExecutor {
  private readonly kept = new Map<string, tf.Tensor>();
  private readonly plans = new Map<string, readonly OnnxNode[]>();
  private readonly constantValues = new Map<string, Value>();
  private readonly fusable = new Map<OnnxNode, { node: OnnxNode; kind: 'relu' | 'relu6' }>();
  private readonly env: OpEnv;
  private disposed = false;

  constructor(readonly graph: OnnxGraph, label: string) {
    assertOpsSupported(graph, label);
    for (const n of graph.nodes) {
      if (n.op !== 'Conv') continue;
      const f = fusableActivation(graph, n);
      if (f) this.fusable.set(n, f);
    }
    this.env = {
      graph,
      cached: (key, make) => {
        let t = this.kept.get(key);
        if (!t) {
          t = tf.keep(make());
          this.kept.set(key, t);
        }
        return t;
      },
    };
  }

  /** Nodes needed to compute `outputs` from `feeds` (and constants), in graph order. */
  plan(feeds: readonly string[], outputs: readonly string[]): readonly OnnxNode[] {
    const key = `${feeds.join('\u0000')}\u0001${outputs.join('\u0000')}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const fed = new Set(feeds);
    const needed = new Set<OnnxNode>();
    const stack = [...outputs];
    const seen = new Set<string>();
    while (stack.length) {
      const v = stack.pop()!;
      if (!v || seen.has(v) || fed.has(v) || this.graph.constants.has(v)) continue;
      seen.add(v);
      const p = this.graph.producer.get(v);
      if (!p) {
        throw new MetacamError(
          'E_LAYER_NOT_FOUND',
          v === this.graph.inputName
            ? `cannot compute ${outputs.join(', ')} from ${feeds.join(', ')}: the graph also reads the model input there (a connection bypasses the cut)`
            : `value '${v}' is not produced by any node of the model`,
        );
      }
      if (needed.has(p)) continue;
      needed.add(p);
      stack.push(...p.inputs);
    }
    const ordered = this.graph.nodes.filter((n) => needed.has(n));
    this.plans.set(key, ordered);
    return ordered;
  }

  run(o: RunOptions): Map<string, Value> {
    if (this.disposed) throw new MetacamError('E_INTERNAL', 'ONNX model used after dispose()');
    const values = new Map<string, Value>(o.feeds);
    const wanted = new Set([...o.outputs, ...(o.probes?.keys() ?? []), ...(o.record?.keys() ?? [])]);
    const get = (name: string): Value | undefined => {
      if (!name) return undefined;
      const v = values.get(name);
      if (v) return v;
      const c = this.graph.constants.get(name);
      if (!c) return undefined;
      let cv = this.constantValues.get(name);
      if (!cv) this.constantValues.set(name, (cv = hostValue(c)));
      return cv;
    };
    const set = (name: string, v: Value): void => {
      const delta = o.probes?.get(name);
      let out = v;
      if (delta) {
        if (v.kind !== 'tensor') throw new MetacamError('E_INTERNAL', `cannot probe constant value '${name}'`);
        out = { kind: 'tensor', t: tf.add(v.t, delta), nhwc: v.nhwc };
      }
      values.set(name, out);
      if (o.record?.has(name)) o.record.set(name, out);
    };
    for (const node of this.plan([...o.feeds.keys()], o.outputs)) {
      if (node.outputs.every((n) => !n || values.has(n))) continue;
      const inputs = node.inputs.map(get);
      const fusion = o.fuse ? this.fusable.get(node) : undefined;
      const fuse = fusion && !wanted.has(node.outputs[0]) ? fusion : undefined;
      const outs = ONNX_OPS[node.op]({ node, inputs, env: this.env, fuse: fuse?.kind });
      if (fuse) {
        set(fuse.node.outputs[0], outs[0]);
        continue;
      }
      node.outputs.forEach((name, i) => {
        if (name && outs[i]) set(name, outs[i]);
      });
    }
    return values;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.kept.values()) t.dispose();
    this.kept.clear();
  }
}
