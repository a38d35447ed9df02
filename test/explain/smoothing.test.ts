/**
 * --aug-smooth and --eigen-smooth through the engine (cpu backend, the conformance "deep" model): the
 * augmented map equals its re-derivation from the building blocks (six contexts: flip × scale 0.9/1/1.1, each
 * member map ReLU + min-max, flipped back, mean, min-max); eigen-smooth equals the principal projection of the
 * weighted terms and leaves a method without terms (Eigen-CAM) alone; nothing leaks; both are off by default.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/explain/backend/backend.js';
import { createCamContext } from '../../src/explain/engine/cam-context.js';
import { AUG_SMOOTH_TRANSFORMS, createExplainer } from '../../src/explain/engine/explainer.js';
import type { LoadedModel } from '../../src/explain/model/loaded-model.js';
import { loadModel } from '../../src/explain/model/model-registry.js';
import { preprocessFrames } from '../../src/explain/model/preprocess.js';
import { getMethods } from '../../src/explain/methods/index.js';
import { minMaxPerFrame, normalizeCam, rawCam, weightedTerms } from '../../src/explain/methods/base.js';
import { principalProjection } from '../../src/explain/methods/principal-projection.js';
import type { ModelSplit } from '../../src/explain/model/split-model.js';
import { modelJsonPath } from './conformance-fixture.js';
import { makeFrames } from './frames.js';

let small: LoadedModel;
beforeAll(async () => {
  await selectBackend('cpu');
  small = await loadModel(modelJsonPath('deep'));
});
afterAll(() => small.model.dispose());

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('smoothing options', () => {
  it('the six augmentations are flip × scale 0.9/1/1.1', () => {
    expect(AUG_SMOOTH_TRANSFORMS).toHaveLength(6);
    expect(new Set(AUG_SMOOTH_TRANSFORMS.map((t) => `${t.flip}/${t.scale}`)).size).toBe(6);
  });

  it('--aug-smooth: the mean of the six flipped-back member maps, min-max normalised; no leak', async () => {
    const methods = getMethods(['gradcam', 'eigencam']);
    const plain = createExplainer({ model: small, methods, optimize: false, classMode: 2 });
    const aug = createExplainer({ model: small, methods, optimize: false, classMode: 2, augSmooth: true });
    const frames = makeFrames(2, 64, 64);
    await aug.explainBatch(frames);
    const before = tf.memory().numTensors;
    const [got, base] = [await aug.explainBatch(frames), await plain.explainBatch(frames)];
    expect(tf.memory().numTensors).toBe(before);
    const input = preprocessFrames(frames.map((f) => f.input), small.inputSize, small.preprocess);
    for (const m of methods) {
      const want = tf.tidy(() => {
        let sum: tf.Tensor3D | undefined;
        for (const { flip, scale } of AUG_SMOOTH_TRANSFORMS) {
          const ctx = createCamContext(aug.split as ModelSplit, tf.mul(flip ? tf.reverse(input, 2) : input, scale) as tf.Tensor4D, [2, 2]);
          try {
            const map = normalizeCam(rawCam(m, ctx));
            const back = flip ? tf.reverse(map, 2) : map;
            sum = sum ? (tf.add(sum, back) as tf.Tensor3D) : back;
          } finally {
            ctx.dispose();
          }
        }
        return minMaxPerFrame(sum!);
      });
      const w = want.dataSync();
      want.dispose();
      const ours = Float32Array.from([...got[0]!.maps[m.id]!.data, ...got[1]!.maps[m.id]!.data]);
      expect(maxAbsDiff(ours, w), m.id).toBeLessThan(1e-4);
      const plainMaps = Float32Array.from([...base[0]!.maps[m.id]!.data, ...base[1]!.maps[m.id]!.data]);
      expect(maxAbsDiff(ours, plainMaps), `${m.id}: smoothing changes the map`).toBeGreaterThan(1e-3);
    }
    input.dispose();
    plain.dispose();
    aug.dispose();
  });

  it('--eigen-smooth: Grad-CAM becomes the principal projection of w_k·A_k; Eigen-CAM is unchanged', async () => {
    const methods = getMethods(['gradcam', 'eigencam', 'layercam']);
    const plain = createExplainer({ model: small, methods, optimize: false });
    const eigen = createExplainer({ model: small, methods, optimize: false, eigenSmooth: true });
    const frames = makeFrames(2, 64, 64);
    const [a, b] = [await eigen.explainBatch(frames), await plain.explainBatch(frames)];
    const input = preprocessFrames(frames.map((f) => f.input), small.inputSize, small.preprocess);
    const ctx = createCamContext(eigen.split as ModelSplit, input, [a[0]!.classIndex, a[1]!.classIndex]);
    const want = tf.tidy(() => normalizeCam(principalProjection(weightedTerms(methods[0]!.weights!(ctx), ctx.activations))));
    const viaRawCam = tf.tidy(() => normalizeCam(rawCam(methods[0]!, ctx, { eigenSmooth: true })));
    const w = want.dataSync();
    const ours = Float32Array.from([...a[0]!.maps.gradcam!.data, ...a[1]!.maps.gradcam!.data]);
    expect(maxAbsDiff(ours, w)).toBeLessThan(1e-4);
    expect(maxAbsDiff(viaRawCam.dataSync(), w)).toBeLessThan(1e-6);
    expect(maxAbsDiff(ours, [...b[0]!.maps.gradcam!.data, ...b[1]!.maps.gradcam!.data])).toBeGreaterThan(1e-3);
    expect(maxAbsDiff([...a[0]!.maps.eigencam!.data], [...b[0]!.maps.eigencam!.data])).toBeLessThan(1e-6);
    expect(maxAbsDiff([...a[0]!.maps.layercam!.data], [...b[0]!.maps.layercam!.data])).toBeGreaterThan(1e-3);
    tf.dispose([want, viaRawCam]);
    ctx.dispose();
    plain.dispose();
    eigen.dispose();
  });
});

describe('channel terms sum to the map', () => {
  it.each(['hirescam', 'gradcam-elementwise', 'layercam'])('%s', async (id) => {
    const e = createExplainer({ model: small, methods: getMethods([id]), optimize: false });
    const frames = makeFrames(1, 64, 64);
    const input = preprocessFrames(frames.map((f) => f.input), small.inputSize, small.preprocess);
    const ctx = createCamContext(e.split as ModelSplit, input, [1]);
    const [m] = getMethods([id]);
    const [map, sum] = tf.tidy(() => [m!.map!(ctx), tf.sum(m!.channels!(ctx), 3)]);
    expect(maxAbsDiff(map.dataSync(), sum.dataSync())).toBeLessThan(1e-5);
    tf.dispose([map, sum]);
    ctx.dispose();
    e.dispose();
  });
});
