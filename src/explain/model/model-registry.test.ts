import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelJsonPath } from '../../../test/explain/conformance-fixture.js';
import { patternImage } from '../../../test/explain/frames.js';
import { selectBackend } from '../backend/backend.js';
import { listBundledModels, loadModel } from './model-registry.js';
import { preprocessFrames } from './preprocess.js';

const tmp = mkdtempSync(join(tmpdir(), 'metacam-models-'));
beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bundled models', () => {
  it("lists shapes, shapes-deep, mobilenet-v2 and nsfwjs's graph model and InceptionV3, each available or with a reason", () => {
    const list = listBundledModels();
    expect(list.map((m) => m.name).sort()).toEqual(['inception-v3', 'mobilenet-v2', 'mobilenet-v2-mid', 'shapes', 'shapes-deep']);
    const mnv2 = list.find((m) => m.name === 'mobilenet-v2')!;
    expect(mnv2.available).toBe(true);
    for (const m of list) if (!m.available) expect(m.reason).toMatch(/\S/);
  });

  it('loads mobilenet-v2 from the nsfwjs package (no network) and classifies', async () => {
    const m = await loadModel('mobilenet-v2');
    expect(m.id).toBe('mobilenet-v2');
    expect(m.inputSize).toEqual({ width: 224, height: 224 });
    expect(m.preprocess).toEqual({ range: '0,1', mean: undefined, std: undefined });
    expect(m.labels).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
    expect(m.outputIsSoftmax).toBe(true);
    expect(m.files).toHaveLength(2);
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    const x = preprocessFrames([patternImage(224, 224, 1), patternImage(224, 224, 2)], m.inputSize, m.preprocess);
    const p = m.model.predict(x) as tf.Tensor2D;
    expect(p.shape).toEqual([2, 5]);
    const v = await p.data();
    for (let i = 0; i < 2; i++) {
      const row = Array.from(v.slice(i * 5, i * 5 + 5));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(Math.max(...row)).toBeGreaterThan(0.2); // a real, trained classifier, not uniform noise
    }
    tf.dispose([x, p]);
    m.model.dispose();
  });

  it('an unknown name is E_MODEL_NOT_FOUND listing the bundled names', async () => {
    await expect(loadModel('resnet-50')).rejects.toMatchObject({
      code: 'E_MODEL_NOT_FOUND',
      message: expect.stringMatching(/shapes.*mobilenet-v2|mobilenet-v2.*shapes/),
    });
  });

  it('a path that does not exist is E_MODEL_NOT_FOUND', async () => {
    await expect(loadModel(join(tmp, 'missing', 'model.json'))).rejects.toMatchObject({ code: 'E_MODEL_NOT_FOUND' });
  });
});

describe("a user's model.json", () => {
  it('takes preprocessing from options and labels from labels.json beside it', async () => {
    const dir = join(tmp, 'user');
    mkdirSync(dir);
    for (const f of ['model.json', 'group1-shard1of1.bin']) copyFileSync(join(dirname(modelJsonPath('gap')), f), join(dir, f));
    writeFileSync(join(dir, 'labels.json'), JSON.stringify(['a', 'b', 'c', 'd', 'e']));
    const m = await loadModel(join(dir, 'model.json'), { inputRange: '-1,1', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
    expect(m.id).toBe(join(dir, 'model.json'));
    expect(m.inputSize).toEqual({ width: 64, height: 64 });
    expect(m.labels).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(m.preprocess).toEqual({ range: '-1,1', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
    expect(m.outputIsSoftmax).toBe(false);
    m.model.dispose();
  });

  it('reads labels, input range and target layer from a meta.json beside it (the shapes format)', async () => {
    const dir = join(tmp, 'meta');
    mkdirSync(dir);
    for (const f of ['model.json', 'group1-shard1of1.bin']) copyFileSync(join(dirname(modelJsonPath('gap')), f), join(dir, f));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ labels: ['v', 'w', 'x', 'y', 'z'], inputSize: [64, 64], inputRange: [-1, 1], targetLayer: 'conv2' }));
    const m = await loadModel(join(dir, 'model.json'));
    expect(m.labels).toEqual(['v', 'w', 'x', 'y', 'z']);
    expect(m.preprocess.range).toBe('-1,1');
    expect(m.defaultLayer).toBe('conv2');
    expect(m.files.map((f) => f.split('/').pop())).toEqual(['model.json', 'group1-shard1of1.bin', 'meta.json']);
    m.model.dispose();
  });

  it('without labels gets class 0..C-1', async () => {
    const m = await loadModel(modelJsonPath('deep'));
    expect(m.labels).toEqual(['class 0', 'class 1', 'class 2', 'class 3', 'class 4']);
    m.model.dispose();
  });

  it('a model without a classifier head is E_MODEL_INVALID', async () => {
    const dir = join(tmp, 'headless');
    mkdirSync(dir);
    copyFileSync(join(dirname(modelJsonPath('gap')), 'group1-shard1of1.bin'), join(dir, 'group1-shard1of1.bin'));
    const json = JSON.parse(readFileSync(modelJsonPath('gap'), 'utf8'));
    json.modelTopology.config.layers = json.modelTopology.config.layers.slice(0, 4); // ends at conv3: 4-D output
    json.weightsManifest[0].weights = json.weightsManifest[0].weights.slice(0, 6);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModel(join(dir, 'model.json'))).rejects.toMatchObject({ code: 'E_MODEL_INVALID', message: expect.stringMatching(/classifier head/) });
  });
});
