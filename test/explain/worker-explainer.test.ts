/** The worker-thread explainer gives the in-process explainer's maps, and its errors keep their codes. */
import { lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/pipeline/session.js';
import { createWorkerExplainer, type WorkerExplainer } from '../../src/explain/worker-explainer.js';
import { decodeFrames } from '../../src/ingest/decode-frames.js';
import type { Frame } from '../../src/ingest/frame.js';
import { ROOT } from '../helpers/cli.js';

let session: Session;
let worker: WorkerExplainer;
let frames: Frame[];

beforeAll(async () => {
  session = await openSession({ model: 'shapes', backend: 'wasm', batch: 4, methods: ['gradcam', 'eigencam', 'layercam', 'fullgrad'] });
  worker = await createWorkerExplainer({
    backend: 'wasm', model: 'shapes', modelOptions: {}, layer: session.explainer.layer, methods: session.members.map((m) => m.id),
    classMode: 'auto', batchSize: 4, camOptions: {},
  }, session.explainer);
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
  await expect(createWorkerExplainer({
    backend: 'wasm', model: 'no-such-model', modelOptions: {}, layer: 'x', methods: ['gradcam'], classMode: 'auto', batchSize: 1, camOptions: {},
  }, session.explainer)).rejects.toMatchObject({ code: 'E_MODEL_NOT_FOUND' });
}, 120_000);
