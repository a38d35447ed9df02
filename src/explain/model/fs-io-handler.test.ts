import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelJsonPath, conformanceRefs, conformanceInputs, maxAbsDiff } from '../../../test/explain/conformance-fixture.js';
import { selectBackend } from '../backend/backend.js';
import { fsIOHandler, readModelFiles } from './fs-io-handler.js';

const tmp = mkdtempSync(join(tmpdir(), 'metacam-io-'));
beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fsIOHandler', () => {
  it('loads the conformance model from disk and reproduces the reference logits', async () => {
    const model = await tfl.loadLayersModel(fsIOHandler(modelJsonPath('gap')));
    expect(model.layers.map((l) => l.name)).toEqual(['conv1', 'conv2', 'pool', 'conv3', 'gap', 'logits']);
    const x = conformanceInputs();
    const y = model.predict(x) as tf.Tensor;
    const { refs } = conformanceRefs('gap');
    expect(maxAbsDiff(await y.data(), refs.logits.flat())).toBeLessThan(1e-4);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('lists model.json and each shard as files (for hashing)', () => {
    const { files, artifacts } = readModelFiles(modelJsonPath('deep'));
    expect(files.map((f) => f.split('/').slice(-2).join('/'))).toEqual(['deep/model.json', 'deep/group1-shard1of1.bin']);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(61780);
  });

  it.each([
    ['not JSON', 'model.json', '{nope', 'E_MODEL_INVALID', /not JSON/],
    ['a graph model', 'model.json', JSON.stringify({ format: 'graph-model', modelTopology: {} }), 'E_MODEL_INVALID', /GraphModel/],
    ['no topology', 'model.json', JSON.stringify({ weightsManifest: [] }), 'E_MODEL_INVALID', /modelTopology/],
  ])('%s → %s', async (_name, file, text, code, msg) => {
    const dir = mkdtempSync(join(tmp, 'm-'));
    writeFileSync(join(dir, file), text);
    await expect(tfl.loadLayersModel(fsIOHandler(join(dir, file)))).rejects.toMatchObject({ code, message: expect.stringMatching(msg) });
  });

  it('a missing shard is E_MODEL_INVALID naming the shard', () => {
    const dir = mkdtempSync(join(tmp, 'shard-'));
    copyFileSync(modelJsonPath('gap'), join(dir, 'model.json'));
    expect(() => readModelFiles(join(dir, 'model.json'))).toThrow(/group1-shard1of1\.bin/);
    try {
      readModelFiles(join(dir, 'model.json'));
    } catch (e) {
      expect((e as { code: string }).code).toBe('E_MODEL_INVALID');
    }
  });

  it('a missing model.json is E_MODEL_NOT_FOUND', () => {
    expect(() => readModelFiles(join(tmp, 'nope', 'model.json'))).toThrow(expect.objectContaining({ code: 'E_MODEL_NOT_FOUND' }));
  });
});
