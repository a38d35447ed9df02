/**
 * ONNX Conv (2-D, any groups, dilations, pads, strides) as TensorFlow.js convolutions on NHWC tensors. The
 * OIHW weights are converted once per node and kept: HWIO for a dense conv, [kh,kw,Cin,multiplier] for a
 * depthwise one (group = Cin), one HWIO filter per group otherwise. In inference mode a following Relu/Relu6 is
 * fused into the kernel (the same fused kernels the layers-model path uses).
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../../errors.js';
import type { HostTensor } from '../host-tensor.js';
import { attrInts, attrNumber, attrString, type OnnxNode } from '../onnx-graph.js';
import { nhwc, tensorValue, type Value } from '../onnx-value.js';
import { padSpatial, tfPadding, type Window2d } from '../spatial-padding.js';
import { need, type OpCall, type OpEnv } from './op-types.js';

interface ConvWeights {
  readonly kind: 'dense' | 'depthwise' | 'grouped';
  readonly filters: tf.Tensor4D[];
  readonly bias?: tf.Tensor1D;
  readonly groups: number;
}

function constantOf(env: OpEnv, node: OnnxNode, i: number, what: string): HostTensor {
  const c = env.graph.constants.get(node.inputs[i]);
  if (!c) throw new MetacamError('E_MODEL_UNSUPPORTED', `Conv node '${node.name}': its ${what} '${node.inputs[i]}' is computed at run time; metacam supports constant weights only`);
  return c;
}

function convWeights(env: OpEnv, node: OnnxNode): ConvWeights {
  const w = constantOf(env, node, 1, 'weight');
  if (w.dims.length !== 4) throw new MetacamError('E_MODEL_UNSUPPORTED', `Conv node '${node.name}' has a ${w.dims.length - 2}-D kernel; metacam supports 2-D convolutions`);
  const [cout, cinPerGroup] = w.dims;
  const groups = attrNumber(node, 'group', 1);
  const cin = cinPerGroup * groups;
  const key = (s: string): string => `conv:${node.name}:${s}`;
  const bias = node.inputs[2] ? (env.cached(key('b'), () => tf.tensor1d(constantOf(env, node, 2, 'bias').data as Float32Array)) as tf.Tensor1D) : undefined;
  const oihw = (): tf.Tensor4D => tf.tensor4d(w.data as Float32Array, w.dims as [number, number, number, number]);
  if (groups === 1) {
    return { kind: 'dense', groups, bias, filters: [env.cached(key('w'), () => tf.tidy(() => tf.transpose(oihw(), [2, 3, 1, 0]))) as tf.Tensor4D] };
  }
  if (groups === cin && cinPerGroup === 1) {
    const mult = cout / cin;
    const f = env.cached(key('w'), () => tf.tidy(() => tf.transpose(tf.reshape(oihw(), [cin, mult, w.dims[2], w.dims[3]]), [2, 3, 0, 1])));
    return { kind: 'depthwise', groups, bias, filters: [f as tf.Tensor4D] };
  }
  const per = cout / groups;
  const filters = Array.from({ length: groups }, (_, g) =>
    env.cached(key(`w${g}`), () => tf.tidy(() => tf.transpose(tf.slice(oihw(), [g * per, 0, 0, 0], [per, -1, -1, -1]), [2, 3, 1, 0]))) as tf.Tensor4D);
  return { kind: 'grouped', groups, bias, filters };
}

export function windowOf(node: OnnxNode, kernel: readonly number[]): Window2d {
  const strides = attrInts(node, 'strides') ?? [1, 1];
  const dilations = attrInts(node, 'dilations') ?? [1, 1];
  const pads = attrInts(node, 'pads') ?? [0, 0, 0, 0];
  if (kernel.length !== 2 || strides.length !== 2 || dilations.length !== 2 || pads.length !== 4) {
    throw new MetacamError('E_MODEL_UNSUPPORTED', `${node.op} node '${node.name}' is not 2-D (kernel [${kernel.join(',')}]); metacam supports 2-D image models`);
  }
  return { kernel: [kernel[0], kernel[1]], strides: [strides[0], strides[1]], dilations: [dilations[0], dilations[1]], pads: [pads[0], pads[1], pads[2], pads[3]] };
}

/** Resolves auto_pad (NOTSET, VALID, SAME_UPPER; SAME_LOWER differs from tfjs and is refused). */
export function autoPadMode(node: OnnxNode): 'explicit' | 'valid' | 'same' {
  const a = attrString(node, 'auto_pad', 'NOTSET');
  if (a === 'NOTSET') return 'explicit';
  if (a === 'VALID') return 'valid';
  if (a === 'SAME_UPPER') return 'same';
  throw new MetacamError('E_MODEL_UNSUPPORTED', `${node.op} node '${node.name}' uses auto_pad=${a}; supported: NOTSET (explicit pads), VALID, SAME_UPPER`);
}

export function conv(call: OpCall): Value[] {
  const { node, env } = call;
  const x0 = nhwc(need(call, 0), `Conv node '${node.name}'`);
  const wt = convWeights(env, node);
  const [kh, kw] = wt.filters[0].shape;
  const win = windowOf(node, attrInts(node, 'kernel_shape') ?? [kh, kw]);
  const auto = autoPadMode(node);
  let x = x0;
  let pad: 'valid' | 'same' = auto === 'explicit' ? 'valid' : auto;
  if (auto === 'explicit') {
    const p = tfPadding(win, x0.shape[1], x0.shape[2]);
    pad = p.mode;
    if (p.explicit) x = padSpatial(x0, p.explicit);
  }
  const strides = win.strides as [number, number];
  const dilations = win.dilations as [number, number];
  if ((strides[0] > 1 || strides[1] > 1) && (dilations[0] > 1 || dilations[1] > 1)) {
    throw new MetacamError('E_MODEL_UNSUPPORTED', `Conv node '${node.name}' has both strides and dilations > 1, which TensorFlow.js convolutions do not support`);
  }
  if (call.fuse && wt.kind !== 'grouped') {
    const args = { x, filter: wt.filters[0], strides, pad, dilations, bias: wt.bias, activation: call.fuse };
    return [tensorValue(wt.kind === 'dense' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args), true)];
  }
  let y: tf.Tensor4D;
  if (wt.kind === 'dense') y = tf.conv2d(x, wt.filters[0], strides, pad, 'NHWC', dilations);
  else if (wt.kind === 'depthwise') y = tf.depthwiseConv2d(x, wt.filters[0], strides, pad, 'NHWC', dilations);
  else {
    const parts = tf.split(x, wt.groups, 3);
    y = tf.concat(parts.map((p, g) => tf.conv2d(p as tf.Tensor4D, wt.filters[g], strides, pad, 'NHWC', dilations)), 3);
  }
  if (wt.bias) y = tf.add(y, wt.bias);
  if (call.fuse === 'relu') y = tf.relu(y);
  else if (call.fuse === 'relu6') y = tf.relu6(y);
  return [tensorValue(y, true)];
}
