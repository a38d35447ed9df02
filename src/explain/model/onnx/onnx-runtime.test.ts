/**
 * The ONNX runtime's whole-model gradients (what FullGrad and multi-layer LayerCAM read), on the tiny export,
 * cpu backend (its MaxPool gradient is exact): the gradient at the target value through probes equals the
 * head-only gradient of the split; FullGrad's inputs have the right shapes and FullGrad's map is sound; nothing
 * leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/backend.js';
import { createExplainer } from '../../engine/explainer.js';
import { getMethods } from '../../methods/index.js';
import { isModelRuntime, type ModelRuntime } from '../model-runtime.js';
import { openModel } from '../model-registry.js';
import { targetScores } from '../../engine/target-scores.js';
import { fixtureFrames, fixturePath } from '../../../../test/methods/onnx-fixture.js';

let runtime: ModelRuntime;
const TARGET = '/b3/b3.2/Relu_output_0';

beforeAll(async () => {
  await selectBackend('cpu');
  const m = await openModel(fixturePath('tiny', 'model.onnx'));
  if (!isModelRuntime(m.model)) throw new Error('expected a runtime');
  runtime = m.model;
});
afterAll(() => runtime.dispose());

describe('ONNX runtime gradients', () => {
  it('layerActivationsAndGradients at the target = the split head gradient; several layers in one pass', () => {
    const before = tf.memory().numTensors;
    const split = runtime.split('b3');
    expect(split.target.name).toBe(TARGET);
    // the same layer by its value name, its node name and its full module path
    for (const name of [TARGET, '/b3/b3.2/Relu', 'b3.2']) expect(runtime.split(name).target).toEqual({ name: TARGET, shape: [32, 32, 32] });
    const x = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const cls = [1, 4];
    const layers = split.access.layerActivationsAndGradients!([TARGET, '/b1/b1.2/Relu_output_0'], x, cls);
    const [a, g] = tf.tidy(() => {
      const act = split.runBody(x);
      return [act, tf.grad((v: tf.Tensor) => tf.sum(targetScores(split.runHead(v as tf.Tensor4D), cls)))(act)];
    });
    expect(layers.map((l) => l.activations.shape)).toEqual([[2, 32, 32, 32], [2, 64, 64, 8]]);
    expect(layers[1].gradients.shape).toEqual([2, 64, 64, 8]);
    const d = (p: tf.Tensor, q: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]);
    expect(d(layers[0].activations, a)).toBeLessThan(1e-5);
    expect(d(layers[0].gradients, g)).toBeLessThan(1e-6);
    expect(tf.tidy(() => tf.max(tf.abs(layers[1].gradients)).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([x, a, g, ...layers.flatMap((l) => [l.activations, l.gradients])]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('FullGrad: an input gradient and one bias gradient per biased Conv; the map is finite, in [0,1], leak-free', async () => {
    const split = runtime.split(TARGET);
    const x = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const fg = split.access.biasGradients!(x, [2]);
    expect(fg.inputGradient.shape).toEqual([1, 64, 64, 3]);
    expect(fg.layers.map((l) => [l.name, l.gradient.shape[3], l.bias.shape[0]])).toEqual([
      ['/b1/b1.0/Conv_output_0', 8, 8], ['/b2/b2.0/Conv_output_0', 16, 16], ['/b3/b3.0/Conv_output_0', 32, 32], ['/conv4/Conv_output_0', 32, 32],
    ]);
    tf.dispose([fg.inputGradient, ...fg.layers.flatMap((l) => [l.bias, l.gradient])]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    const m = await openModel(fixturePath('tiny', 'model.onnx'));
    const ex = createExplainer({ model: m, layer: TARGET, methods: getMethods(['fullgrad', 'layercam']), batchSize: 2 });
    const [out] = await ex.explainBatch((await fixtureFrames('tiny', 1)));
    for (const map of Object.values(out.maps)) {
      expect(map.data.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
      expect(Math.max(...map.data)).toBeCloseTo(1, 5);
    }
    ex.dispose();
    m.model.dispose();
  });
});

describe('ONNX model lifetime', () => {
  it('dispose() frees every tensor the model made (converted weights included) and is safe twice', async () => {
    const before = tf.memory().numTensors;
    const m = await openModel(fixturePath('mnv2', 'model.onnx'));
    const split = (m.model as ModelRuntime).split('features.18');
    tf.tidy(() => {
      split.runHead(split.runBody(tf.zeros([1, 224, 224, 3])));
    });
    expect(tf.memory().numTensors).toBeGreaterThan(before); // weights converted and kept
    // A residual block's inside is bypassed by its skip connection; the block itself is a candidate.
    expect(() => (m.model as ModelRuntime).split('features.16.conv')).toThrow(/module 'features\.16\.conv' is bypassed by a skip connection/);
    expect((m.model as ModelRuntime).split('features.16').target.name).toBe('/features/features.16/Add_output_0');
    m.model.dispose();
    m.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
