/**
 * Element-wise ONNX ops: activations (Relu, Clip, Sigmoid, HardSigmoid, HardSwish, LeakyRelu, Tanh), the
 * broadcasting arithmetic (Add, Sub, Mul, Div — on host values for shape arithmetic, on tensors otherwise, with
 * an NHWC operand's partner re-laid-out to match), an un-folded BatchNormalization, Softmax, and the identities
 * (Identity, Dropout at inference).
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../../errors.js';
import { elementCount, hostTensor, type HostTensor } from '../host-tensor.js';
import { attrNumber } from '../onnx-graph.js';
import { alignToNhwc, hostScalar, hostValue, plain, tensorValue, type Value } from '../onnx-value.js';
import { need, type OpCall, type OpFn } from './op-types.js';

function unary(f: (x: tf.Tensor, call: OpCall) => tf.Tensor): OpFn {
  return (call) => {
    const v = need(call, 0);
    if (v.kind === 'host') return [tensorValue(f(plain(v), call))];
    return [tensorValue(f(v.t, call), v.nhwc)];
  };
}

export const relu = unary((x) => tf.relu(x));
export const sigmoid = unary((x) => tf.sigmoid(x));
export const tanh = unary((x) => tf.tanh(x));
export const leakyRelu = unary((x, c) => tf.leakyRelu(x, attrNumber(c.node, 'alpha', 0.01)));
/** max(0, min(1, αx + β)). */
export const hardSigmoid = unary((x, c) => tf.clipByValue(tf.add(tf.mul(x, attrNumber(c.node, 'alpha', 0.2)), attrNumber(c.node, 'beta', 0.5)), 0, 1));
/** x · max(0, min(1, x/6 + 1/2)) = x · relu6(x + 3)/6. */
export const hardSwish = unary((x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)));

/** Clip: bounds from inputs 1 and 2 (opset ≥ 11) or attributes (older). [0, 6] is relu6. */
export const clip = unary((x, c) => {
  const lo = c.env.graph.opset >= 11 ? hostScalar(c.inputs[1], `Clip node '${c.node.name}' min`) : (c.node.attrs.get('min') as number | undefined);
  const hi = c.env.graph.opset >= 11 ? hostScalar(c.inputs[2], `Clip node '${c.node.name}' max`) : (c.node.attrs.get('max') as number | undefined);
  if (lo === 0 && hi === 6) return tf.relu6(x);
  if (lo === 0 && hi === undefined) return tf.relu(x);
  let y = x;
  if (lo !== undefined) y = tf.maximum(y, lo);
  if (hi !== undefined) y = tf.minimum(y, hi);
  return y;
});

export function identity(call: OpCall): Value[] {
  return [need(call, 0)];
}

/** Dropout at inference: the input (a requested mask output is refused). */
export function dropout(call: OpCall): Value[] {
  if (call.node.outputs[1]) throw new MetacamError('E_MODEL_UNSUPPORTED', `Dropout node '${call.node.name}' exposes its mask, which metacam does not support`);
  return [need(call, 0)];
}

type Arith = 'add' | 'sub' | 'mul' | 'div';
const TF_ARITH: Record<Arith, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div };
const JS_ARITH: Record<Arith, (a: number, b: number) => number> = { add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b };

/** Host arithmetic for equal shapes or a scalar partner (what shape computations use); else undefined. */
function hostArith(op: Arith, a: HostTensor, b: HostTensor): HostTensor | undefined {
  const na = elementCount(a.dims), nb = elementCount(b.dims);
  const same = a.dims.length === b.dims.length && a.dims.every((d, i) => d === b.dims[i]);
  if (!same && na !== 1 && nb !== 1) return undefined;
  const dims = na >= nb ? a.dims : b.dims;
  const n = Math.max(na, nb);
  const f = JS_ARITH[op];
  const out = Array.from({ length: n }, (_, i) => f(a.data[na === 1 ? 0 : i], b.data[nb === 1 ? 0 : i]));
  const isInt = a.dtype === 'int32' && b.dtype === 'int32';
  return hostTensor(dims, isInt ? 'int32' : 'float32', isInt && op === 'div' ? out.map(Math.trunc) : out);
}

function asFloat(t: tf.Tensor): tf.Tensor {
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}

function arithmetic(op: Arith): OpFn {
  return (call) => {
    const a = need(call, 0), b = need(call, 1);
    if (a.kind === 'host' && b.kind === 'host') {
      const h = hostArith(op, a.h, b.h);
      if (h) return [hostValue(h)];
    }
    const f = TF_ARITH[op];
    const isNhwc = (v: Value): boolean => v.kind === 'tensor' && v.nhwc;
    if (isNhwc(a) || isNhwc(b)) return [tensorValue(f(asFloat(alignToNhwc(a)), asFloat(alignToNhwc(b))), true)];
    const ta = plain(a), tb = plain(b);
    return [tensorValue(ta.dtype === tb.dtype ? f(ta, tb) : f(asFloat(ta), asFloat(tb)))];
  };
}

export const add = arithmetic('add');
export const sub = arithmetic('sub');
export const mul = arithmetic('mul');
export const div = arithmetic('div');

/** A BatchNormalization that could not be folded into a Conv: y = (x − μ)·γ/√(σ²+ε) + β over the channel axis. */
export function batchNormalization(call: OpCall): Value[] {
  const { node, env } = call;
  const x = need(call, 0);
  const params = node.inputs.slice(1, 5).map((n) => env.graph.constants.get(n));
  if (params.some((p) => !p)) throw new MetacamError('E_MODEL_UNSUPPORTED', `BatchNormalization node '${node.name}' has non-constant parameters (training mode is not supported)`);
  const [g, b, m, v] = params as HostTensor[];
  const eps = attrNumber(node, 'epsilon', 1e-5);
  const c = g.dims[0];
  const scale = new Float32Array(c), shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = g.data[i] / Math.sqrt(v.data[i] + eps);
    shift[i] = b.data[i] - m.data[i] * scale[i];
  }
  const s = env.cached(`bn:${node.name}:s`, () => tf.tensor1d(scale));
  const t = env.cached(`bn:${node.name}:t`, () => tf.tensor1d(shift));
  if (x.kind === 'tensor' && x.nhwc) return [tensorValue(tf.add(tf.mul(x.t, s), t), true)];
  const p = plain(x);
  if (p.rank !== 2) throw new MetacamError('E_MODEL_UNSUPPORTED', `BatchNormalization node '${node.name}' on a rank-${p.rank} tensor; supported: image maps and [N,C]`);
  return [tensorValue(tf.add(tf.mul(p, s), t))];
}

/** Softmax along `axis` (opset ≥ 13: default −1; older: the flattened trailing axes, equal for [N,C]). */
export function softmax(call: OpCall): Value[] {
  const x = plain(need(call, 0));
  const axis = attrNumber(call.node, 'axis', call.env.graph.opset >= 13 ? -1 : 1);
  const ax = axis < 0 ? axis + x.rank : axis;
  if (ax === x.rank - 1) return [tensorValue(tf.softmax(x))];
  const perm = [...Array(x.rank).keys()];
  perm[ax] = x.rank - 1;
  perm[x.rank - 1] = ax;
  return [tensorValue(tf.transpose(tf.softmax(tf.transpose(x, perm)), perm))];
}
