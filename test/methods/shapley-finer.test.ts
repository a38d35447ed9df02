/**
 * ShapleyCAM and the targets (--target logit|softmax|finer, FinerCAM) beyond the reference data: ShapleyCAM is
 * Grad-CAM where the head is piecewise linear; on a quadratic toy head its weights are hand-computable; with a
 * curved target its exact Hessian-vector product agrees with the central difference; `--target finer` gives any
 * gradient method FinerCAM's target. cpu backend, conformance "deep" and "gap" fixtures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getMethod } from '../../src/explain/methods/index.js';
import { rawCam } from '../../src/explain/methods/base.js';
import { hessianVectorProduct, hessianVectorProductPiecewiseLinear } from '../../src/explain/methods/shapleycam.js';
import {
  createHarnessContext, FIXTURE_MORE_DIR, loadInputs, loadVariantModel, maxAbs, maxAbsDiff, splitAt, toyContext,
  type HarnessContext, type SplitModel,
} from './harness.js';

let input: tf.Tensor4D;
const splits = new Map<string, SplitModel>();
const owned: HarnessContext[] = [];
const context = (variant: 'gap' | 'deep', target: 'logit' | 'softmax' | 'finer' = 'logit'): HarnessContext => {
  const ctx = createHarnessContext(splits.get(variant)!, input, [2, 0, 2, 1, 2, 4], {}, target);
  owned.push(ctx);
  return ctx;
};
const values = (f: () => tf.Tensor): Float32Array => {
  const t = tf.tidy(f);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  input = loadInputs(FIXTURE_MORE_DIR);
  for (const v of ['gap', 'deep'] as const) splits.set(v, splitAt(await loadVariantModel(v, FIXTURE_MORE_DIR), 'conv3'));
});
afterAll(() => {
  for (const c of owned) c.dispose();
  input?.dispose();
});

describe('ShapleyCAM', () => {
  it.each(['gap', 'deep'] as const)('%s (linear / piecewise-linear head, logit target): H·A = 0, weights = Grad-CAM weights', (variant) => {
    const ctx = context(variant);
    expect(maxAbs(values(() => hessianVectorProduct(ctx)))).toBe(0);
    const shapley = values(() => getMethod('shapleycam').weights!(ctx));
    const grad = values(() => getMethod('gradcam').weights!(ctx));
    expect(maxAbsDiff(shapley, grad)).toBeLessThanOrEqual(1e-6 * maxAbs(grad));
  });

  it('quadratic toy head y = Σ W⊙A²: g = 2W⊙A, H·A = 2W⊙A, so w_k = mean(W⊙A)_k', () => {
    const A = tf.tensor4d([1, 2, 3, 4, 0, 1, 2, 0], [1, 2, 2, 2]);
    const W = tf.tensor4d([0.5, -1, 2, 1, 1, 1, -0.5, 3], [1, 2, 2, 2]);
    // Two classes (the second a constant 0): the target is class 0.
    const head = (a: tf.Tensor4D): tf.Tensor2D => tf.concat([tf.reshape(tf.sum(tf.mul(tf.square(a), W)), [1, 1]), tf.zeros([1, 1])], 1) as tf.Tensor2D;
    const ctx = toyContext({ activations: A, input: A, head });
    const before = tf.memory().numTensors;
    const w = values(() => getMethod('shapleycam').weights!(ctx));
    expect(tf.memory().numTensors).toBe(before);
    const wa = [0.5 * 1, -1 * 2, 2 * 3, 1 * 4, 1 * 0, 1 * 1, -0.5 * 2, 3 * 0]; // W⊙A, NHWC
    const want = [0, 1].map((k) => (wa[k]! + wa[k + 2]! + wa[k + 4]! + wa[k + 6]!) / 4);
    expect(Array.from(w)).toEqual(want.map((x) => expect.closeTo(x, 5)));
    tf.dispose([A, W]);
  });

  it('deep, softmax target: the exact H·A is non-zero and equals the fallback Jᵀ·∇²s·J·A (the head is piecewise linear)', () => {
    const ctx = context('deep', 'softmax');
    const exact = values(() => hessianVectorProduct(ctx));
    const independent = values(() => hessianVectorProductPiecewiseLinear(ctx));
    expect(maxAbs(exact)).toBeGreaterThan(0);
    expect(maxAbsDiff(exact, independent)).toBeLessThanOrEqual(1e-2 * maxAbs(exact));
    const shapley = values(() => getMethod('shapleycam').weights!(ctx));
    const grad = values(() => getMethod('gradcam').weights!(ctx));
    expect(maxAbsDiff(shapley, grad)).toBeGreaterThan(1e-3 * maxAbs(grad));
  });
});

describe('targets', () => {
  it('--target finer gives Grad-CAM FinerCAM\'s map; FinerCAM ignores --target', () => {
    const finer = context('deep', 'finer');
    const logit = context('deep', 'logit');
    const gradcamFiner = values(() => rawCam(getMethod('gradcam'), finer));
    const finercam = values(() => rawCam(getMethod('finercam'), logit));
    expect(maxAbsDiff(gradcamFiner, finercam)).toBeLessThanOrEqual(1e-6 * maxAbs(finercam));
    const gradcam = values(() => rawCam(getMethod('gradcam'), logit));
    expect(maxAbsDiff(gradcam, finercam)).toBeGreaterThan(1e-2 * maxAbs(finercam));
  });

  it('softmax target: the gradient is the logit gradient mixed by p_c(δ_cd − p_d) — it differs from the logit one', () => {
    const a = values(() => tf.clone(context('deep', 'softmax').gradients()));
    const b = values(() => tf.clone(context('deep', 'logit').gradients()));
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-3 * maxAbs(b));
  });
});
