/**
 * The worker-thread explainer gives the in-process explainer's maps, its errors keep their codes, and a worker
 * session loads the model in the worker only (this thread holds no model tensors) yet knows its facts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/pipeline/session.js';
import { resolveModelSettings } from '../../src/explain/model/model-settings.js';
import { createWorkerExplainer, type WorkerExplainer } from '../../src/explain/engine/worker-explainer.js';
import { decodeFrames } from '../../src/ingest/decode-frames.js';
import type { Frame } from '../../src/core/frame.js';
import { ROOT } from '../helpers/cli.js';

let session: Session;
let worker: WorkerExplainer;
let frames: Frame[];

beforeAll(async () => {
  session = await openSession({ model: 'shapes', backend: 'wasm', batch: 4, methods: ['gradcam', 'eigencam', 'layercam', 'fullgrad'] });
  ({ explainer: worker } = await createWorkerExplainer({ settings: session.settings, methods: session.members.map((m) => m.id) }));
  frames = await lastValueFrom(decodeFrames(`${ROOT}samples/shapes/clip.mp4`, session.model.inputSize).pipe(take(4), toArray()));
}, 120_000);

afterAll(() => {
  worker?.dispose();
  session?.dispose();
});

it('returns the same classes, probabilities and maps as the in-process explainer', async () => {
  const [a, b] = await Promise.all([session.explainer.explainBatch(frames), worker.explainBatch(frames)]);
  expect(b.map((m) => m.index)).toEqual(a.map((m) => m.index));
  expect(b.map((m) => m.classIndex)).toEqual(a.map((m) => m.classIndex));
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    for (let c = 0; c < a[i]!.probabilities.length; c++) worst = Math.max(worst, Math.abs(a[i]!.probabilities[c]! - b[i]!.probabilities[c]!));
    for (const id of Object.keys(a[i]!.maps)) {
      const x = a[i]!.maps[id]!.data;
      const y = b[i]!.maps[id]!.data;
      expect(y.length).toBe(x.length);
      for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j]! - y[j]!));
    }
  }
  expect(worst).toBeLessThan(1e-5);
  // The caller's frames are intact (only copies crossed to the worker).
  expect(frames[0]!.input.data.byteLength).toBe(64 * 64 * 3);
}, 120_000);

it('a failing start keeps its error code', async () => {
  await expect(createWorkerExplainer({ settings: resolveModelSettings({ model: 'no-such-model', backend: 'wasm' }), methods: ['gradcam'] }))
    .rejects.toMatchObject({ code: 'E_MODEL_NOT_FOUND' });
}, 120_000);

it('a worker session loads the model in the worker only, and reports its facts and backend', async () => {
  const before = tf.memory().numTensors;
  const w = await openSession({ model: 'shapes', backend: 'wasm', batch: 4, methods: ['gradcam', 'eigencam', 'layercam', 'fullgrad'] }, { worker: true });
  try {
    expect(w.engine).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    expect(w.model).toEqual(session.model);
    expect(w.backend.name).toBe('wasm');
    expect({ layer: w.explainer.layer, shape: w.explainer.activationShape, labels: w.explainer.labels })
      .toEqual({ layer: session.explainer.layer, shape: session.explainer.activationShape, labels: session.explainer.labels });
    const maps = await w.explainer.explainBatch(frames.slice(0, 1));
    expect(maps[0]!.classIndex).toBe((await session.explainer.explainBatch(frames.slice(0, 1)))[0]!.classIndex);
  } finally {
    w.dispose();
  }
}, 120_000);

it('a worker session that cannot open its model keeps the error code', async () => {
  await expect(openSession({ model: 'no-such-model', backend: 'wasm' }, { worker: true })).rejects.toMatchObject({ code: 'E_MODEL_NOT_FOUND' });
}, 120_000);
