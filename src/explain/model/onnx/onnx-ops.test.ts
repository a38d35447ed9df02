/**
 * Each ONNX operator against a plain-JS implementation of the ONNX spec on NCHW arrays (hand-checkable loops, no
 * tfjs): one-node (or few-node) graphs written with onnx-proto, run through the executor on the cpu backend,
 * in the gradient mode and the fused inference mode. Covers what the two conformance exports do not: strided,
 * asymmetric, dilated, depthwise-multiplier and grouped convolutions, ceil_mode and count_include_pad pools,
 * Gemm's flags, the Shape→Gather→Unsqueeze→Concat→Reshape flatten, Transpose, Pad, the activations, Softmax.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxGraph } from './onnx-graph.js';
import { OnnxExecutor } from './onnx-executor.js';
import { createOnnxRuntime } from './onnx-runtime.js';
import { NCHW_TO_NHWC, plain, tensorValue } from './onnx-value.js';
import { decodeOnnx } from './read-onnx.js';
import { SUPPORTED_ONNX_OPS } from './ops/index.js';

const { onnx } = onnxProto;
type Attr = { name: string; i?: number; f?: number; ints?: number[]; s?: string };
const I = (name: string, i: number): Attr => ({ name, i });
const F = (name: string, f: number): Attr => ({ name, f });
const INTS = (name: string, ints: number[]): Attr => ({ name, ints });
const S = (name: string, s: string): Attr => ({ name, s });

interface NodeSpec { op: string; inputs: string[]; outputs: string[]; attrs?: Attr[] }
interface Init { dims: number[]; data: number[]; int?: boolean }

function attrProto(a: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (a.i !== undefined) return { name: a.name, type: T.INT, i: a.i };
  if (a.f !== undefined) return { name: a.name, type: T.FLOAT, f: a.f };
  if (a.ints !== undefined) return { name: a.name, type: T.INTS, ints: a.ints };
  return { name: a.name, type: T.STRING, s: Buffer.from(a.s ?? '') };
}

/** Encodes a model with onnx-proto and reads it back as the loader does. */
function graphOf(nodes: NodeSpec[], inits: Record<string, Init>, inputDims: number[], output: string) {
  const bytes = onnx.ModelProto.encode({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: nodes.map((n, k) => ({ opType: n.op, name: `n${k}`, input: n.inputs, output: n.outputs, attribute: (n.attrs ?? []).map(attrProto) })),
      initializer: Object.entries(inits).map(([name, t]) => (t.int ? { name, dims: t.dims, dataType: 7, int64Data: t.data } : { name, dims: t.dims, dataType: 1, floatData: t.data })),
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: inputDims.map((d) => ({ dimValue: d })) } } } }],
      output: [{ name: output, type: { tensorType: { elemType: 1 } } }],
    },
  }).finish();
  return buildOnnxGraph(decodeOnnx(bytes, 'test'), 'test model');
}

/** Runs the graph on NCHW data x (fed as NHWC, as frames are); returns the output in ONNX layout. */
function run(nodes: NodeSpec[], inits: Record<string, Init>, dims: number[], x: Float32Array, fuse = false): { shape: number[]; data: Float32Array } {
  const g = graphOf(nodes, inits, dims, nodes[nodes.length - 1].outputs[0]);
  const exec = new OnnxExecutor(g, 'test');
  try {
    return tf.tidy(() => {
      const t = tf.tensor(x, dims);
      const feed = dims.length === 4 ? tensorValue(tf.transpose(t, NCHW_TO_NHWC), true) : tensorValue(t);
      const out = exec.run({ feeds: new Map([['x', feed]]), outputs: [g.outputName], fuse }).get(g.outputName)!;
      const p = plain(out);
      return { shape: [...p.shape], data: p.dataSync() as Float32Array };
    });
  } finally {
    exec.dispose();
  }
}

const seq = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 1.5);

