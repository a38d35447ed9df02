/**
 * Conformance with pytorch-grad-cam (test/fixtures/cam-conformance, see its README): each method's low-res map,
 * after the reference's minmax(relu(·)), must match `minmax(relu(cam_raw))` with Pearson r ≥ 0.999 and
 * max |Δ| ≤ 1e-3, on both model variants and both target modes; the raw maps and weights must match too.
 * Eigen methods: the reference's SVD sign is arbitrary, so raw maps are compared up to a per-image sign.
 * Shared by conformance.test.ts (cpu: gradient and Eigen methods) and conformance-perturbation.test.ts
 * (wasm: Score-CAM and Ablation-CAM, forward passes only, 6× faster than cpu).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { getMethod } from '../../src/explain/methods/index.js';
import { rawCam } from '../../src/explain/methods/base.js';
import {
  blob, createHarnessContext, loadInputs, loadRefs, loadVariantModel, maxAbs, maxAbsDiff, minMaxRelu, pearson, splitAt,
  type HarnessContext, type Refs, type Variant,
} from './harness.js';
import { REF_NAME } from './reference-names.js';

export { REF_NAME };
const SIGN_FREE = new Set(['eigencam', 'eigengradcam']);
const MODES = ['argmax', 'class2'] as const;
const VARIANTS: Variant[] = ['gap', 'deep'];
const PER_IMAGE = 32 * 32;

export function conformanceSuite(ids: readonly string[], selectBackend: () => Promise<unknown>): void {
interface Row { variant: Variant; mode: string; id: string; minR: number; maxDiff: number; rawRel: number; wRel: number | null }
const table: Row[] = [];

let input: tf.Tensor4D;
const contexts = new Map<string, HarnessContext>();
const refs = new Map<Variant, Refs>();

beforeAll(async () => {
  await selectBackend();
  input = loadInputs();
  for (const v of VARIANTS) {
    const split = splitAt(await loadVariantModel(v), 'conv3');
    const r = loadRefs(v);
    refs.set(v, r);
    for (const mode of MODES) {
      contexts.set(`${v}/${mode}`, createHarnessContext(split, input, r.json.target_modes[mode], { maxChannels: 32, passBatch: 16 }));
    }
  }
});

afterAll(() => {
  for (const c of contexts.values()) c.dispose();
  input?.dispose();
  if (process.env.CAM_CONFORMANCE_TABLE) console.table(table.map((r) => ({ ...r, minR: r.minR.toFixed(6), maxDiff: r.maxDiff.toExponential(2), rawRel: r.rawRel.toExponential(2), wRel: r.wRel?.toExponential(2) ?? '-' })));
});

describe('fixture sanity', () => {
  it.each(VARIANTS)('%s: TF.js logits argmax equals the reference argmax', (v) => {
    const ctx = contexts.get(`${v}/argmax`)!;
    expect(Array.from(tf.tidy(() => tf.argMax(ctx.logits, 1)).dataSync())).toEqual(refs.get(v)!.json.argmax);
  });

  it('target activations match the reference (root refs)', () => {
    const r = refs.get('gap')!;
    const ref = blob(r, r.json.target_layer_activations_nhwc!);
    expect(maxAbsDiff(contexts.get('gap/argmax')!.activations.dataSync(), ref)).toBeLessThan(1e-4);
  });
});

const cases = VARIANTS.flatMap((v) => MODES.flatMap((mode) => ids.map((id) => [v, mode, id] as const)));

describe.each(cases)('%s / %s / %s', (variant, mode, id) => {
  it('low-res map matches pytorch-grad-cam', () => {
    const ctx = contexts.get(`${variant}/${mode}`)!;
    const ref = refs.get(variant)!.json.methods[REF_NAME[id]][mode];
    const refRaw = blob(refs.get(variant)!, ref.cam_raw);
    const method = getMethod(id);
    const ours = tf.tidy(() => rawCam(method, ctx)).dataSync() as Float32Array;
    let minR = 1;
    let maxDiff = 0;
    let rawRel = 0;
    for (let i = 0; i < 6; i++) {
      let a = ours.subarray(i * PER_IMAGE, (i + 1) * PER_IMAGE) as ArrayLike<number>;
      const b = refRaw.subarray(i * PER_IMAGE, (i + 1) * PER_IMAGE);
      if (SIGN_FREE.has(id)) {
        let dot = 0;
        for (let j = 0; j < PER_IMAGE; j++) dot += a[j] * b[j];
        if (dot < 0) a = Float32Array.from(a, (x) => -x);
      }
      rawRel = Math.max(rawRel, maxAbsDiff(a, b) / maxAbs(b));
      const na = minMaxRelu(a);
      const nb = minMaxRelu(b);
      maxDiff = Math.max(maxDiff, maxAbsDiff(na, nb));
      if (ref.raw_all_nonpositive[i]) {
        expect(maxAbs(na), `image ${i}: reference map is all-zero`).toBe(0);
      } else {
        minR = Math.min(minR, pearson(na, nb));
      }
    }
    let wRel: number | null = null;
    if (ref.weights && method.weights) {
      const w = tf.tidy(() => method.weights!(ctx)).dataSync();
      const flat = ref.weights.flat();
      wRel = maxAbsDiff(w, flat) / maxAbs(flat);
    }
    table.push({ variant, mode, id, minR, maxDiff, rawRel, wRel });
    expect(minR).toBeGreaterThanOrEqual(0.999);
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
    // Ablation-CAM's (y − y_k)/y cancels nearly equal logits, which amplifies float32 rounding ~10×.
    const rawTol = id === 'ablationcam' ? 1e-3 : 1e-4;
    expect(rawRel).toBeLessThanOrEqual(rawTol);
    if (wRel !== null) expect(wRel).toBeLessThanOrEqual(rawTol);
  });
});

if (ids.includes('eigencam')) describe('sign rule of the Eigen methods', () => {
  it.each(['eigencam', 'eigengradcam'])('%s correlates positively with its un-centred channel sum', (id) => {
    for (const key of ['deep/argmax', 'gap/class2']) {
      const ctx = contexts.get(key)!;
      const [cam, ref] = tf.tidy(() => {
        const src = id === 'eigencam' ? ctx.activations : tf.mul(ctx.gradients(), ctx.activations);
        return [rawCam(getMethod(id), ctx), tf.sum(src, 3)];
      });
      const a = cam.dataSync();
      const b = ref.dataSync();
      tf.dispose([cam, ref]);
      for (let i = 0; i < 6; i++) {
        expect(pearson(a.subarray(i * PER_IMAGE, (i + 1) * PER_IMAGE), b.subarray(i * PER_IMAGE, (i + 1) * PER_IMAGE))).toBeGreaterThan(0);
      }
    }
  });
});
}
