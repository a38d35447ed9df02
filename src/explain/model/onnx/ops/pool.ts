/**
 * ONNX MaxPool / AveragePool (pads, strides, ceil_mode, count_include_pad) and the global pools on NHWC tensors.
 * Pads tfjs cannot express with 'valid'/'same' are applied by hand: −∞ for max; for average, the window sum
 * is divided by the pooled count of cells that count (pads when count_include_pad = 1, never ceil_mode's extra
 * cells — PyTorch's rule), which is exact for every combination.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../../errors.js';
import { attrInts, attrNumber } from '../onnx-graph.js';
import { nhwc, tensorValue, type Value } from '../onnx-value.js';
import { ceilExtra, padSpatial, tfPadding } from '../spatial-padding.js';
import { autoPadMode, windowOf } from './conv.js';
import { need, type OpCall } from './op-types.js';

function pool(call: OpCall, kind: 'max' | 'avg'): Value[] {
  const { node } = call;
  if (call.node.outputs.length > 1 && call.node.outputs[1]) {
    throw new MetacamError('E_MODEL_UNSUPPORTED', `MaxPool node '${node.name}' also outputs its indices, which metacam does not support`);
  }
  const x = nhwc(need(call, 0), `${node.op} node '${node.name}'`);
  const kernel = attrInts(node, 'kernel_shape');
  if (!kernel) throw new MetacamError('E_MODEL_INVALID', `${node.op} node '${node.name}' has no kernel_shape`);
  const win = windowOf(node, kernel);
  if (win.dilations[0] !== 1 || win.dilations[1] !== 1) throw new MetacamError('E_MODEL_UNSUPPORTED', `${node.op} node '${node.name}' has dilations; metacam supports undilated pools`);
  const [kh, kw] = win.kernel;
  const strides = win.strides as [number, number];
  const run = (t: tf.Tensor4D, pad: 'valid' | 'same'): tf.Tensor4D => (kind === 'max' ? tf.maxPool(t, [kh, kw], strides, pad) : tf.avgPool(t, [kh, kw], strides, pad));
  const auto = autoPadMode(node);
  if (auto !== 'explicit') return [tensorValue(run(x, auto), true)];
  const [, h, w] = x.shape;
  const [t, l, b, r] = win.pads;
  const ceil = attrNumber(node, 'ceil_mode', 0) === 1;
  const eb = ceil ? ceilExtra(h, kh, strides[0], t, b) : 0;
  const er = ceil ? ceilExtra(w, kw, strides[1], l, r) : 0;
  const includePad = attrNumber(node, 'count_include_pad', 0) === 1;
  if (eb === 0 && er === 0) {
    const p = tfPadding(win, h, w);
    // tfjs 'same' ignores padded cells: right for max, and for average when pads are not counted.
    if (!p.explicit && (p.mode === 'valid' || kind === 'max' || !includePad)) return [tensorValue(run(x, p.mode), true)];
  }
  const all: [number, number, number, number] = [t, l, b + eb, r + er];
  if (kind === 'max') return [tensorValue(run(padSpatial(x, all, -Infinity), 'valid'), true)];
  const sums = run(padSpatial(x, all, 0), 'valid');
  const ones = tf.ones([1, h, w, 1]) as tf.Tensor4D;
  const counted = padSpatial(padSpatial(ones, [t, l, b, r], includePad ? 1 : 0), [0, 0, eb, er], 0);
  return [tensorValue(tf.div(sums, run(counted, 'valid')), true)];
}

export const maxPool = (call: OpCall): Value[] => pool(call, 'max');
export const averagePool = (call: OpCall): Value[] => pool(call, 'avg');

export function globalAveragePool(call: OpCall): Value[] {
  return [tensorValue(tf.mean(nhwc(need(call, 0), `GlobalAveragePool node '${call.node.name}'`), [1, 2], true), true)];
}

export function globalMaxPool(call: OpCall): Value[] {
  return [tensorValue(tf.max(nhwc(need(call, 0), `GlobalMaxPool node '${call.node.name}'`), [1, 2], true), true)];
}
