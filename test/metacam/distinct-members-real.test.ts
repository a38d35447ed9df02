/**
 * Distinct members on real maps: the project's own gradient methods on the conformance fixture models (cpu
 * backend, exact float32), normalised as the engine does. On `gap` (conv3 → global average pool → dense) the
 * gradient at conv3 is constant per channel, so Grad-CAM = HiResCAM = XGrad-CAM; on `deep` (a conv after conv3)
 * it is not, and they differ. Grad-CAM element-wise = LayerCAM wherever the activations are ≥ 0 (after a ReLU).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { camMap, type CamMap } from '../../src/core/cam-map.js';
import { rawCam, normalizeCam } from '../../src/explain/methods/base.js';
import { getMethod } from '../../src/explain/methods/index.js';
import { distinctMembers } from '../../src/metacam/distinct-members.js';
import { createHarnessContext, loadInputs, loadRefs, loadVariantModel, splitAt, type HarnessContext, type Variant } from '../methods/harness.js';

const IDS = ['gradcam', 'gradcam++', 'hirescam', 'gradcam-elementwise', 'xgradcam', 'layercam'];
const maps = new Map<Variant, Record<string, CamMap>[]>();
let minActivation = Infinity;
/** Tensors left behind by computing and normalising the maps, per variant. */
const leaked: number[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const input = loadInputs();
  for (const v of ['gap', 'deep'] as Variant[]) {
    const model = await loadVariantModel(v);
    const ctx: HarnessContext = createHarnessContext(splitAt(model, 'conv3'), input, loadRefs(v).json.argmax);
    // The context caches the gradients and gradients ⊙ activations once; what the maps leave behind is counted.
    ctx.gradientsTimesActivations();
    const before = tf.memory().numTensors;
    const min = tf.min(ctx.activations);
    minActivation = Math.min(minActivation, (await min.data())[0]!);
    min.dispose();
    const [n, h, w] = [input.shape[0], ctx.activations.shape[1], ctx.activations.shape[2]];
    const perImage: Record<string, CamMap>[] = Array.from({ length: n }, () => ({}));
    for (const id of IDS) {
      const t = tf.tidy(() => normalizeCam(rawCam(getMethod(id), ctx)));
      const data = (await t.data()) as Float32Array;
      t.dispose();
      for (let i = 0; i < n; i++) perImage[i]![id] = camMap(w, h, data.slice(i * h * w, (i + 1) * h * w));
    }
    maps.set(v, perImage);
    leaked.push(tf.memory().numTensors - before);
    ctx.dispose();
    model.dispose();
  }
  input.dispose();
});

describe('distinctMembers on real maps', () => {
  it('computing the maps leaks no tensor', () => {
    expect(leaked).toEqual([0, 0]);
  });

  it('the fixture activations are ≥ 0 (after a ReLU), so Grad-CAM element-wise = LayerCAM is expected', () => {
    expect(minActivation).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['gap', ['gradcam', 'gradcam++', 'gradcam-elementwise'], { hirescam: 'gradcam', xgradcam: 'gradcam', layercam: 'gradcam-elementwise' }],
    ['deep', ['gradcam', 'gradcam++', 'hirescam', 'gradcam-elementwise', 'xgradcam'], { layercam: 'gradcam-elementwise' }],
  ] as const)('%s: distinct %j, merged %j on every image', (v, distinct, merged) => {
    for (const [i, frame] of maps.get(v as Variant)!.entries()) {
      const r = distinctMembers(IDS, frame);
      expect(r.distinct, `image ${i}`).toEqual(distinct);
      expect(Object.fromEntries(r.merged.map((m) => [m.id, m.into])), `image ${i}`).toEqual(merged);
      for (const m of r.merged) {
        expect(m.reason).toBe('identical-map');
        expect(m.maxDifference).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it('on deep, the maps it keeps apart really differ (far above the tolerance)', () => {
    for (const frame of maps.get('deep')!) {
      let diff = 0;
      for (let p = 0; p < frame.gradcam!.data.length; p++) diff = Math.max(diff, Math.abs(frame.gradcam!.data[p]! - frame.hirescam!.data[p]!));
      expect(diff).toBeGreaterThan(1e-3);
    }
  });
});