/** ONNX Conv on NCHW arrays. pads [t, l, b, r]. */
function refConv(x: number[], [n, c, h, w]: number[], wt: number[], [m, cg, kh, kw]: number[], b: number[] | null, s: number[], p: number[], d: number[], group: number) {
  const oh = Math.floor((h + p[0] + p[2] - ((kh - 1) * d[0] + 1)) / s[0]) + 1;
  const ow = Math.floor((w + p[1] + p[3] - ((kw - 1) * d[1] + 1)) / s[1]) + 1;
  const out: number[] = [];
  const mg = m / group;
  for (let bi = 0; bi < n; bi++) for (let o = 0; o < m; o++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    let acc = b ? b[o] : 0;
    const gi = Math.floor(o / mg);
    for (let ci = 0; ci < cg; ci++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const iy = y * s[0] - p[0] + ky * d[0], ix = xx * s[1] - p[1] + kx * d[1];
      if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
      acc += x[((bi * c + gi * cg + ci) * h + iy) * w + ix] * wt[((o * cg + ci) * kh + ky) * kw + kx];
    }
    out.push(acc);
  }
  return { shape: [n, m, oh, ow], data: out };
}

/** ONNX MaxPool / AveragePool with ceil_mode and count_include_pad (PyTorch's divisor rule). */
function refPool(kind: 'max' | 'avg', x: number[], [n, c, h, w]: number[], k: number[], s: number[], p: number[], ceil: boolean, includePad: boolean) {
  const size = (len: number, kk: number, ss: number, pb: number, pe: number): number => {
    let o = (ceil ? Math.ceil : Math.floor)((len + pb + pe - kk) / ss) + 1;
    if (ceil && (o - 1) * ss >= len + pb) o--;
    return o;
  };
  const oh = size(h, k[0], s[0], p[0], p[2]), ow = size(w, k[1], s[1], p[1], p[3]);
  const out: number[] = [];
  for (let bi = 0; bi < n; bi++) for (let ci = 0; ci < c; ci++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    const y0 = y * s[0] - p[0], x0 = xx * s[1] - p[1];
    let best = -Infinity, sum = 0, real = 0, padded = 0;
    for (let iy = y0; iy < y0 + k[0]; iy++) for (let ix = x0; ix < x0 + k[1]; ix++) {
      if (iy < h + p[2] && ix < w + p[3]) padded++;
      if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
      const v = x[((bi * c + ci) * h + iy) * w + ix];
      best = Math.max(best, v);
      sum += v;
      real++;
    }
    out.push(kind === 'max' ? best : sum / (includePad ? padded : real));
  }
  return { shape: [n, c, oh, ow], data: out };
}

