import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceInputs, modelJsonPath } from '../../../test/explain/conformance-fixture.js';
import { patternImage } from '../../../test/explain/frames.js';
import { selectBackend } from '../backend/backend.js';
import type { LoadedModel } from './loaded-model.js';
import { loadModel } from './model-registry.js';
import { optimizeForInference } from './optimize-inference.js';
import { preprocessFrames } from './preprocess.js';

async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

let mobilenet: LoadedModel;
beforeAll(async () => {
  await selectBackend('wasm');
  mobilenet = await loadModel('mobilenet-v2');
});
afterAll(() => mobilenet.model.dispose());

describe('optimizeForInference', () => {
  it('mobilenet-v2: folds every BN and ReLU6 and matches the unoptimised class scores to 1e-4', async () => {
    const opt = optimizeForInference(mobilenet, { keep: ['out_relu'] });
    expect(opt.foldedBatchNorms).toBe(52); // every BatchNormalization of MobileNetV2
    expect(opt.fusedActivations).toBe(35); // every ReLU6
    expect(opt.foldedPaddings).toBe(5); // every ZeroPadding2D before a stride-2 conv
    const x = preprocessFrames([1, 2, 3, 4].map((s) => patternImage(224, 224, s)), mobilenet.inputSize, mobilenet.preprocess);
    const before = tf.memory().numTensors;
    const [p0, p1, a0, a1] = tf.tidy(() => [
      mobilenet.model.predict(x) as tf.Tensor,
      opt.predict(x),
      tfl.model({ inputs: mobilenet.model.inputs, outputs: mobilenet.model.getLayer('out_relu').output as tfl.SymbolicTensor }).predict(x) as tf.Tensor,
      opt.runTo('out_relu', x),
    ]);
    expect(await maxDiff(p0, p1)).toBeLessThanOrEqual(1e-4);
    // Activations (ReLU6 range) agree to float rounding too.
    expect(await maxDiff(a0, a1)).toBeLessThan(1e-3);
    tf.dispose([p0, p1, a0, a1]);
    expect(tf.memory().numTensors).toBe(before);
    // Logits (pre-softmax) agree with the linear rebuild of the last layer.
    const [l1, p2] = tf.tidy(() => [opt.logits(x), opt.predict(x)]);
    const sm = tf.softmax(l1);
    expect(await maxDiff(sm, p2)).toBeLessThan(1e-6);
    tf.dispose([x, l1, p2, sm]);
    opt.dispose();
    opt.dispose();
  });

  it('keeps a requested intermediate layer observable (no fusion swallows it)', async () => {
    const opt = optimizeForInference(mobilenet, { keep: ['Conv_1_bn'] });
    const x = preprocessFrames([patternImage(224, 224, 5)], mobilenet.inputSize, mobilenet.preprocess);
    const ref = tfl.model({ inputs: mobilenet.model.inputs, outputs: mobilenet.model.getLayer('Conv_1_bn').output as tfl.SymbolicTensor });
    const [a0, a1] = tf.tidy(() => [ref.predict(x) as tf.Tensor, opt.runTo('Conv_1_bn', x)]);
    expect(a1.shape).toEqual([1, 7, 7, 1280]);
    expect(await maxDiff(a0, a1)).toBeLessThan(1e-3);
    tf.dispose([x, a0, a1]);
    opt.dispose();
  });

  it('the conformance model (conv+relu, pool, dense) is unchanged by fusion', async () => {
    const m = await loadModel(modelJsonPath('deep'));
    const opt = optimizeForInference(m);
    const x = conformanceInputs();
    const [y0, y1] = tf.tidy(() => [m.model.predict(x) as tf.Tensor, opt.predict(x)]);
    expect(await maxDiff(y0, y1)).toBeLessThan(1e-5);
    tf.dispose([x, y0, y1]);
    opt.dispose();
    m.model.dispose();
  });

  it('conv with bias + BN + ReLU, and explicit (non-"same") zero padding, fold exactly', async () => {
    const inp = tfl.input({ shape: [9, 9, 3] });
    const p = tfl.layers.zeroPadding2d({ padding: [[2, 1], [0, 2]] }).apply(inp) as tfl.SymbolicTensor;
    const c = tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, useBias: true, biasInitializer: 'randomNormal' }).apply(p) as tfl.SymbolicTensor;
    const bn = tfl.layers.batchNormalization({ movingMeanInitializer: 'randomNormal', movingVarianceInitializer: 'ones', gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal' }).apply(c) as tfl.SymbolicTensor;
    const r = tfl.layers.reLU().apply(bn) as tfl.SymbolicTensor;
    const d = tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(r) as tfl.SymbolicTensor;
    const bn2 = tfl.layers.batchNormalization({ movingMeanInitializer: 'randomNormal', betaInitializer: 'randomNormal' }).apply(d) as tfl.SymbolicTensor;
    const r2 = tfl.layers.activation({ activation: 'relu6' }).apply(bn2) as tfl.SymbolicTensor;
    const g = tfl.layers.globalAveragePooling2d({}).apply(r2) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 4 }).apply(g) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: inp, outputs: out });
    const opt = optimizeForInference(model);
    expect([opt.foldedBatchNorms, opt.fusedActivations, opt.foldedPaddings]).toEqual([2, 2, 1]);
    const x = tf.randomUniform([2, 9, 9, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const [y0, y1] = tf.tidy(() => [model.predict(x) as tf.Tensor, opt.predict(x)]);
    expect(await maxDiff(y0, y1)).toBeLessThan(1e-5);
    tf.dispose([x, y0, y1]);
    opt.dispose();
    model.dispose();
  });
});
