/**
 * Grad-CAM on a hand-computable toy: features A = the input itself (1×1 identity conv, linear), then GAP and a
 * dense layer W. Then ∂y_c/∂A_kij = W_kc / (h·w), so Grad-CAM's weights are W_kc/(h·w) and its map is the
 * classic CAM Σ_k W_kc A_k up to that positive factor — identical after ReLU + min-max. Asserted against numbers
 * computed here by hand, plus the conformance fixture's reference Grad-CAM (pytorch-grad-cam).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/explain/backend/backend.js';
import { createCamContext } from '../../src/explain/engine/cam-context.js';
import { createExplainer } from '../../src/explain/engine/explainer.js';
import type { LoadedModel } from '../../src/explain/model/loaded-model.js';
import type { CamMethod } from '../../src/explain/methods/types.js';
import { gradCam } from '../../src/explain/methods/gradcam.js';
import { loadModel } from '../../src/explain/model/model-registry.js';
import { splitModel } from '../../src/explain/model/split-model.js';
import { conformanceInputs, conformanceRefs, maxAbsDiff, minMaxRows, modelJsonPath } from './conformance-fixture.js';


// Two channels, three classes: W[k][c].
const W = [
  [1, -2, 0.5],
  [-1, 3, 0.25],
];
const B = [0.1, -0.2, 0.3];

function toyModel(): LoadedModel {
  const inp = tfl.input({ shape: [2, 3, 2] });
  const feat = tfl.layers.conv2d({ filters: 2, kernelSize: 1, useBias: false, name: 'feat', kernelInitializer: 'zeros' });
  const a = feat.apply(inp) as tfl.SymbolicTensor;
  const g = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(a) as tfl.SymbolicTensor;
  const dense = tfl.layers.dense({ units: 3, name: 'cls', activation: 'softmax' });
  const out = dense.apply(g) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: inp, outputs: out });
  feat.setWeights([tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2])]);
  dense.setWeights([tf.tensor2d(W), tf.tensor1d(B)]);
  return { id: 'toy', model, inputSize: { width: 3, height: 2 }, preprocess: { range: '0,255' }, labels: ['a', 'b', 'c'], outputIsSoftmax: true, files: [], sha256: '' };
}

// The two feature channels of one 2×3 frame (the toy's input has 2 channels and A = input).
const A0 = [
  [4, 0, 2],
  [1, 3, 0],
];
const A1 = [
  [0, 5, 1],
  [2, 0, 6],
];

function classicCam(c: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) out.push(W[0][c] * A0[y][x] + W[1][c] * A1[y][x]);
  return out;
}

let toy: LoadedModel;
beforeAll(async () => {
  await selectBackend('wasm');
  toy = toyModel();
});
afterAll(() => toy.model.dispose());

describe('Grad-CAM on a GAP+dense head equals the classic CAM', () => {
  it.each([0, 1, 2])('class %i: weights W_kc/(h·w), map Σ_k W_kc A_k', async (c) => {
    const split = splitModel(toy.model);
    expect(split.target.name).toBe('feat');
    const input = tf.tensor4d(A0.flatMap((row, y) => row.flatMap((v, x) => [v, A1[y][x]])), [1, 2, 3, 2]);
    const ctx = createCamContext(split, input, [c]);
    try {
      const [weights, raw] = tf.tidy(() => {
        const w = gradCam.weights!(ctx);
        return [w, tf.sum(tf.mul(ctx.activations, tf.reshape(w, [1, 1, 1, 2])), 3)];
      });
      expect(maxAbsDiff(await weights.data(), [W[0][c] / 6, W[1][c] / 6])).toBeLessThan(1e-6);
      expect(maxAbsDiff(await raw.data(), classicCam(c).map((v) => v / 6))).toBeLessThan(1e-5);
      // Logits are pre-softmax: x̄·W + b.
      const mean0 = (4 + 0 + 2 + 1 + 3 + 0) / 6;
      const mean1 = (0 + 5 + 1 + 2 + 0 + 6) / 6;
      const logit = mean0 * W[0][c] + mean1 * W[1][c] + B[c];
      expect((await ctx.logits.data())[c]).toBeCloseTo(logit, 5);
      tf.dispose([weights, raw]);
    } finally {
      ctx.dispose();
      split.head.dispose();
    }
  });
});

describe('Grad-CAM on the conformance model matches pytorch-grad-cam', () => {
  it.each([
    ['gap', 'argmax'],
    ['deep', 'argmax'],
    ['deep', 'class2'],
  ] as const)('%s / %s: cam_raw within 1e-4 relative, normalised within 1e-3', async (variant, mode) => {
    const m = await loadModel(modelJsonPath(variant));
    const split = splitModel(m.model, 'conv3');
    const { refs, blob } = conformanceRefs(variant);
    const classes = mode === 'argmax' ? refs.argmax : [2, 2, 2, 2, 2, 2];
    const ctx = createCamContext(split, conformanceInputs(), classes);
    try {
      const raw = tf.tidy(() => tf.sum(tf.mul(ctx.activations, tf.reshape(gradCam.weights!(ctx), [6, 1, 1, 32])), 3));
      const ours = (await raw.data()) as Float32Array;
      raw.dispose();
      const ref = blob(refs.methods.GradCAM[mode].cam_raw);
      const scale = Math.max(...ref.map(Math.abs));
      expect(maxAbsDiff(ours, ref) / scale).toBeLessThan(1e-4);
      expect(maxAbsDiff(minMaxRows(ours, 6), minMaxRows(ref, 6))).toBeLessThan(1e-3);
    } finally {
      ctx.dispose();
      split.head.dispose();
      m.model.dispose();
    }
  });
});

describe('the engine on the toy', () => {
  it('explainBatch returns the normalised classic CAM, the class and probabilities', async () => {
    // 3-channel frames: the toy model takes 2 channels, so wrap it with a 3→2 channel selector in front.
    const inp = tfl.input({ shape: [2, 3, 3] });
    const pick = tfl.layers.conv2d({ filters: 2, kernelSize: 1, useBias: false, name: 'pick', trainable: false });
    const picked = pick.apply(inp) as tfl.SymbolicTensor;
    const a = toy.model.getLayer('feat').apply(picked) as tfl.SymbolicTensor;
    const g = toy.model.getLayer('gap').apply(a) as tfl.SymbolicTensor;
    const out = toy.model.getLayer('cls').apply(g) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: inp, outputs: out });
    pick.setWeights([tf.tensor4d([1, 0, 0, 1, 0, 0], [1, 1, 3, 2])]);
    const loaded: LoadedModel = { ...toy, model };
    const data = new Uint8Array(2 * 3 * 3);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) data.set([A0[y][x], A1[y][x], 99], (y * 3 + x) * 3);
    const image = { width: 3, height: 2, data };
    for (const classMode of ['auto', 0] as const) {
      const explainer = createExplainer({ model: loaded, layer: 'feat', methods: [gradCam], classMode });
      const [fm] = await explainer.explainBatch([{ index: 7, ptsSeconds: 0.28, image, input: image }]);
      explainer.dispose();
      const logits = [0, 1, 2].map((c) => (10 / 6) * W[0][c] + (14 / 6) * W[1][c] + B[c]);
      const expectedClass = classMode === 'auto' ? logits.indexOf(Math.max(...logits)) : 0;
      expect(fm.index).toBe(7);
      expect(fm.classIndex).toBe(expectedClass);
      const z = logits.map(Math.exp);
      const sum = z.reduce((s, v) => s + v, 0);
      expect(maxAbsDiff(fm.probabilities, z.map((v) => v / sum))).toBeLessThan(1e-5);
      const map = fm.maps['gradcam'];
      expect([map.width, map.height]).toEqual([3, 2]);
      expect(maxAbsDiff(map.data, minMaxRows(Float32Array.from(classicCam(expectedClass)), 1))).toBeLessThan(1e-5);
      expect(Object.keys(fm.timings)).toEqual(expect.arrayContaining(['preprocess', 'forward', 'gradients', 'gradcam']));
    }
  });

  it('a fixed class out of range is E_CLASS_OUT_OF_RANGE', () => {
    expect(() => createExplainer({ model: toy, methods: [gradCam], classMode: 3 })).toThrow(
      expect.objectContaining({ code: 'E_CLASS_OUT_OF_RANGE', message: expect.stringMatching(/3 classes \(0\.\.2/) }),
    );
  });
});