function close(got: { shape: number[]; data: ArrayLike<number> }, want: { shape: number[]; data: ArrayLike<number> }, tol = 1e-4): void {
  expect(got.shape).toEqual(want.shape);
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want.data[i]));
  expect(worst).toBeLessThan(tol);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Conv', () => {
  it.each([
    ['3×3 stride 2, pads 1 (odd input)', [1, 3, 7, 7], [4, 3, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 1],
    ['3×3 stride 2, pads 1 (even input: not tfjs same)', [2, 3, 8, 8], [4, 3, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 1],
    ['asymmetric pads, dilation 2', [1, 2, 9, 8], [3, 2, 3, 3], [1, 1], [0, 1, 2, 0], [2, 2], 1],
    ['depthwise, multiplier 2, stride 2', [1, 4, 8, 8], [8, 1, 3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 4],
    ['grouped (2 groups)', [1, 4, 6, 6], [6, 2, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1], 2],
    ['1×1 pointwise', [1, 5, 4, 4], [3, 5, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1], 1],
  ])('%s', (_name, xd, wd, s, p, d, group) => {
    const x = seq(xd.reduce((a, b) => a * b), 1), w = seq(wd.reduce((a, b) => a * b), 2), b = seq(wd[0], 3);
    const want = refConv(x, xd, w, wd, b, s, p, d, group);
    const attrs = [INTS('strides', s), INTS('pads', p), INTS('dilations', d), I('group', group), INTS('kernel_shape', wd.slice(2))];
    const nodes = [{ op: 'Conv', inputs: ['x', 'W', 'B'], outputs: ['y'], attrs }];
    const inits = { W: { dims: wd, data: w }, B: { dims: [wd[0]], data: b } };
    close(run(nodes, inits, xd, Float32Array.from(x)), want);
    // fused with the following activation in inference mode: Relu and Clip(0, 6)
    const relu = want.data.map((v) => Math.max(v, 0));
    close(run([...nodes, { op: 'Relu', inputs: ['y'], outputs: ['z'] }], inits, xd, Float32Array.from(x), true), { shape: want.shape, data: relu });
    const relu6 = want.data.map((v) => Math.min(Math.max(v, 0), 6));
    const clip = { op: 'Clip', inputs: ['y', 'lo', 'hi'], outputs: ['z'] };
    close(run([...nodes, clip], { ...inits, lo: { dims: [], data: [0] }, hi: { dims: [], data: [6] } }, xd, Float32Array.from(x), true), { shape: want.shape, data: relu6 });
  });

  it('a BatchNormalization after a Conv is folded into it and computes the same', () => {
    const xd = [1, 2, 5, 5], wd = [3, 2, 3, 3];
    const x = seq(50, 4), w = seq(54, 5);
    const [gamma, beta, mean, varc] = [[1.5, 0.5, 2], [0.1, -0.2, 0.3], [0.2, -0.1, 0.05], [0.5, 2, 1]];
    const conv = refConv(x, xd, w, wd, null, [1, 1], [1, 1, 1, 1], [1, 1], 1);
    const per = 25;
    const want = conv.data.map((v, i) => { const o = Math.floor(i / per) % 3; return ((v - mean[o]) / Math.sqrt(varc[o] + 1e-5)) * gamma[o] + beta[o]; });
    const nodes = [
      { op: 'Conv', inputs: ['x', 'W'], outputs: ['c'], attrs: [INTS('pads', [1, 1, 1, 1]), INTS('kernel_shape', [3, 3])] },
      { op: 'BatchNormalization', inputs: ['c', 'g', 'b', 'm', 'v'], outputs: ['y'], attrs: [F('epsilon', 1e-5)] },
    ];
    const inits = { W: { dims: wd, data: w }, g: { dims: [3], data: gamma }, b: { dims: [3], data: beta }, m: { dims: [3], data: mean }, v: { dims: [3], data: varc } };
    const g = graphOf(nodes, inits, xd, 'y');
    expect(g.nodes.map((n) => n.op)).toEqual(['Conv']);
    close(run(nodes, inits, xd, Float32Array.from(x)), { shape: conv.shape, data: want });
  });
});

describe('pools', () => {
  it.each([
    ['MaxPool 3×3 s2 pads 1', 'max', [1, 2, 8, 8], [3, 3], [2, 2], [1, 1, 1, 1], false, false],
    ['MaxPool 2×2 s2 ceil_mode (odd input)', 'max', [1, 2, 7, 7], [2, 2], [2, 2], [0, 0, 0, 0], true, false],
    ['MaxPool 3×3 s2 pads 1 ceil_mode', 'max', [1, 1, 8, 8], [3, 3], [2, 2], [1, 1, 1, 1], true, false],
    ['AveragePool 3×3 s1 pads 1, pads not counted', 'avg', [1, 2, 6, 6], [3, 3], [1, 1], [1, 1, 1, 1], false, false],
    ['AveragePool 3×3 s1 pads 1, pads counted', 'avg', [1, 2, 6, 6], [3, 3], [1, 1], [1, 1, 1, 1], false, true],
    ['AveragePool 3×3 s2 pads 1 ceil_mode, pads counted', 'avg', [1, 1, 8, 8], [3, 3], [2, 2], [1, 1, 1, 1], true, true],
    ['AveragePool 2×2 s2 valid', 'avg', [2, 3, 6, 6], [2, 2], [2, 2], [0, 0, 0, 0], false, false],
  ] as const)('%s', (_name, kind, xd, k, s, p, ceil, includePad) => {
    const x = seq((xd as readonly number[]).reduce((a, b) => a * b, 1), 6);
    const attrs = [INTS('kernel_shape', [...k]), INTS('strides', [...s]), INTS('pads', [...p]), I('ceil_mode', ceil ? 1 : 0)];
    if (kind === 'avg') attrs.push(I('count_include_pad', includePad ? 1 : 0));
    const got = run([{ op: kind === 'max' ? 'MaxPool' : 'AveragePool', inputs: ['x'], outputs: ['y'], attrs }], {}, [...xd], Float32Array.from(x));
    close(got, refPool(kind, x, [...xd], [...k], [...s], [...p], ceil, includePad));
  });

  it('GlobalAveragePool and ReduceMean over H,W agree with the mean', () => {
    const xd = [2, 3, 4, 5];
    const x = seq(120, 7);
    const want = Array.from({ length: 6 }, (_, i) => x.slice(i * 20, i * 20 + 20).reduce((a, b) => a + b) / 20);
    close(run([{ op: 'GlobalAveragePool', inputs: ['x'], outputs: ['y'] }], {}, xd, Float32Array.from(x)), { shape: [2, 3, 1, 1], data: want });
    close(run([{ op: 'ReduceMean', inputs: ['x'], outputs: ['y'], attrs: [INTS('axes', [2, 3]), I('keepdims', 0)] }], {}, xd, Float32Array.from(x)), { shape: [2, 3], data: want });
  });
});

describe('linear, shape and element-wise ops', () => {
  it('Gemm with transB, alpha and beta', () => {
    const a = seq(6, 8), b = seq(12, 9), c = seq(4, 10); // A [2,3], B^T [4,3], C [4]
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) {
      let acc = 0;
      for (let k = 0; k < 3; k++) acc += a[i * 3 + k] * b[j * 3 + k];
      want.push(0.5 * acc + 2 * c[j]);
    }
    const nodes = [{ op: 'Gemm', inputs: ['x', 'B', 'C'], outputs: ['y'], attrs: [I('transB', 1), F('alpha', 0.5), F('beta', 2)] }];
    close(run(nodes, { B: { dims: [4, 3], data: b }, C: { dims: [4], data: c } }, [2, 3], Float32Array.from(a)), { shape: [2, 4], data: want });
  });

  it("x.view(x.size(0), -1): Shape → Gather → Unsqueeze → Concat → Reshape keeps NCHW order", () => {
    const xd = [2, 3, 2, 2];
    const x = seq(24, 11);
    const nodes = [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'zero'], outputs: ['n'], attrs: [I('axis', 0)] },
      { op: 'Unsqueeze', inputs: ['n', 'ax0'], outputs: ['n1'] },
      { op: 'Concat', inputs: ['n1', 'minus1'], outputs: ['shape'], attrs: [I('axis', 0)] },
      { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] },
    ];
    const inits = { zero: { dims: [], data: [0], int: true }, ax0: { dims: [1], data: [0], int: true }, minus1: { dims: [1], data: [-1], int: true } };
    close(run(nodes, inits, xd, Float32Array.from(x)), { shape: [2, 12], data: x });
  });

  it('Transpose, Flatten and Pad (constant, reflect) follow ONNX axis order', () => {
    const xd = [1, 2, 2, 3];
    const x = seq(12, 12);
    const t = run([{ op: 'Transpose', inputs: ['x'], outputs: ['y'], attrs: [INTS('perm', [0, 3, 1, 2])] }], {}, xd, Float32Array.from(x));
    const wantT: number[] = [];
    for (let w = 0; w < 3; w++) for (let c = 0; c < 2; c++) for (let h = 0; h < 2; h++) wantT.push(x[(c * 2 + h) * 3 + w]);
    close(t, { shape: [1, 3, 2, 2], data: wantT });
    close(run([{ op: 'Flatten', inputs: ['x'], outputs: ['y'] }], {}, xd, Float32Array.from(x)), { shape: [1, 12], data: x });
    const padded = run([{ op: 'Pad', inputs: ['x', 'p', 'v'], outputs: ['y'] }], { p: { dims: [8], data: [0, 0, 1, 0, 0, 0, 0, 2], int: true }, v: { dims: [], data: [9] } }, xd, Float32Array.from(x));
    const wantP: number[] = [];
    for (let c = 0; c < 2; c++) for (let h = -1; h < 2; h++) for (let w = 0; w < 5; w++) wantP.push(h < 0 || w >= 3 ? 9 : x[(c * 2 + h) * 3 + w]);
    close(padded, { shape: [1, 2, 3, 5], data: wantP });
    const reflect = run([{ op: 'Pad', inputs: ['x', 'p'], outputs: ['y'], attrs: [S('mode', 'reflect')] }], { p: { dims: [8], data: [0, 0, 0, 1, 0, 0, 0, 1], int: true } }, xd, Float32Array.from(x));
    const wantR: number[] = [];
    const refl = (i: number, n: number): number => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
    for (let c = 0; c < 2; c++) for (let h = 0; h < 2; h++) for (let w = -1; w < 4; w++) wantR.push(x[(c * 2 + h) * 3 + refl(w, 3)]);
    close(reflect, { shape: [1, 2, 2, 5], data: wantR });
  });

  it.each([
    ['Relu', [], (v: number) => Math.max(v, 0)],
    ['Sigmoid', [], (v: number) => 1 / (1 + Math.exp(-v))],
    ['HardSigmoid', [F('alpha', 0.25), F('beta', 0.4)], (v: number) => Math.min(1, Math.max(0, 0.25 * v + 0.4))],
    ['HardSwish', [], (v: number) => v * Math.min(1, Math.max(0, v / 6 + 0.5))],
    ['LeakyRelu', [F('alpha', 0.1)], (v: number) => (v < 0 ? 0.1 * v : v)],
    ['Tanh', [], Math.tanh],
  ] as const)('%s', (op, attrs, f) => {
    const xd = [1, 2, 3, 3];
    const x = seq(18, 13).map((v) => v * 3);
    close(run([{ op, inputs: ['x'], outputs: ['y'], attrs: [...attrs] }], {}, xd, Float32Array.from(x)), { shape: xd, data: x.map(f) });
  });

  it('Add/Mul broadcast a per-channel [C,1,1] constant against an image tensor; Softmax along the last axis', () => {
    const xd = [1, 2, 2, 2];
    const x = seq(8, 14);
    const c = [10, -3];
    const nodes = [
      { op: 'Mul', inputs: ['x', 'c'], outputs: ['m'] },
      { op: 'Add', inputs: ['m', 'c'], outputs: ['y'] },
    ];
    close(run(nodes, { c: { dims: [2, 1, 1], data: c } }, xd, Float32Array.from(x)), { shape: xd, data: x.map((v, i) => v * c[Math.floor(i / 4)] + c[Math.floor(i / 4)]) });
    const logits = [1, 2, 3, 0.5, -1, 2];
    const sm = (r: number[]): number[] => { const e = r.map(Math.exp); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); };
    close(run([{ op: 'Softmax', inputs: ['x'], outputs: ['y'] }], {}, [2, 3], Float32Array.from(logits)), { shape: [2, 3], data: [...sm(logits.slice(0, 3)), ...sm(logits.slice(3))] });
  });
});

