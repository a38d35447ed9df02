/** The contract of one ONNX operator implemented with TensorFlow.js ops (see ops/index.ts for the registry). */
import type * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../../errors.js';
import type { OnnxGraph, OnnxNode } from '../onnx-graph.js';
import type { Value } from '../onnx-value.js';

export interface OpEnv {
  readonly graph: OnnxGraph;
  /** A tensor derived from constants (a converted filter), made once and kept until the model is disposed. */
  cached(key: string, make: () => tf.Tensor): tf.Tensor;
}

export interface OpCall {
  readonly node: OnnxNode;
  /** One per node input; undefined for an omitted optional input. */
  readonly inputs: readonly (Value | undefined)[];
  readonly env: OpEnv;
  /** Inference only: the activation that follows a Conv, fused into its kernel. */
  readonly fuse?: 'relu' | 'relu6';
}

/** Computes a node's outputs. Synchronous tensor code; intermediate tensors belong to the caller's tidy. */
export type OpFn = (call: OpCall) => Value[];

export function need(call: OpCall, i: number): Value {
  const v = call.inputs[i];
  if (!v) throw new MetacamError('E_MODEL_INVALID', `node '${call.node.name}' (${call.node.op}) lacks its input ${i}`);
  return v;
}
