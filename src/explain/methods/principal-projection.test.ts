import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/backend.js';
import { mulberry32 } from '../../core/seeded-rng.js';
import { gramMatrices, principalProjection, principalProjectionTf, projectionFromGram } from './principal-projection.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

function randomActivations(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const rand = mulberry32(seed);
  const [n, h, w, k] = shape;
  // ReLU-like activations with per-channel offsets and one dominant spatial pattern, as real layers have.
  const values = new Float32Array(n * h * w * k);
  for (let f = 0; f < n; f++) {
    for (let p = 0; p < h * w; p++) {
      const blob = Math.exp(-(((p % w) - w / 3) ** 2 + (Math.floor(p / w) - h / 2) ** 2) / 4);
      for (let c = 0; c < k; c++) values[((f * h * w) + p) * k + c] = Math.max(0, rand() - 0.4 + (c % 3) * blob * rand());
    }
  }
  return tf.tensor4d(values, shape);
}

describe('principalProjection: the JS Gram path equals the all-tensor path', () => {
  const cases: Array<{ shape: [number, number, number, number]; why: string }> = [
    { shape: [3, 7, 7, 96], why: 'MobileNetV2-like: more channels than positions' },
    { shape: [2, 8, 8, 16], why: 'fewer channels than positions (the K×K branch of the tensor path)' },
    { shape: [2, 3, 5, 7], why: 'non-square, tiny' },
  ];
  it.each(cases)('$shape ($why)', ({ shape }) => {
    const x = randomActivations(shape, shape.reduce((a, b) => a * 31 + b, 7));
    const fast = principalProjection(x);
    const reference = principalProjectionTf(x);
    const a = fast.dataSync();
    const b = reference.dataSync();
    const scale = Math.max(...Array.from(b, Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!) / scale).toBeLessThan(2e-3);
    tf.dispose([x, fast, reference]);
  });

  it('leaks no tensors', () => {
    const x = randomActivations([2, 7, 7, 32], 3);
    principalProjection(x).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) principalProjection(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('gramMatrices', () => {
  it('is F·Fᵀ per frame', () => {
    const n = 2, m = 3, k = 4;
    const x = Float32Array.from({ length: n * m * k }, (_, i) => ((i * 7) % 11) - 5);
    const g = gramMatrices(x, n, m, k);
    for (let f = 0; f < n; f++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let c = 0; c < k; c++) s += x[(f * m + i) * k + c]! * x[(f * m + j) * k + c]!;
          expect(g[f * m * m + i * m + j]).toBeCloseTo(s, 4);
        }
      }
    }
  });
});

describe('projectionFromGram', () => {
  it('gives √λ₁·u₁ of the centred Gram, signed to agree with the channel sums', () => {
    // F = [[2,0],[0,0],[-2,0]] (3 positions, 2 channels) + a constant 1 added to channel 1: centring removes it.
    const f = [2, 1, 0, 1, -2, 1];
    const gram: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) gram.push(f[i * 2]! * f[j * 2]! + f[i * 2 + 1]! * f[j * 2 + 1]!);
    const sums = [3, 1, -1];
    const map = projectionFromGram(gram, sums, 3);
    // M = C·F = [[2,0],[0,0],[-2,0]], v₁ = (±1, 0) → M·v₁ = ±(2, 0, −2); the sums pick +.
    expect(Array.from(map).map((v) => Number(v.toFixed(6)))).toEqual([2, 0, -2]);
    const flipped = projectionFromGram(gram, [-3, 1, 1], 3);
    expect(Array.from(flipped).map((v) => Number(v.toFixed(6)))).toEqual([-2, 0, 2]);
  });

  it('returns zeros for a constant layer (no variance after centring)', () => {
    const gram = new Array(9).fill(4);
    expect(Array.from(projectionFromGram(gram, [2, 2, 2], 3))).toEqual([0, 0, 0]);
  });
});