describe('docs/models.md', () => {
  it('lists exactly the supported ONNX operators', () => {
    const doc = readFileSync(new URL('../../../../docs/models.md', import.meta.url), 'utf8');
    const block = /<!-- onnx-ops:start -->([\s\S]*?)<!-- onnx-ops:end -->/.exec(doc)?.[1] ?? '';
    expect(block.split(/[,\s]+/).filter(Boolean)).toEqual([...SUPPORTED_ONNX_OPS]);
  });
});

describe('NHWC-input exports (TensorFlow/Keras → ONNX)', () => {
  it('an [N,H,W,3] input followed by its own Transpose computes what the NCHW model computes', () => {
    const inits = {
      W: { dims: [4, 3, 3, 3], data: seq(108, 20) },
      B: { dims: [4], data: seq(4, 21) },
      G: { dims: [2, 4], data: seq(8, 22) },
      GB: { dims: [2], data: [0.1, -0.2] },
    };
    const body = (x: string): NodeSpec[] => [
      { op: 'Conv', inputs: [x, 'W', 'B'], outputs: ['c'], attrs: [INTS('pads', [1, 1, 1, 1]), INTS('kernel_shape', [3, 3])] },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'GlobalAveragePool', inputs: ['r'], outputs: ['g'] },
      { op: 'Flatten', inputs: ['g'], outputs: ['f'] },
      { op: 'Gemm', inputs: ['f', 'G', 'GB'], outputs: ['y'], attrs: [I('transB', 1)] },
    ];
    const nchw = createOnnxRuntime(graphOf(body('x'), inits, [1, 3, 6, 6], 'y'), 'nchw');
    const nhwc = createOnnxRuntime(graphOf([{ op: 'Transpose', inputs: ['x'], outputs: ['t'], attrs: [INTS('perm', [0, 3, 1, 2])] }, ...body('t')], inits, [1, 6, 6, 3], 'y'), 'nhwc');
    try {
      expect(nhwc.inputSize).toEqual({ width: 6, height: 6 });
      expect(nhwc.split().target).toEqual(nchw.split().target);
      const [a, b] = tf.tidy(() => {
        const x = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 23) as tf.Tensor4D;
        return [nchw.predict(x).dataSync(), nhwc.predict(x).dataSync()];
      });
      close({ shape: [2, 2], data: b }, { shape: [2, 2], data: a }, 1e-5);
    } finally {
      nchw.dispose();
      nhwc.dispose();
    }
  });
});
