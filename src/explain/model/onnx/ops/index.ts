/**
 * The ONNX operators metacam runs, by op type: the only list (error messages, `models inspect` and the docs read
 * it). Each is a TensorFlow.js implementation, so gradients flow through every one of them.
 */
import { conv } from './conv.js';
import * as ew from './elementwise.js';
import { gemm, matMul } from './linear.js';
import type { OpFn } from './op-types.js';
import { averagePool, globalAveragePool, globalMaxPool, maxPool } from './pool.js';
import * as sh from './shape-ops.js';

export const ONNX_OPS: Readonly<Record<string, OpFn>> = {
  Add: ew.add,
  AveragePool: averagePool,
  BatchNormalization: ew.batchNormalization,
  Cast: sh.cast,
  Clip: ew.clip,
  Concat: sh.concat,
  Conv: conv,
  Div: ew.div,
  Dropout: ew.dropout,
  Flatten: sh.flatten,
  Gather: sh.gather,
  Gemm: gemm,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
  HardSigmoid: ew.hardSigmoid,
  HardSwish: ew.hardSwish,
  Identity: ew.identity,
  LeakyRelu: ew.leakyRelu,
  MatMul: matMul,
  MaxPool: maxPool,
  Mul: ew.mul,
  Pad: sh.pad,
  ReduceMean: sh.reduceMean,
  Relu: ew.relu,
  Reshape: sh.reshape,
  Shape: sh.shape,
  Sigmoid: ew.sigmoid,
  Slice: sh.slice,
  Softmax: ew.softmax,
  Squeeze: sh.squeeze,
  Sub: ew.sub,
  Tanh: ew.tanh,
  Transpose: sh.transpose,
  Unsqueeze: sh.unsqueeze,
};

/** Supported op types, sorted (Constant is folded when the graph is read, so it is listed too). */
export const SUPPORTED_ONNX_OPS: readonly string[] = [...Object.keys(ONNX_OPS), 'Constant'].sort();
