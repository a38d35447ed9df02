/**
 * The layout and shape ONNX ops: Shape, Gather, Unsqueeze, Squeeze, Concat, Reshape, Flatten, Transpose, Pad,
 * Cast, Slice, ReduceMean. When every input is a host value (the shape arithmetic torch.onnx.export emits for
 * `x.view(x.size(0), -1)`) the op runs on small tensors and is read straight back, so later ops see constants.
 * An NHWC image tensor is turned back to NCHW order only where the op depends on the axis order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetacamError } from '../../../../errors.js';
import { elementCount, type HostTensor } from '../host-tensor.js';
import { attrInts, attrNumber, attrString } from '../onnx-graph.js';
import { hostNumbers, hostValue, nhwc, onnxShape, plain, tensorValue, type Value } from '../onnx-value.js';
import { need, type OpCall, type OpFn } from './op-types.js';

function hostFromTensor(t: tf.Tensor): HostTensor {
  const data = t.dataSync();
  return t.dtype === 'float32'
    ? { dims: [...t.shape], dtype: 'float32', data: Float32Array.from(data) }
    : { dims: [...t.shape], dtype: 'int32', data: Int32Array.from(data) };
}

/** Runs `f` on plain tensors; when all present inputs are host values the result is read back as a host value. */
function foldable(f: (call: OpCall, xs: (tf.Tensor | undefined)[]) => tf.Tensor): OpFn {
  return (call) => {
    const present = call.inputs.filter((v): v is Value => v !== undefined);
    if (present.length > 0 && present.every((v) => v.kind === 'host')) {
      const t = tf.tidy(() => f(call, call.inputs.map((v) => (v ? plain(v) : undefined))));
      try {
        return [hostValue(hostFromTensor(t))];
      } finally {
        t.dispose();
      }
    }
    return [tensorValue(f(call, call.inputs.map((v) => (v ? plain(v) : undefined))))];
  };
}

const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** Axes from the `axes` attribute (older opsets) or input 1 (newer). */
function axesOf(call: OpCall, inputIndex: number): number[] | undefined {
  const attr = attrInts(call.node, 'axes');
  if (attr) return [...attr];
  const v = call.inputs[inputIndex];
  return v ? hostNumbers(v, `${call.node.op} node '${call.node.name}' axes`) : undefined;
}

export function shape(call: OpCall): Value[] {
  const dims = onnxShape(need(call, 0));
  const r = dims.length;
  const start = norm(attrNumber(call.node, 'start', 0), r);
  const endRaw = call.node.attrs.get('end');
  const end = typeof endRaw === 'number' ? norm(endRaw, r) : r;
  const out = dims.slice(Math.max(0, start), Math.min(r, end));
  return [hostValue({ dims: [out.length], dtype: 'int32', data: Int32Array.from(out) })];
}

export const gather = foldable((call, [x, idx]) => {
  const axis = norm(attrNumber(call.node, 'axis', 0), x!.rank);
  const n = x!.shape[axis];
  const fixed = tf.tidy(() => {
    const i = tf.cast(idx!, 'int32');
    return tf.where(tf.less(i, tf.scalar(0, 'int32')), tf.add(i, tf.scalar(n, 'int32')), i);
  });
  return tf.gather(x!, fixed, axis);
});

export const unsqueeze = foldable((call, [x]) => {
  const axes = axesOf(call, 1);
  if (!axes) throw new MetacamError('E_MODEL_INVALID', `Unsqueeze node '${call.node.name}' has no axes`);
  const r = x!.rank + axes.length;
  const at = new Set(axes.map((a) => norm(a, r)));
  const dims: number[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) dims.push(at.has(i) ? 1 : x!.shape[k++]);
  return tf.reshape(x!, dims);
});

