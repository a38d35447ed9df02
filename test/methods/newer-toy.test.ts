/**
 * Hand-computable toys for the newer methods (FEM, KPCA-CAM, Seg-Eigen-CAM's sign rule, Random-CAM), on the cpu
 * backend, with the tensor count checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRandomCam, getMethod } from '../../src/explain/methods/index.js';
import { rawCam } from '../../src/explain/methods/base.js';
import { femWeights } from '../../src/explain/methods/fem.js';
import { firstKernelComponent } from '../../src/explain/methods/kpca-cam.js';
import { correctSign } from '../../src/explain/methods/segeigencam.js';
import { toyContext } from './harness.js';

let A: tf.Tensor4D;
beforeAll(async () => {
  await tf.setBackend('cpu');
  // 3×3, three channels: c0 one spike (the only value above μ + 2σ: z = 8/√8 ≈ 2.83), c1 constant (σ = 0, nothing
  // strictly above μ), c2 two spikes (z = 7/√14 ≈ 1.87 < 2).
  const c0 = [0, 0, 0, 0, 1, 0, 0, 0, 0];
  const c1 = Array(9).fill(0.5);
  const c2 = [1, 0, 0, 0, 0, 0, 0, 0, 1];
  A = tf.tensor4d(Array.from({ length: 27 }, (_, i) => [c0, c1, c2][i % 3]![Math.floor(i / 3)]!), [1, 3, 3, 3]);
});
afterAll(() => A.dispose());

describe('FEM', () => {
  it('weights = fraction of positions above μ + 2σ per channel: (1/9, 0, 0)', () => {
    const w = femWeights(A);
    expect(Array.from(w.dataSync())).toEqual([expect.closeTo(1 / 9, 7), 0, 0]);
    w.dispose();
  });

  it('raw map = (1/9)·A₀', () => {
    const ctx = toyContext({ activations: A, input: A }); // input given: the toy would create one otherwise
    const before = tf.memory().numTensors;
    const t = rawCam(getMethod('fem'), ctx);
    expect(Array.from(t.dataSync())).toEqual([0, 0, 0, 0, expect.closeTo(1 / 9, 7), 0, 0, 0, 0]);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('KPCA-CAM', () => {
  it('first component of a 2-point kernel [[a,b],[b,a]]: √(a−b)·(1,−1)/√2, largest |uᵢ| (the first on a tie) positive', () => {
    const [a, b] = [0.9, 0.2];
    const p = firstKernelComponent([a, b, b, a], 2);
    expect(p[0]).toBeCloseTo(Math.sqrt(a - b) * Math.SQRT1_2, 10);
    expect(p[1]).toBeCloseTo(-Math.sqrt(a - b) * Math.SQRT1_2, 10);
  });

  it('sign: the entry of largest magnitude is positive', () => {
    // A 3-point kernel whose top component is dominated by point 2.
    const p = firstKernelComponent([1, 0.1, -0.8, 0.1, 1, -0.8, -0.8, -0.8, 1], 3);
    let top = 0;
    for (let i = 1; i < 3; i++) if (Math.abs(p[i]!) > Math.abs(p[top]!)) top = i;
    expect(p[top]).toBeGreaterThan(0);
  });
});

describe('Seg-Eigen-CAM sign correction (Eq. 13)', () => {
  it.each([
    [[-3, 1, 0, 2], [3, -1, 0, -2]], // |min| 3 > |max| 2: flipped
    [[-1, 1, 0, 2], [-1, 1, 0, 2]], // |min| 1 < |max| 2: kept
  ])('%j → %j', (map, expected) => {
    const t = correctSign(tf.tensor3d(map, [1, 2, 2]));
    expect(Array.from(t.dataSync(), (x) => x + 0)).toEqual(expected); // + 0: −0 → 0
    t.dispose();
  });
});

describe('Random-CAM', () => {
  it('is reproducible from its seed, differs between seeds and between calls, and stays in U(−1, 1)', () => {
    const ctx = toyContext({ activations: A, input: A });
    const weights = (seed: number, calls = 1): number[][] => {
      const m = createRandomCam({ seed });
      return Array.from({ length: calls }, () => {
        const w = m.weights!(ctx);
        const v = Array.from(w.dataSync());
        w.dispose();
        return v;
      });
    };
    const [first, second] = weights(1, 2);
    expect(weights(1)[0]).toEqual(first);
    expect(weights(2)[0]).not.toEqual(first);
    expect(second).not.toEqual(first);
    for (const x of [...first!, ...second!]) expect(Math.abs(x)).toBeLessThan(1);
  });

  it('is never picked by a preset', () => {
    expect(getMethod('random').optIn).toBe(true);
    expect(getMethod('random').group).toBe('baseline');
  });
});
