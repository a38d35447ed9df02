/**
 * FullGrad on toy models whose answer is written down by hand:
 *   x [1,4,4,1] = p/15 at pixel p → conv 1×1 (w = 2, b = −0.5, ReLU) → [pool] → GAP → dense (kernel [[1, −3]], bias 0).
 * z = 2x − 0.5 is active where x > 0.25; ∂y_c/∂z = k_c/16·[z > 0] with k = (1, −3); ∂y_c/∂x = 2·k_c/16·[z > 0].
 * Bias term ψ(|b·∂y/∂z|) = [z>0]·s/(s + 1e-7) with s = 0.5·|k_c|/16 (min 0 at inactive pixels);
 * input term ψ(|x·∂y/∂x|) = x·[z>0]·t/(t + 1e-7) with t = 2·|k_c|/16 (max at x = 1, min 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { getMethod } from '../../src/explain/methods/index.js';
import { normalizeCam, rawCam } from '../../src/explain/methods/base.js';
import { createHarnessContext, splitAt } from './harness.js';

function toyModel(pool: boolean): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ name: 'conv', inputShape: [4, 4, 1], filters: 1, kernelSize: 1, activation: 'relu' }));
  if (pool) m.add(tfl.layers.averagePooling2d({ name: 'pool', poolSize: 2, strides: 2 }));
  m.add(tfl.layers.globalAveragePooling2d({ name: 'gap' }));
  m.add(tfl.layers.dense({ name: 'logits', units: 2 }));
  m.getLayer('conv').setWeights([tf.tensor4d([2], [1, 1, 1, 1]), tf.tensor1d([-0.5])]);
  m.getLayer('logits').setWeights([tf.tensor2d([[1, -3]]), tf.tensor1d([0, 0])]);
  return m;
}

const X = Array.from({ length: 16 }, (_, p) => p / 15);

function expected4x4(cls: number): number[] {
  const k = Math.abs([1, -3][cls]);
  const s = (0.5 * k) / 16;
  const t = (2 * k) / 16;
  return X.map((x) => (x > 0.25 ? s / (s + 1e-7) + (x * t) / (t + 1e-7) : 0));
}

let input: tf.Tensor4D;
beforeAll(async () => {
  await tf.setBackend('cpu');
  input = tf.tensor4d(X, [1, 4, 4, 1]);
});
afterAll(() => input.dispose());

describe('fullgrad', () => {
  it.each([0, 1])('target layer at the input resolution, class %i', (cls) => {
    const ctx = createHarnessContext(splitAt(toyModel(false), 'conv'), input, [cls]);
    const map = tf.tidy(() => rawCam(getMethod('fullgrad'), ctx));
    expect(map.shape).toEqual([1, 4, 4]);
    Array.from(map.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected4x4(cls)[i], 5));
    map.dispose();
    ctx.dispose();
  });

  it('target layer at half resolution: each term is area-averaged to 2×2', () => {
    const ctx = createHarnessContext(splitAt(toyModel(true), 'pool'), input, [0]);
    const full = expected4x4(0);
    const expected = [0, 1].flatMap((r) => [0, 1].map((c) => {
      const at = (y: number, x: number) => full[(2 * r + y) * 4 + 2 * c + x];
      return (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
    }));
    const map = tf.tidy(() => rawCam(getMethod('fullgrad'), ctx));
    expect(map.shape).toEqual([1, 2, 2]);
    Array.from(map.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    map.dispose();
    ctx.dispose();
  });

  it('normalised map is in [0,1] and leaks no tensors', () => {
    const ctx = createHarnessContext(splitAt(toyModel(false), 'conv'), input, [0]);
    const run = () => tf.tidy(() => normalizeCam(rawCam(getMethod('fullgrad'), ctx)));
    run().dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const m = run();
      const v = m.dataSync();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      m.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    ctx.dispose();
  });

  it('without bias gradients from the context it fails with E_BACKEND', () => {
    const ctx = { ...createHarnessContext(splitAt(toyModel(false), 'conv'), input, [0]), model: {} };
    expect(() => tf.tidy(() => rawCam(getMethod('fullgrad'), ctx))).toThrow(expect.objectContaining({ code: 'E_BACKEND' }));
  });
});
