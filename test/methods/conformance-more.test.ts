/**
 * Conformance of the newer methods with pytorch-grad-cam (test/fixtures/cam-conformance-more, see its README):
 * per variant (gap, deep), target mode (argmax, class2) and image, our low-resolution map after the reference's
 * minmax(relu(·)) against minmax(relu(cam_raw)) — Pearson r ≥ 0.999. A reference map that is constant after ReLU
 * is skipped (nothing to correlate). KPCA-CAM: the README accepts either sign per image. RefineCAM (layers conv2 +
 * conv3): its output at the input's resolution (64×64) against `cam_final` directly. cpu backend (exact float32).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getMethod } from '../../src/explain/methods/index.js';
import { refineCamMaps } from '../../src/explain/methods/refinecam.js';
import { rawCam } from '../../src/explain/methods/base.js';
import type { CamMethod } from '../../src/explain/methods/types.js';
import {
  blob, createHarnessContext, FIXTURE_MORE_DIR, loadInputs, loadRefs, loadVariantModel, minMaxRelu, pearson, splitAt,
  type BlobRef, type HarnessContext, type Refs, type Variant,
} from './harness.js';

const REF_NAME: Record<string, string> = {
  fem: 'FEM',
  'kpca-cam': 'KPCA_CAM',
  segeigencam: 'SegEigenCAM',
  shapleycam: 'ShapleyCAM',
  finercam: 'FinerCAM',
};
const EITHER_SIGN = new Set(['kpca-cam']);
const MODES = ['argmax', 'class2'] as const;
const VARIANTS: Variant[] = ['gap', 'deep'];
const PER_IMAGE = 32 * 32;

let input: tf.Tensor4D;
const contexts = new Map<string, HarnessContext>();
const refs = new Map<Variant, Refs>();
const table: { variant: Variant; mode: string; id: string; minR: string; oneMinusR: string; compared: number; flipped: number }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  input = loadInputs(FIXTURE_MORE_DIR);
  for (const v of VARIANTS) {
    const split = splitAt(await loadVariantModel(v, FIXTURE_MORE_DIR), 'conv3');
    const r = loadRefs(v, FIXTURE_MORE_DIR);
    refs.set(v, r);
    for (const mode of MODES) contexts.set(`${v}/${mode}`, createHarnessContext(split, input, r.json.target_modes[mode]));
  }
});

afterAll(() => {
  for (const c of contexts.values()) c.dispose();
  input?.dispose();
  if (process.env.CAM_CONFORMANCE_TABLE) console.table(table);
});

const isConstant = (v: ArrayLike<number>): boolean => {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
};

/** Per image Pearson r of minmax(relu(ours)) vs minmax(relu(ref)); NaN where the reference is constant. */
export function lowResAgreement(ours: ArrayLike<number>, ref: ArrayLike<number>, images: number, perImage: number, eitherSign: boolean): { r: number[]; flipped: number } {
  const r: number[] = [];
  let flipped = 0;
  for (let i = 0; i < images; i++) {
    const a = Array.prototype.slice.call(ours, i * perImage, (i + 1) * perImage) as number[];
    const nb = minMaxRelu(Array.prototype.slice.call(ref, i * perImage, (i + 1) * perImage) as number[]);
    if (isConstant(nb)) { r.push(NaN); continue; }
    let best = pearson(minMaxRelu(a), nb);
    if (eitherSign) {
      const other = pearson(minMaxRelu(a.map((x) => -x)), nb);
      if (other > best) { best = other; flipped++; }
    }
    r.push(best);
  }
  return { r, flipped };
}

export function methodRaw(method: CamMethod, ctx: HarnessContext): Float32Array {
  const t = tf.tidy(() => rawCam(method, ctx));
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

const cases = VARIANTS.flatMap((v) => MODES.flatMap((mode) => Object.keys(REF_NAME).map((id) => [v, mode, id] as const)));

describe.each(cases)('%s / %s / %s', (variant, mode, id) => {
  it('low-res map matches pytorch-grad-cam (r ≥ 0.999)', () => {
    const r = refs.get(variant)!;
    const ref = blob(r, (r.json.methods[REF_NAME[id]!]![mode] as unknown as { cam_raw: BlobRef }).cam_raw);
    const ours = methodRaw(getMethod(id), contexts.get(`${variant}/${mode}`)!);
    const { r: rs, flipped } = lowResAgreement(ours, ref, 6, PER_IMAGE, EITHER_SIGN.has(id));
    const compared = rs.filter((x) => !Number.isNaN(x));
    const minR = Math.min(...compared);
    table.push({ variant, mode, id, minR: minR.toFixed(7), oneMinusR: (1 - minR).toExponential(1), compared: compared.length, flipped });
    expect(compared.length).toBeGreaterThanOrEqual(4);
    expect(minR).toBeGreaterThanOrEqual(0.999);
  });
});

describe.each(VARIANTS.flatMap((v) => MODES.map((m) => [v, m] as const)))('%s / %s / refinecam (conv2 + conv3)', (variant, mode) => {
  it('input-resolution output matches pytorch-grad-cam cam_final (r ≥ 0.999)', () => {
    const r = refs.get(variant)!;
    const ref = blob(r, (r.json.methods.RefineCAM![mode] as unknown as { cam_final: BlobRef }).cam_final);
    const ctx = contexts.get(`${variant}/${mode}`)!;
    ctx.gradients(); // fills the context's cache: not a leak
    const before = tf.memory().numTensors;
    const t = refineCamMaps(ctx, ['conv2'], [64, 64]);
    const ours = t.dataSync();
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const rs: number[] = [];
    let maxDiff = 0;
    for (let i = 0; i < 6; i++) {
      const a = ours.subarray(i * 4096, (i + 1) * 4096);
      const b = ref.subarray(i * 4096, (i + 1) * 4096);
      if (isConstant(b)) continue;
      rs.push(pearson(a, b));
      for (let j = 0; j < 4096; j++) maxDiff = Math.max(maxDiff, Math.abs(a[j]! - b[j]!));
    }
    const minR = Math.min(...rs);
    table.push({ variant, mode, id: 'refinecam', minR: minR.toFixed(7), oneMinusR: (1 - minR).toExponential(1), compared: rs.length, flipped: 0 });
    expect(rs.length).toBeGreaterThanOrEqual(4);
    expect(minR).toBeGreaterThanOrEqual(0.999);
  });
});
