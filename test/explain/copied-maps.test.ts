/**
 * Members whose maps must be equal are computed once (CamMethod.sameAs + engine/batch-facts.ts): on `shapes`
 * (global average pool → dense) HiResCAM and XGrad-CAM are copied from Grad-CAM and LayerCAM from Grad-CAM
 * element-wise; on `shapes-deep` (a conv after the target layer: the gradient varies in space) only LayerCAM is.
 * Each copied map equals the map the method computes on its own, no tensor is left behind, and with
 * --eigen-smooth nothing is copied.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/core/frame.js';
import { decodeFrames } from '../../src/ingest/decode-frames.js';
import { openSession } from '../../src/pipeline/session.js';
import { ROOT } from '../helpers/cli.js';

const GRADIENT_MEMBERS = ['gradcam', 'hirescam', 'gradcam-elementwise', 'xgradcam', 'layercam'];

async function frames(size: { width: number; height: number }): Promise<Frame[]> {
  return lastValueFrom(decodeFrames(`${ROOT}samples/shapes/heldout.mp4`, size).pipe(take(4), toArray()));
}

async function mapsOf(model: string, methods: string[], extra: { eigenSmooth?: boolean } = {}) {
  const session = await openSession({ model, backend: 'wasm', batch: 4, methods, ...extra });
  try {
    const before = tf.memory().numTensors;
    const out = await session.explainer.explainBatch(await frames(session.model.inputSize));
    return { out, leaked: tf.memory().numTensors - before };
  } finally {
    session.dispose();
  }
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe.each([
  ['shapes', { hirescam: 'gradcam', xgradcam: 'gradcam', layercam: 'gradcam-elementwise' }],
  ['shapes-deep', { layercam: 'gradcam-elementwise' }],
])('on %s', (model, expected) => {
  it('copies exactly the maps the head makes equal, and each copy equals the map computed on its own', async () => {
    const { out, leaked } = await mapsOf(model, GRADIENT_MEMBERS);
    expect(leaked).toBe(0);
    for (const f of out) expect(f.copied).toEqual(expected);
    for (const id of Object.keys(expected)) {
      const alone = (await mapsOf(model, [id])).out;
      alone.forEach((f, i) => expect(maxDifference(f.maps[id]!.data, out[i]!.maps[id]!.data)).toBeLessThan(1e-5));
    }
  }, 120_000);
});

it('copies nothing with --eigen-smooth (each member projects its own terms)', async () => {
  const { out } = await mapsOf('shapes', GRADIENT_MEMBERS, { eigenSmooth: true });
  for (const f of out) expect(f.copied).toBeUndefined();
}, 120_000);
