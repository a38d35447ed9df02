import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  chunkedScores, minMaxPerChannel, minMaxPerFrame, normalizeCam, oneHotFloat, resampleMaps, scatterChannelWeights,
  selectChannels, weightedSum, withKernelCheck,
} from './base.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const values = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('base helpers', () => {
  it('minMaxPerFrame: (v − min)/(max(v − min) + 1e-7), per frame', () => {
    const x = tf.tensor3d([1, 2, 3, 5, -1, -1, -1, -1], [2, 2, 2]);
    const [a, b, c, d, ...rest] = values(minMaxPerFrame(x));
    expect([a, b, c, d]).toEqual([0, 1 / (4 + 1e-7), 2 / (4 + 1e-7), 4 / (4 + 1e-7)].map(Math.fround));
    expect(rest).toEqual([0, 0, 0, 0]); // constant frame → all zeros, not NaN
    x.dispose();
  });

  it('normalizeCam applies ReLU first: an all-negative map becomes all zeros', () => {
    const x = tf.tensor3d([-3, -2, -1, -4], [1, 2, 2]);
    expect(values(normalizeCam(x))).toEqual([0, 0, 0, 0]);
    x.dispose();
  });

  it('minMaxPerChannel normalises each (frame, channel) plane separately', () => {
    const x = tf.tensor4d([0, 10, 2, 20], [1, 1, 2, 2]); // channel 0: [0, 2], channel 1: [10, 20]
    values(minMaxPerChannel(x)).forEach((v, i) => expect(v).toBeCloseTo([0, 0, 1, 1][i], 6));
    x.dispose();
  });

  it('weightedSum: Σ_k w_k A_k per frame', () => {
    const a = tf.tensor4d([1, 2, 3, 4], [1, 2, 1, 2]);
    const w = tf.tensor2d([[10, -1]]);
    expect(values(weightedSum(w, a))).toEqual([8, 26]);
    tf.dispose([a, w]);
  });

  it('selectChannels keeps the channels with the largest mean activation, per frame', () => {
    const a = tf.tensor4d([1, 5, 3, 9, 0, 1], [2, 1, 1, 3]);
    expect(values(selectChannels(a, 2))).toEqual([1, 2, 0, 2]);
    expect(values(selectChannels(a, 99))).toHaveLength(6);
    expect(() => selectChannels(a, 0)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    a.dispose();
  });

  it('scatterChannelWeights places values at their channels, zeros elsewhere', () => {
    const idx = tf.tensor2d([[2, 0]], [1, 2], 'int32');
    const v = tf.tensor2d([[0.7, 0.3]]);
    values(scatterChannelWeights(idx, v, 4)).forEach((x, i) => expect(x).toBeCloseTo([0.3, 0, 0.7, 0][i], 6));
    tf.dispose([idx, v]);
  });

  it('oneHotFloat handles depth 1 (tf.oneHot refuses it)', () => {
    expect(values(oneHotFloat(tf.tensor1d([0, 0], 'int32'), 1))).toEqual([1, 1]);
    expect(values(oneHotFloat(tf.tensor1d([1], 'int32'), 3))).toEqual([0, 1, 0]);
  });

  it.each([1, 2, 3, 7, 100])('chunkedScores gives the same rows for passBatch %i and frees the chunks', (chunk) => {
    const before = tf.memory().numTensors;
    const out = chunkedScores(7, chunk, (start, size) => tf.mul(tf.range(start, start + size), 2) as tf.Tensor1D);
    expect(values(out)).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('chunkedScores rejects a bad passBatch', () => {
    expect(() => chunkedScores(3, 0, () => tf.zeros([1]))).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it.each([
    ['identity', [1, 4, 4, 1], 4, 4, (v: number[]) => v],
    ['area average 4→2', [1, 4, 4, 1], 2, 2, () => [2.5, 4.5, 10.5, 12.5]],
  ] as const)('resampleMaps: %s', (_, shape, h, w, expected) => {
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), shape as unknown as [number, number, number, number]);
    const src = Array.from(x.dataSync());
    expect(values(resampleMaps(x, h, w))).toEqual(expected(src));
    x.dispose();
  });

  it('resampleMaps upsamples with half-pixel bilinear (cv2 INTER_LINEAR)', () => {
    const x = tf.tensor4d([0, 1], [1, 1, 2, 1]);
    // 2 → 4 columns, half-pixel centres at 0.25·(2j+1) − 0.5 → −0.25, 0.25, 0.75, 1.25, clamped: 0, .25, .75, 1.
    values(resampleMaps(x, 1, 4)).forEach((v, i) => expect(v).toBeCloseTo([0, 0.25, 0.75, 1][i], 6));
    x.dispose();
  });

  it('withKernelCheck turns a missing kernel into E_BACKEND naming kernel, backend and method', () => {
    expect(() =>
      withKernelCheck('fullgrad', () => {
        throw new Error("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
      }),
    ).toThrow(expect.objectContaining({ code: 'E_BACKEND', message: expect.stringMatching(/fullgrad.*Conv2DBackpropFilter.*wasm/) }));
    expect(() => withKernelCheck('x', () => { throw new RangeError('other'); })).toThrow(RangeError);
  });
});
