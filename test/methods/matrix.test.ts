/**
 * The whole registry (and fused multi-layer LayerCAM) on the conformance "deep" model, cpu backend: shape,
 * range [0,1] after normalisation, no NaN, tensor count flat across repeated calls. Also checks the harness's
 * interpreter against the split model (same activations and gradients at the target layer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { METHODS, createLayerCam, createRefineCam } from '../../src/explain/methods/index.js';
import { rawCam } from '../../src/explain/methods/base.js';
import { createHarnessContext, loadInputs, loadVariantModel, maxAbs, maxAbsDiff, splitAt, type HarnessContext } from './harness.js';
import { checkMethod } from './matrix-helpers.js';

let input: tf.Tensor4D;
let ctx: HarnessContext;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const all = loadInputs();
  input = tf.slice(all, 0, 2);
  all.dispose();
  ctx = createHarnessContext(splitAt(await loadVariantModel('deep'), 'conv3'), input, [4, 2], { maxChannels: 4, passBatch: 3 });
});
afterAll(() => {
  ctx.dispose();
  input.dispose();
});

describe('registry matrix on the deep fixture (cpu, batch 2, budget 4 channels)', () => {
  it.each(METHODS.map((m) => [m.id, m] as const))('%s', async (_, method) => checkMethod(method, ctx));

  it('layercam fused with conv2 (64×64 → area-averaged to 32×32)', async () => {
    await checkMethod(createLayerCam({ layers: ['conv2'] }), ctx);
  });

  it('refinecam over conv2 (64×64) and the target layer: product at 64×64, area-averaged to 32×32', async () => {
    await checkMethod(createRefineCam({ layers: ['conv2'] }), ctx);
  });

  it('fused layercam differs from single-layer layercam, and fusing the target layer with itself does not', () => {
    const [single, fused, self] = tf.tidy(() => [
      rawCam(createLayerCam(), ctx), rawCam(createLayerCam({ layers: ['conv2'] }), ctx), rawCam(createLayerCam({ layers: ['conv3'] }), ctx),
    ]);
    const norm = (t: tf.Tensor) => tf.tidy(() => tf.div(tf.sub(t, tf.min(t, [1, 2], true)), tf.add(tf.max(tf.sub(t, tf.min(t, [1, 2], true)), [1, 2], true), 1e-7)));
    const [s, f, o] = [norm(tf.relu(single)), norm(fused), norm(self)];
    expect(maxAbsDiff(s.dataSync(), f.dataSync())).toBeGreaterThan(0.05);
    expect(maxAbsDiff(s.dataSync(), o.dataSync())).toBeLessThan(1e-5);
    tf.dispose([single, fused, self, s, f, o]);
  });

  it('harness interpreter agrees with the split model at the target layer', () => {
    const [got] = ctx.model.layerActivationsAndGradients!(['conv3'], input, ctx.classes);
    expect(maxAbsDiff(got.activations.dataSync(), ctx.activations.dataSync())).toBeLessThan(1e-5);
    const g = ctx.gradients().dataSync();
    expect(maxAbsDiff(got.gradients.dataSync(), g) / maxAbs(g)).toBeLessThan(1e-4);
    tf.dispose([got.activations, got.gradients]);
  });

});
