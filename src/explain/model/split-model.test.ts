import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceInputs, modelJsonPath } from '../../../test/explain/conformance-fixture.js';
import { patternImage } from '../../../test/explain/frames.js';
import { selectBackend } from '../backend/backend.js';
import type { LoadedModel } from './loaded-model.js';
import { buildModelGraph } from './model-graph.js';
import { loadModel } from './model-registry.js';
import { preprocessFrames } from './preprocess.js';
import { splitModel } from './split-model.js';
import { candidateLayers } from './target-layer.js';

let mobilenet: LoadedModel;
let conformance: LoadedModel;
beforeAll(async () => {
  await selectBackend('wasm');
  mobilenet = await loadModel('mobilenet-v2');
  conformance = await loadModel(modelJsonPath('deep'));
});
afterAll(() => {
  mobilenet.model.dispose();
  conformance.model.dispose();
});

async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

describe('default target layer', () => {
  it.each([
    ['mobilenet-v2', () => mobilenet, 'out_relu', [7, 7, 1280]],
    ['conformance (deep)', () => conformance, 'conv4', [32, 32, 32]],
  ])('%s → %s', (_n, get, layer, shape) => {
    const split = splitModel(get().model);
    expect(split.target.name).toBe(layer);
    expect(split.target.shape).toEqual(shape);
    split.head.dispose();
  });

  it('the gap conformance model defaults to conv3 (its documented target)', async () => {
    const gap = await loadModel(modelJsonPath('gap'));
    const split = splitModel(gap.model);
    expect(split.target.name).toBe('conv3');
    split.head.dispose();
    gap.model.dispose();
  });
});

describe('softmax(head(body(x))) equals model.predict(x)', () => {
  it('mobilenet-v2 at out_relu (head rebuilt without softmax: logits)', async () => {
    const split = splitModel(mobilenet.model);
    expect(split.outputIsSoftmax).toBe(true);
    const x = preprocessFrames([patternImage(224, 224, 3), patternImage(224, 224, 4)], mobilenet.inputSize, mobilenet.preprocess);
    const [a, logits, viaSplit, direct] = tf.tidy(() => {
      const act = split.body.predict(x) as tf.Tensor;
      const l = split.head.predict(act) as tf.Tensor;
      return [act, l, tf.softmax(l), mobilenet.model.predict(x) as tf.Tensor];
    });
    expect(a.shape).toEqual([2, 7, 7, 1280]);
    // Logits, not probabilities: rows do not sum to 1.
    const rowSum = Array.from(await logits.data()).slice(0, 5).reduce((s, v) => s + v, 0);
    expect(Math.abs(rowSum - 1)).toBeGreaterThan(1e-3);
    expect(await maxDiff(viaSplit, direct)).toBeLessThan(1e-6);
    tf.dispose([x, a, logits, viaSplit, direct]);
    split.head.dispose();
  });

  it.each(['conv2', 'pool', 'conv3', 'conv4'])('conformance model split at %s', async (layer) => {
    const split = splitModel(conformance.model, layer);
    expect(split.outputIsSoftmax).toBe(false);
    const x = conformanceInputs();
    const [viaSplit, direct] = tf.tidy(() => [split.head.predict(split.body.predict(x) as tf.Tensor) as tf.Tensor, conformance.model.predict(x) as tf.Tensor]);
    expect(await maxDiff(viaSplit, direct)).toBeLessThan(1e-5);
    tf.dispose([x, viaSplit, direct]);
    split.head.dispose();
  });

  it('a DAG with a residual add splits at a layer every path crosses, and not inside the skip', async () => {
    const inp = tfl.input({ shape: [8, 8, 3] });
    const c1 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }).apply(inp) as tfl.SymbolicTensor;
    const c2 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c2' }).apply(c1) as tfl.SymbolicTensor;
    const add = tfl.layers.add({ name: 'res' }).apply([c1, c2]) as tfl.SymbolicTensor;
    const c3 = tfl.layers.conv2d({ filters: 6, kernelSize: 1, activation: 'relu', name: 'c3' }).apply(add) as tfl.SymbolicTensor;
    const gap = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(c3) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(gap) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: inp, outputs: out });
    expect(candidateLayers(buildModelGraph(model)).map((s) => s.layer.name)).toEqual(['c1', 'res', 'c3']);
    for (const layer of ['c1', 'res', 'c3']) {
      const split = splitModel(model, layer);
      const x = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 7);
      const [viaSplit, direct] = tf.tidy(() => [tf.softmax(split.head.predict(split.body.predict(x) as tf.Tensor) as tf.Tensor), model.predict(x) as tf.Tensor]);
      expect(await maxDiff(viaSplit, direct)).toBeLessThan(1e-6);
      tf.dispose([x, viaSplit, direct]);
      split.head.dispose();
    }
    expect(() => splitModel(model, 'c2')).toThrow(expect.objectContaining({ code: 'E_LAYER_NOT_FOUND', message: expect.stringMatching(/bypassed.*c1, res, c3/) }));
    model.dispose();
  });
});

describe('--layer validation', () => {
  it('a wrong name lists the candidate spatial layers', () => {
    let err: unknown;
    try {
      splitModel(mobilenet.model, 'conv9');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'E_LAYER_NOT_FOUND' });
    const msg = (err as Error).message;
    expect(msg).toMatch(/^layer 'conv9' not found; spatial layers: /);
    expect(msg).toMatch(/block_16_project_BN, Conv_1, Conv_1_bn, out_relu$/);
    expect(msg).not.toMatch(/average_pooling2d_1|dense_3/);
  });

  it.each([
    ['mobilenet-v2', () => mobilenet, 'dense_1'],
    ['mobilenet-v2', () => mobilenet, 'average_pooling2d_1'], // 1×1 output: pooled, not spatial
    ['conformance', () => conformance, 'gap'],
  ])('%s: %s is E_LAYER_NOT_SPATIAL', (_n, get, layer) => {
    expect(() => splitModel(get().model, layer)).toThrow(expect.objectContaining({ code: 'E_LAYER_NOT_SPATIAL', message: expect.stringMatching(/spatial layers: /) }));
  });
});
