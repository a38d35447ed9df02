/**
 * `metacam models inspect <model>` for every format: the inputs and outputs, the candidate layers with their
 * shapes (what --layer accepts), the default layer, and the op/layer types. Runtime formats describe themselves;
 * a LayersModel is described from its graph with the same candidate rule the splitter uses.
 */
import type { AnyLoadedModel } from './loaded-model.js';
import { buildModelGraph } from './model-graph.js';
import { isModelRuntime, type ModelInspection } from './model-runtime.js';
import { candidateLayers } from './target-layer.js';

export function inspectModel(m: AnyLoadedModel): ModelInspection {
  if (isModelRuntime(m.model)) return m.model.inspect();
  const model = m.model;
  const layers = candidateLayers(buildModelGraph(model)).map((s) => {
    const [, h, w, k] = s.outputShape as number[];
    return { name: s.layer.name, shape: [h, w, k] as const };
  });
  const ops: Record<string, number> = {};
  for (const l of model.layers) ops[l.getClassName()] = (ops[l.getClassName()] ?? 0) + 1;
  return {
    format: 'tfjs-layers',
    inputs: model.inputs.map((t) => ({ name: t.name, shape: t.shape })),
    outputs: model.outputs.map((t) => ({ name: t.name, shape: t.shape })),
    layers,
    defaultLayer: m.defaultLayer ?? layers[layers.length - 1]?.name ?? '',
    ops,
  };
}

/** The inspection as text: one fact per line, then one candidate layer per line (the default marked). */
export function formatInspection(id: string, m: AnyLoadedModel, i: ModelInspection): string {
  const shape = (s: readonly (number | null)[]): string => `[${s.map((d) => d ?? '?').join(',')}]`;
  const lines = [
    `model    ${id}`,
    `format   ${i.format}`,
    `inputs   ${i.inputs.map((t) => `${t.name} ${shape(t.shape)}`).join(', ')}  (fed ${m.inputSize.width}×${m.inputSize.height} RGB, range ${m.preprocess.range}${m.preprocess.mean ? `, mean ${m.preprocess.mean.join(',')}` : ''}${m.preprocess.std ? `, std ${m.preprocess.std.join(',')}` : ''})`,
    `outputs  ${i.outputs.map((t) => `${t.name} ${shape(t.shape)}`).join(', ')}${m.outputIsSoftmax ? ' (softmax; explained at the logits before it)' : ''}`,
    `classes  ${m.labels.length}: ${m.labels.join(', ')}`,
    `ops      ${Object.entries(i.ops).map(([k, v]) => `${k}×${v}`).join(', ')}`,
    `default  ${i.defaultLayer}`,
    `layers (--layer; h×w×channels):`,
    ...i.layers.map((l) => `${l.name === i.defaultLayer ? '* ' : '  '}${l.name}  ${l.shape.join('×')}`),
  ];
  return lines.join('\n');
}
