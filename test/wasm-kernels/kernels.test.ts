/**
 * Each kernel registered by registerWasmGradientKernels() against the cpu backend's kernel on small random
 * shapes (stride 1 and 2, same/valid, several channel counts), to ≤ 1e-4 relative; then tf.grad through a
 * conv2d → depthwise → relu6 → batch-norm stack on wasm against cpu; and no tensor leaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmGradientKernels, WASM_GRADIENT_KERNELS } from '../../src/explain/backend/wasm-kernels/index.js';
import { onBackend, rand, relErr } from './backend-compare.js';

type Pad = 'same' | 'valid';
const TOL = 1e-4;

beforeAll(async () => {
  registerWasmGradientKernels();
  await tf.setBackend('wasm');
  await tf.ready();
});

async function compare(fn: () => tf.Tensor | tf.Tensor[]): Promise<number[]> {
  const cpu = await onBackend('cpu', fn);
  const wasm = await onBackend('wasm', fn);
  return wasm.map((w, i) => relErr(w, cpu[i]!));
}

function outSize(inSize: number, k: number, s: number, pad: Pad, d = 1): number {
  const kEff = (k - 1) * d + 1;
  return pad === 'same' ? Math.ceil(inSize / s) : Math.ceil((inSize - kEff + 1) / s);
}

// [batch, height, width, inChannels, outChannels or multiplier, kernel, stride, pad]
const CONV_CASES: [number, number, number, number, number, number, number, Pad][] = [
  [2, 7, 7, 3, 4, 3, 1, 'same'],
  [2, 7, 7, 3, 4, 3, 1, 'valid'],
  [2, 8, 8, 5, 6, 3, 2, 'same'],
  [1, 9, 9, 4, 2, 3, 2, 'valid'],
  [2, 8, 6, 1, 8, 5, 1, 'same'],
  [1, 10, 10, 8, 3, 5, 2, 'same'],
  [3, 6, 6, 16, 8, 1, 1, 'same'],
  [1, 7, 7, 6, 4, 1, 2, 'valid'],
  [2, 9, 7, 2, 2, 2, 2, 'same'],
];

describe('registerWasmGradientKernels', () => {
  it('registers every kernel for wasm and is idempotent', () => {
    const first = registerWasmGradientKernels();
    const kernels = WASM_GRADIENT_KERNELS.map((n) => tf.getKernel(n, 'wasm'));
    expect(registerWasmGradientKernels()).toEqual(first);
    expect(WASM_GRADIENT_KERNELS.map((n) => tf.getKernel(n, 'wasm'))).toEqual(kernels);
    for (const k of kernels) expect(k).toBeDefined();
  });
});

describe('Conv2DBackpropFilter / Conv2DBackpropInput vs cpu', () => {
  it.each(CONV_CASES)('n%i %ix%i cin%i cout%i k%i s%i %s', async (n, h, w, cin, cout, k, s, pad) => {
    const oh = outSize(h, k, s, pad);
    const ow = outSize(w, k, s, pad);
    const errs = await compare(() => {
      const x = rand([n, h, w, cin], 1) as tf.Tensor4D;
      const dy = rand([n, oh, ow, cout], 2) as tf.Tensor4D;
      const filter = rand([k, k, cin, cout], 3) as tf.Tensor4D;
      return [
        tf.reshape(tf.conv2d(x, filter, s, pad), [-1]),
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: s, pad, dataFormat: 'NHWC', filterShape: [k, k, cin, cout] }) as tf.Tensor,
        tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, { strides: s, pad, dataFormat: 'NHWC', inputShape: [n, h, w, cin] }) as tf.Tensor,
      ];
    });
    for (const e of errs) expect(e).toBeLessThanOrEqual(TOL);
  });
});

describe('DepthwiseConv2dNativeBackpropInput / Filter vs cpu', () => {
  const cases: [number, number, number, number, number, number, number, Pad, number][] = [
    ...CONV_CASES.map((c) => [c[0], c[1], c[2], c[3], 1, c[5], c[6], c[7], 1] as [number, number, number, number, number, number, number, Pad, number]),
    [2, 7, 7, 3, 2, 3, 1, 'same', 1],
    [1, 8, 8, 4, 3, 3, 2, 'valid', 1],
    [2, 9, 9, 3, 1, 3, 1, 'same', 2],
    [1, 10, 8, 2, 2, 3, 1, 'valid', 2],
  ];
  it.each(cases)('n%i %ix%i c%i mult%i k%i s%i %s dil%i', async (n, h, w, cin, m, k, s, pad, d) => {
    const oh = outSize(h, k, s, pad, d);
    const ow = outSize(w, k, s, pad, d);
    const errs = await compare(() => {
      const x = rand([n, h, w, cin], 4) as tf.Tensor4D;
      const dy = rand([n, oh, ow, cin * m], 5) as tf.Tensor4D;
      const filter = rand([k, k, cin, m], 6) as tf.Tensor4D;
      if (d > 1 && tf.getBackend() === 'cpu') {
        // The cpu kernels ignore dilation (tfjs' gradient forbids it), so the reference is the undilated
        // kernel on the zero-interleaved filter of the effective size, read back at the dilated taps.
        const kEff = (k - 1) * d + 1;
        const dilated = tf.reshape(tf.pad(tf.reshape(filter, [k, 1, k, 1, cin, m]), [[0, 0], [0, d - 1], [0, 0], [0, d - 1], [0, 0], [0, 0]]), [k * d, k * d, cin, m]);
        const fEff = tf.slice(dilated, [0, 0, 0, 0], [kEff, kEff, cin, m]) as tf.Tensor4D;
        const attrs = { strides: s, pad, dilations: 1 };
        const dwEff = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: [kEff, kEff, cin, m] }) as tf.Tensor4D;
        return [
          tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: fEff }, { ...attrs, inputShape: [n, h, w, cin] }) as tf.Tensor,
          tf.stridedSlice(dwEff, [0, 0, 0, 0], [kEff, kEff, cin, m], [d, d, 1, 1]),
        ];
      }
      const attrs = { strides: s, pad, dilations: d };
      return [
        tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, { ...attrs, inputShape: [n, h, w, cin] }) as tf.Tensor,
        tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: [k, k, cin, m] }) as tf.Tensor,
      ];
    });
    for (const e of errs) expect(e).toBeLessThanOrEqual(TOL);
  });
});

describe('UnsortedSegmentSum and tf.gather gradient vs cpu', () => {
  it.each([
    [[6, 3], [0, 2, 2, 1, 0, 4], 5],
    [[5, 2, 3], [3, 3, 3, 0, 1], 4],
    [[4], [1, -1, 1, 7], 3],
  ] as [number[], number[], number][])('x%j ids %j → %i segments', async (shape, ids, numSegments) => {
    const errs = await compare(() => [
      tf.unsortedSegmentSum(rand(shape, 7), tf.tensor1d(ids, 'int32'), numSegments),
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, tf.tensor1d([1, 0, 1, 1], 'int32')), 3)))(rand([3, 4], 8)),
    ]);
    for (const e of errs) expect(e).toBeLessThanOrEqual(TOL);
  });
});

describe('Tile vs cpu', () => {
  it.each([
    [[1, 1, 1, 4], [2, 5, 5, 1]],
    [[3, 1], [1, 4]],
    [[2, 3], [2, 2]],
  ])('x%j reps %j', async (shape, reps) => {
    const [e] = await compare(() => tf.tile(rand(shape, 9), reps));
    expect(e).toBeLessThanOrEqual(TOL);
  });
});

describe('tf.grad through conv2d → depthwise → relu6 → batchnorm', () => {
  const stack = () => {
    const x = rand([2, 10, 10, 3], 11);
    const w1 = tf.mul(rand([3, 3, 3, 8], 12), 0.5) as tf.Tensor4D;
    const w2 = rand([3, 3, 8, 1], 13) as tf.Tensor4D;
    const b = rand([8], 14);
    const gamma = tf.add(rand([8], 15), 1.5) as tf.Tensor1D;
    const beta = rand([8], 16) as tf.Tensor1D;
    const mask = rand([2, 5, 5, 8], 17);
    const f = (xx: tf.Tensor, ww1: tf.Tensor, ww2: tf.Tensor, gg: tf.Tensor) => {
      const c = tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ww1 as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' });
      const dw = tf.relu6(tf.depthwiseConv2d(c, ww2 as tf.Tensor4D, 2, 'same'));
      const { mean, variance } = tf.moments(dw, [0, 1, 2]);
      const bn = tf.batchNorm(dw, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gg as tf.Tensor1D, 1e-3);
      return tf.sum(tf.mul(bn, mask));
    };
    return tf.grads(f)([x, w1, w2, gamma]);
  };

  it('matches cpu for every input and weight', async () => {
    const errs = await compare(stack);
    expect(errs).toHaveLength(4);
    for (const e of errs) expect(e).toBeLessThanOrEqual(TOL);
  });

  it('leaks no tensors on wasm', async () => {
    await tf.setBackend('wasm');
    const run = () => tf.dispose(tf.tidy(stack));
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
  });
});
