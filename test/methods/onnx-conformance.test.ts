/**
 * ONNX exports of PyTorch models explained as pytorch-grad-cam explains the PyTorch originals: every method the
 * reference computed (10 on the tiny net, 8 on MobileNetV2), both target modes, every image, Pearson r ≥ 0.999
 * after the reference's minmax(relu(·)) at the layer's resolution, and the same argmax classes. Runs the real
 * engine (openModel → createExplainer) on wasm; no tensor may leak.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/explain/backend/backend.js';
import { createExplainer } from '../../src/explain/engine/explainer.js';
import type { AnyLoadedModel } from '../../src/explain/model/loaded-model.js';
import { getMethods } from '../../src/explain/methods/index.js';
import { openModel } from '../../src/explain/model/model-registry.js';
import type { Frame } from '../../src/core/frame.js';
import { minMaxRelu, pearson } from './harness.js';
import { fixtureFrames, fixturePath, loadOnnxRefs, REF_METHOD, type OnnxFixture, type TargetMode } from './onnx-fixture.js';

const SIGN_FREE = new Set(['eigencam', 'eigengradcam']);
const rows: { model: OnnxFixture; mode: TargetMode; method: string; minR: number }[] = [];

/** r against the reference map, or null when the reference is constant after ReLU (nothing to correlate). */
function agreement(method: string, raw: Float32Array, ours: Float32Array): number | null {
  const ref = minMaxRelu(raw);
  if (Math.max(...ref) === 0) return null;
  let r = pearson(ref, ours);
  if (SIGN_FREE.has(method)) {
    const flipped = minMaxRelu(raw.map((v) => -v));
    if (Math.max(...flipped) > 0) r = Math.max(r, pearson(flipped, ours));
  }
  return r;
}

describe.each(['tiny', 'mnv2'] as const)('ONNX %s reproduces pytorch-grad-cam', (fixture) => {
  const refs = loadOnnxRefs(fixture);
  const methods = Object.keys(REF_METHOD).filter((id) => refs.json.methods[REF_METHOD[id]]);
  let model: AnyLoadedModel;
  let frames: Frame[];
  beforeAll(async () => {
    await selectBackend('wasm');
    const p = refs.json.preprocess;
    model = await openModel(fixturePath(fixture, 'model.onnx'), { inputRange: '0,1', mean: p.mean ?? undefined, std: p.std ?? undefined });
    frames = await fixtureFrames(fixture, refs.json.argmax.length);
  });
  afterAll(() => model.model.dispose());

  it('reads the export: format, input size, classes, and the reference layer among the candidates', () => {
    expect(model.format).toBe('onnx');
    expect(model.labels).toHaveLength(refs.json.logits[0].length);
    expect(model.inputSize).toEqual({ width: refs.json.input_hw[1], height: refs.json.input_hw[0] });
    expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(methods).toHaveLength(fixture === 'tiny' ? 10 : 8);
  });

  it.each(['argmax', 'fixed'] as const)('%s target: every method, every image, r ≥ 0.999, no tensor leak', async (mode) => {
    const before = tf.memory().numTensors;
    const ex = createExplainer({
      model,
      layer: refs.json.target_value,
      methods: getMethods(methods),
      classMode: mode === 'fixed' ? refs.json.fixed_class : 'auto',
      batchSize: frames.length,
      camOptions: { maxChannels: 32, passBatch: 32 },
    });
    const out = await ex.explainBatch(frames);
    ex.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(out.map((o) => o.classIndex)).toEqual(refs.json.target_modes[mode]);
    if (mode === 'argmax') expect(out.map((o) => o.classIndex)).toEqual(refs.json.argmax);
    for (const method of methods) {
      let minR = Infinity;
      let compared = 0;
      out.forEach((o, i) => {
        const r = agreement(method, refMapOf(method, mode, i), o.maps[method].data);
        if (r === null) return;
        compared++;
        minR = Math.min(minR, r);
      });
      rows.push({ model: fixture, mode, method, minR });
      expect(compared, `${method}: images compared`).toBeGreaterThan(0);
      expect(minR, `${method} ${mode}: min r`).toBeGreaterThanOrEqual(0.999);
    }
  });

  function refMapOf(method: string, mode: TargetMode, i: number): Float32Array {
    const r = refs.json.methods[REF_METHOD[method]][mode].cam_raw;
    const per = r.shape[1] * r.shape[2];
    const start = refs.bin.byteOffset + r.offset + i * per * 4;
    return new Float32Array(refs.bin.buffer.slice(start, start + per * 4));
  }
});

afterAll(() => {
  console.log(rows.map((r) => `${r.model.padEnd(5)} ${r.mode.padEnd(7)} ${r.method.padEnd(20)} min r ${r.minR.toFixed(7)} (1 − r = ${(1 - r.minR).toExponential(1)})`).join('\n'));
});
