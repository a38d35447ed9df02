/**
 * The three model formats side by side: the bundled TF.js graph model (nsfwjs MobileNetV2, 'mobilenet-v2-mid')
 * and InceptionV3 (299×299) are listed, inspected and explain the sample video; `models inspect` works for a
 * LayersModel, a graph model and an ONNX export; a graph model's head gradient is the true derivative
 * (central differences) and its split reproduces the model's own output.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/explain/backend/backend.js';
import { isModelRuntime } from '../../src/explain/model/model-runtime.js';
import { openModel } from '../../src/explain/model/model-registry.js';
import { targetScores } from '../../src/explain/engine/target-scores.js';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../methods/onnx-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('metacam models', () => {
  it('lists the graph model and InceptionV3 with format, input size and labels', async () => {
    const r = await runCli(['models', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const models = JSON.parse(r.stdout) as { name: string; available: boolean; format: string; inputSize: { width: number }; labels: string[] }[];
    const by = new Map(models.map((m) => [m.name, m]));
    expect(by.get('mobilenet-v2-mid')).toMatchObject({ available: true, format: 'tfjs-graph', inputSize: { width: 224, height: 224 }, labels: ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] });
    expect(by.get('inception-v3')).toMatchObject({ available: true, format: 'tfjs-layers', inputSize: { width: 299, height: 299 } });
  });

  it.each([
    ['shapes', 'tfjs-layers', /^conv/, 5],
    ['mobilenet-v2-mid', 'tfjs-graph', /MobilenetV2\/Conv_1\/Relu6$/, 5],
    [fixturePath('mnv2', 'model.onnx'), 'onnx', /^\/features\/features\.18\/features\.18\.2\/Clip_output_0$/, 10],
  ] as const)('models inspect %s: format, default layer among the candidates', async (model, format, layer, classes) => {
    const r = await runCli(['models', 'inspect', model, '--json', '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    const i = JSON.parse(r.stdout) as { format: string; defaultLayer: string; layers: { name: string; shape: number[] }[]; labels: string[]; sha256: string };
    expect(i.format).toBe(format);
    expect(i.defaultLayer).toMatch(layer);
    expect(i.layers.map((l) => l.name)).toContain(i.defaultLayer);
    expect(i.labels).toHaveLength(classes);
    expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('models inspect of a missing model is E_MODEL_NOT_FOUND, exit 2', async () => {
    const r = await runCli(['models', 'inspect', join(dir, 'nope.onnx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error E_MODEL_NOT_FOUND:');
  });
});

describe.each(['mobilenet-v2-mid', 'inception-v3'])('metacam explain --model %s', (model) => {
  it('writes an explained video of the sample', async () => {
    const out = join(dir, `${model}.mp4`);
    const r = await runCli(['explain', 'samples/sample.mp4', '--model', model, '--max-frames', '4', '-o', out, '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});

describe('graph model split (in process, wasm)', () => {
  it('softmax(head(body(x))) is the model output, and the head gradient matches central differences', async () => {
    await selectBackend('wasm');
    const m = await openModel('mobilenet-v2-mid');
    const runtime = m.model;
    if (!isModelRuntime(runtime)) throw new Error('expected a runtime model');
    const before = tf.memory().numTensors;
    const split = runtime.split();
    const x = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const cls = [1, 3];
    const { diff, analytic, numeric } = tf.tidy(() => {
      const a = split.runBody(x);
      const diff = tf.max(tf.abs(tf.sub(tf.softmax(split.runHead(a)), runtime.predict(x)))).dataSync()[0];
      const score = (v: tf.Tensor4D): tf.Scalar => tf.sum(targetScores(split.runHead(v), cls));
      const g = tf.grad((v: tf.Tensor) => score(v as tf.Tensor4D))(a);
      const d = tf.randomNormal(a.shape, 0, 1, 'float32', 11);
      const eps = 1e-2;
      const numeric = (score(tf.add(a, tf.mul(d, eps)) as tf.Tensor4D).dataSync()[0] - score(tf.sub(a, tf.mul(d, eps)) as tf.Tensor4D).dataSync()[0]) / (2 * eps);
      return { diff, analytic: tf.sum(tf.mul(g, d)).dataSync()[0], numeric };
    });
    x.dispose();
    expect(diff).toBeLessThan(1e-5);
    expect(Math.abs(analytic - numeric)).toBeLessThan(1e-2 * Math.max(1, Math.abs(numeric)));
    expect(tf.memory().numTensors).toBe(before);
    m.model.dispose();
  });
});

describe('a graph model with control flow', () => {
  it('is refused with E_MODEL_UNSUPPORTED naming the op and node, exit 2, nothing written', async () => {
    // The smallest graph with a conditional: Switch on a boolean input, then Merge (no weights).
    const graphDir = join(dir, 'control-flow');
    mkdirSync(graphDir);
    const dims = [-1, 8, 8, 3].map((size) => ({ size: String(size) }));
    writeFileSync(join(graphDir, 'model.json'), JSON.stringify({
      format: 'graph-model',
      modelTopology: {
        node: [
          { name: 'input', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: dims } } } },
          { name: 'pred', op: 'Placeholder', attr: { dtype: { type: 'DT_BOOL' }, shape: { shape: {} } } },
          { name: 'sw', op: 'Switch', input: ['input', 'pred'], attr: { T: { type: 'DT_FLOAT' } } },
          { name: 'out', op: 'Merge', input: ['sw', 'sw:1'], attr: { T: { type: 'DT_FLOAT' }, N: { i: '2' } } },
        ],
        versions: { producer: 1 },
      },
      weightsManifest: [],
    }));
    const out = join(dir, 'control-flow.png');
    const r = await runCli(['image', fixturePath('mnv2', 'img0.png'), '--model', join(graphDir, 'model.json'), '-o', out, '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('error E_MODEL_UNSUPPORTED:');
    expect(r.stderr).toMatch(/control flow \('Switch' at node 'sw'\), which cannot be differentiated/);
    expect(existsSync(out)).toBe(false);
  });
});
