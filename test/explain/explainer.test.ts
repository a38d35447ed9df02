/**
 * The engine end to end on real models: shapes and ranges of the maps, ordering and partial-batch flush of the
 * RxJS operator, and no tensor leaks across 50 frames on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { firstValueFrom, from, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/explain/backend/backend.js';
import { explainFrames } from '../../src/explain/engine/explain-frames.js';
import { createExplainer } from '../../src/explain/engine/explainer.js';
import type { LoadedModel } from '../../src/explain/model/loaded-model.js';
import type { CamMethod } from '../../src/explain/methods/types.js';
import { gradCam } from '../../src/explain/methods/gradcam.js';
import { loadModel } from '../../src/explain/model/model-registry.js';
import { modelJsonPath } from './conformance-fixture.js';
import { makeFrames } from './frames.js';

/** A map method with no gradient (channel mean), to exercise the `map` path. */
const meanMap: CamMethod = {
  id: 'mean-activation',
  title: 'mean activation',
  paper: '-',
  group: 'eigen',
  needsGradients: false,
  perChannelPasses: false,
  cost: '1 fwd',
  map: (ctx) => tf.mean(ctx.activations, 3) as tf.Tensor3D,
};

let mobilenet: LoadedModel;
let small: LoadedModel;
beforeAll(async () => {
  await selectBackend('wasm');
  mobilenet = await loadModel('mobilenet-v2');
  small = await loadModel(modelJsonPath('deep'));
});
afterAll(() => {
  mobilenet.model.dispose();
  small.model.dispose();
});

describe('createExplainer', () => {
  it('mobilenet-v2: maps at 7×7 in [0,1], probabilities, class argmax, per-stage timings', async () => {
    const explainer = createExplainer({ model: mobilenet, methods: [gradCam, meanMap] });
    expect(explainer.layer).toBe('out_relu');
    expect(explainer.activationShape).toEqual([7, 7, 1280]);
    const frames = makeFrames(3, 224, 224);
    const out = await explainer.explainBatch(frames);
    explainer.dispose();
    expect(out.map((f) => f.index)).toEqual([0, 1, 2]);
    for (const f of out) {
      expect(f.probabilities).toHaveLength(5);
      expect(f.classIndex).toBe(Array.from(f.probabilities).indexOf(Math.max(...f.probabilities)));
      for (const id of ['gradcam', 'mean-activation']) {
        const m = f.maps[id];
        expect([m.width, m.height, m.data.length]).toEqual([7, 7, 49]);
        expect(Math.min(...m.data)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...m.data)).toBeLessThanOrEqual(1);
        expect(m.data.some(Number.isNaN)).toBe(false);
      }
      for (const k of ['preprocess', 'forward', 'gradients', 'gradcam', 'mean-activation']) expect(f.timings[k]).toBeGreaterThanOrEqual(0);
    }
  });

  it('the optimised and the plain forward give the same maps', async () => {
    const frames = makeFrames(2, 224, 224, 10);
    const a = createExplainer({ model: mobilenet, methods: [gradCam], optimize: true });
    const b = createExplainer({ model: mobilenet, methods: [gradCam], optimize: false });
    const [ra, rb] = [await a.explainBatch(frames), await b.explainBatch(frames)];
    a.dispose();
    b.dispose();
    for (let i = 0; i < 2; i++) {
      expect(ra[i].classIndex).toBe(rb[i].classIndex);
      const d = ra[i].maps['gradcam'].data.map((v, j) => Math.abs(v - rb[i].maps['gradcam'].data[j]));
      expect(Math.max(...d)).toBeLessThan(1e-3);
    }
  });

  it('tf.memory().numTensors is flat across 50 frames (mobilenet-v2, wasm)', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const explainer = createExplainer({ model: mobilenet, methods: [gradCam, meanMap], batchSize: 8 });
    await explainer.explainBatch(makeFrames(2, 224, 224)); // warm-up (kernel caches)
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for (let start = 0; start < 50; start += 10) {
      await explainer.explainBatch(makeFrames(10, 224, 224, start));
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual(counts.map(() => before));
    explainer.dispose();
    explainer.dispose(); // idempotent
  });

  it('an unknown layer is E_LAYER_NOT_FOUND; an explainer used after dispose throws', async () => {
    expect(() => createExplainer({ model: small, layer: 'conv9', methods: [gradCam] })).toThrow(
      expect.objectContaining({ code: 'E_LAYER_NOT_FOUND', message: "layer 'conv9' not found; spatial layers: conv1, conv2, pool, conv3, conv4" }),
    );
    const e = createExplainer({ model: small, methods: [gradCam] });
    e.dispose();
    await expect(e.explainBatch(makeFrames(1, 64, 64))).rejects.toThrow(/after dispose/);
  });

  it('a method returning the wrong shape is reported by id, and nothing leaks', async () => {
    const bad: CamMethod = { ...meanMap, id: 'bad', map: (ctx) => tf.zeros([1, 2, 2]) as tf.Tensor3D };
    const e = createExplainer({ model: small, methods: [bad] });
    const before = tf.memory().numTensors;
    await expect(e.explainBatch(makeFrames(2, 64, 64))).rejects.toThrow(/method 'bad' returned a map \[1,2,2\], expected \[2,32,32\]/);
    expect(tf.memory().numTensors).toBe(before);
    e.dispose();
  });
});

describe('explainFrames (RxJS)', () => {
  it('batches, flushes the last partial batch, and keeps order', async () => {
    const explainer = createExplainer({ model: small, methods: [gradCam] });
    const calls: number[] = [];
    const spy = { batchSize: 4, explainBatch: (b: Parameters<typeof explainer.explainBatch>[0]) => (calls.push(b.length), explainer.explainBatch(b)) };
    const frames = makeFrames(11, 64, 64);
    const out = await firstValueFrom(from(frames).pipe(explainFrames(spy), toArray()));
    explainer.dispose();
    expect(calls).toEqual([4, 4, 3]);
    expect(out.map((o) => o.frame.index)).toEqual(frames.map((f) => f.index));
    expect(out.every((o) => o.maps.index === o.frame.index && o.frame === frames[o.frame.index])).toBe(true);
    expect(out[10].maps.maps['gradcam'].width).toBe(32);
  });
});
