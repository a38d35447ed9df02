/**
 * ONNX Gemm (αA·B + βC with transA/transB) and MatMul. A constant B is converted once (transposed for
 * transB) and kept; an [N,C,1,1] NHWC input is used as [N,C] directly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { attrNumber } from '../onnx-graph.js';
import { plain, tensorValue, type Value } from '../onnx-value.js';
import { need, type OpCall } from './op-types.js';

function operand(call: OpCall, i: number, key: string, transpose: boolean): tf.Tensor {
  const name = call.node.inputs[i];
  const c = call.env.graph.constants.get(name);
  if (c) {
    return call.env.cached(`${key}:${call.node.name}:${i}`, () => tf.tidy(() => {
      const t = tf.tensor(c.data, [...c.dims], c.dtype === 'int32' ? 'int32' : 'float32');
      return transpose ? tf.transpose(t) : t;
    }));
  }
  const t = plain(need(call, i));
  return transpose ? tf.transpose(t) : t;
}

function asMatrix(v: Value): tf.Tensor2D {
  if (v.kind === 'tensor' && v.nhwc && v.t.shape[1] === 1 && v.t.shape[2] === 1) return tf.reshape(v.t, [v.t.shape[0]!, v.t.shape[3]!]);
  return plain(v) as tf.Tensor2D;
}

export function gemm(call: OpCall): Value[] {
  const { node } = call;
  let a = asMatrix(need(call, 0));
  if (attrNumber(node, 'transA', 0) === 1) a = tf.transpose(a);
  const b = operand(call, 1, 'gemmB', attrNumber(node, 'transB', 0) === 1) as tf.Tensor2D;
  const alpha = attrNumber(node, 'alpha', 1);
  const beta = attrNumber(node, 'beta', 1);
  let y: tf.Tensor = tf.matMul(a, b);
  if (alpha !== 1) y = tf.mul(y, alpha);
  if (node.inputs[2] && beta !== 0) {
    const c = operand(call, 2, 'gemmC', false);
    y = tf.add(y, beta === 1 ? c : tf.mul(c, beta));
  }
  return [tensorValue(y)];
}

export function matMul(call: OpCall): Value[] {
  const a = asMatrix(need(call, 0));
  const b = operand(call, 1, 'matmulB', false);
  return [tensorValue(tf.matMul(a, b as tf.Tensor2D))];
}
