/**
 * Which layer to explain. Candidates are layers with a spatial 4-D output (h·w > 1) that every input→output path
 * passes through (so the model splits there into body and head). Default: the last candidate — the last
 * convolutional feature map before global pooling, where Grad-CAM is usually taken.
 */
import { MetacamError } from '../../errors.js';
import { dominatesOutput, isSpatial, type GraphStep, type ModelGraph } from './model-graph.js';

export interface TargetLayer {
  readonly name: string;
  readonly step: GraphStep;
  /** [h, w, K] of the activations. */
  readonly shape: readonly [number, number, number];
}

export function candidateLayers(graph: ModelGraph): GraphStep[] {
  return graph.steps.filter((s) => isSpatial(s) && dominatesOutput(graph, s.outputIds[0]));
}

function toTarget(step: GraphStep): TargetLayer {
  const [, h, w, k] = step.outputShape;
  if (typeof h !== 'number' || typeof w !== 'number' || typeof k !== 'number') {
    throw new MetacamError('E_MODEL_INVALID', `layer '${step.layer.name}' has an unknown output shape [${step.outputShape.join(',')}]; fix the model's input size`);
  }
  return { name: step.layer.name, step, shape: [h, w, k] };
}

function listing(cands: GraphStep[]): string {
  return cands.length ? cands.map((s) => s.layer.name).join(', ') : '(none)';
}

/** The named layer, or the default; wrong names and unusable layers are coded errors listing the candidates. */
export function resolveTargetLayer(graph: ModelGraph, name?: string): TargetLayer {
  const cands = candidateLayers(graph);
  if (name === undefined || name === '') {
    const last = cands[cands.length - 1];
    if (!last) throw new MetacamError('E_LAYER_NOT_SPATIAL', 'the model has no layer with a spatial 4-D output to explain (it needs a convolutional feature map)');
    return toTarget(last);
  }
  const step = graph.byName.get(name);
  if (!step) {
    throw new MetacamError('E_LAYER_NOT_FOUND', `layer '${name}' not found; spatial layers: ${listing(cands)}`);
  }
  if (!isSpatial(step)) {
    throw new MetacamError(
      'E_LAYER_NOT_SPATIAL',
      `layer '${name}' has output [${step.outputShape.join(',')}], not a spatial map [N,h,w,K]; spatial layers: ${listing(cands)}`,
    );
  }
  if (!cands.includes(step)) {
    throw new MetacamError(
      'E_LAYER_NOT_FOUND',
      `layer '${name}' is bypassed by a skip connection, so the model cannot be split there; usable layers: ${listing(cands)}`,
    );
  }
  return toTarget(step);
}