export const squeeze = foldable((call, [x]) => {
  const axes = axesOf(call, 1)?.map((a) => norm(a, x!.rank));
  return tf.reshape(x!, x!.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
});

export function concat(call: OpCall): Value[] {
  const vs = call.inputs.filter((v): v is Value => v !== undefined);
  const rank = onnxShape(vs[0]).length;
  const axis = norm(attrNumber(call.node, 'axis', 0), rank);
  if (rank === 4 && axis === 1 && vs.some((v) => v.kind === 'tensor' && v.nhwc)) {
    return [tensorValue(tf.concat(vs.map((v) => nhwc(v, `Concat node '${call.node.name}'`)), 3), true)];
  }
  return foldable((_c, xs) => {
    const ts = xs as tf.Tensor[];
    const float = ts.some((t) => t.dtype === 'float32');
    return tf.concat(float ? ts.map((t) => tf.cast(t, 'float32')) : ts, axis);
  })({ ...call, inputs: vs });
}

export const reshape = foldable((call, [x]) => {
  const target = hostNumbers(call.inputs[1], `Reshape node '${call.node.name}' shape`);
  const allowZero = attrNumber(call.node, 'allowzero', 0) === 1;
  const dims = target.map((d, i) => (d === 0 && !allowZero ? x!.shape[i] : d));
  return tf.reshape(x!, dims);
});

export function flatten(call: OpCall): Value[] {
  const v = need(call, 0);
  const dims = onnxShape(v);
  const axis = norm(attrNumber(call.node, 'axis', 1), dims.length);
  const outer = elementCount(dims.slice(0, axis));
  // [N,1,1,C] in NHWC has the same element order as NCHW: no transpose needed.
  if (v.kind === 'tensor' && v.nhwc && axis === 1 && v.t.shape[1] === 1 && v.t.shape[2] === 1) return [tensorValue(tf.reshape(v.t, [outer, -1]))];
  return foldable((_c, [x]) => tf.reshape(x!, [outer, elementCount(dims.slice(axis))]))(call);
}

export function transpose(call: OpCall): Value[] {
  const v = need(call, 0);
  const rank = onnxShape(v).length;
  const perm = attrInts(call.node, 'perm') ?? [...Array(rank).keys()].reverse();
  // NCHW → NHWC of a tensor already held as NHWC: it is that tensor.
  if (v.kind === 'tensor' && v.nhwc && perm.join() === '0,2,3,1') return [tensorValue(v.t)];
  return foldable((_c, [x]) => tf.transpose(x!, [...perm]))(call);
}

export function pad(call: OpCall): Value[] {
  const { node } = call;
  const x = need(call, 0);
  const pads = call.env.graph.opset >= 11 ? hostNumbers(call.inputs[1], `Pad node '${node.name}' pads`) : [...(attrInts(node, 'pads') ?? [])];
  const value = call.env.graph.opset >= 11 ? (call.inputs[2] ? hostNumbers(call.inputs[2], `Pad node '${node.name}' value`)[0] : 0) : attrNumber(node, 'value', 0);
  const mode = attrString(node, 'mode', 'constant');
  const r = onnxShape(x).length;
  if (pads.length !== 2 * r || pads.some((p) => p < 0)) throw new MetacamError('E_MODEL_UNSUPPORTED', `Pad node '${node.name}' has pads [${pads.join(',')}]; supported: non-negative pads for every axis`);
  if (mode !== 'constant' && mode !== 'reflect') throw new MetacamError('E_MODEL_UNSUPPORTED', `Pad node '${node.name}' uses mode '${mode}'; supported: constant, reflect`);
  const onnxPairs = Array.from({ length: r }, (_, i) => [pads[i], pads[i + r]] as [number, number]);
  const isNhwc = x.kind === 'tensor' && x.nhwc;
  const pairs = isNhwc ? [0, 2, 3, 1].map((i) => onnxPairs[i]) : onnxPairs;
  const t = isNhwc ? (x as { t: tf.Tensor }).t : plain(x);
  const y = mode === 'reflect' ? tf.mirrorPad(t, pairs, 'reflect') : tf.pad(t, pairs, value);
  return [tensorValue(y, isNhwc)];
}

export const cast = foldable((call, [x]) => {
  const to = attrNumber(call.node, 'to', 1);
  if (to === 1 || to === 11) return tf.cast(x!, 'float32');
  if (to === 6 || to === 7 || to === 2 || to === 3 || to === 9) return tf.cast(x!, 'int32');
  throw new MetacamError('E_MODEL_UNSUPPORTED', `Cast node '${call.node.name}' casts to ONNX type ${to}; supported: float, double, integers, bool`);
});

export const slice = foldable((call, [x]) => {
  const starts = hostNumbers(call.inputs[1], `Slice node '${call.node.name}' starts`);
  const ends = hostNumbers(call.inputs[2], `Slice node '${call.node.name}' ends`);
  const axes = call.inputs[3] ? hostNumbers(call.inputs[3], 'Slice axes') : starts.map((_, i) => i);
  const steps = call.inputs[4] ? hostNumbers(call.inputs[4], 'Slice steps') : starts.map(() => 1);
  const r = x!.rank;
  const begin = new Array<number>(r).fill(0);
  const end = [...x!.shape];
  const stride = new Array<number>(r).fill(1);
  axes.forEach((a0, i) => {
    const a = norm(a0, r);
    const n = x!.shape[a];
    const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v < 0 ? v + n : v));
    stride[a] = steps[i];
    if (steps[i] > 0) {
      begin[a] = clamp(starts[i], 0, n);
      end[a] = clamp(ends[i], 0, n);
    } else {
      begin[a] = clamp(starts[i], -1, n - 1);
      end[a] = clamp(ends[i], -1, n - 1);
    }
  });
  return tf.stridedSlice(x!, begin, end, stride);
});

/** ReduceMean: spatial means of an NHWC map stay on the NHWC tensor (global pooling written as a mean). */
export function reduceMean(call: OpCall): Value[] {
  const v = need(call, 0);
  const rank = onnxShape(v).length;
  const keep = attrNumber(call.node, 'keepdims', 1) === 1;
  const axes = (axesOf(call, 1) ?? [...Array(rank).keys()]).map((a) => norm(a, rank));
  if (v.kind === 'tensor' && v.nhwc) {
    const toNhwc = [0, 3, 1, 2]; // ONNX axis → NHWC axis
    const mapped = axes.map((a) => toNhwc[a]);
    if (keep) return [tensorValue(tf.mean(v.t, mapped, true), true)];
    if (axes.includes(2) && axes.includes(3)) return [tensorValue(tf.mean(v.t, mapped, false))];
  }
  return foldable((_c, [x]) => tf.mean(x!, axes, keep))(call);
}
