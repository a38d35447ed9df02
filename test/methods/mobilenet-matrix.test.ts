/**
 * The whole registry on the bundled mobilenet-v2 (nsfwjs Keras MobileNetV2, target out_relu 7×7×1280), through
 * the explain core's own loader, split and CamContext, on the wasm backend (with the project's extra wasm
 * gradient kernels): batch 2, channel budget 4. Shape, range, no NaN, tensor count flat.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/explain/backend/backend.js';
import { createCamContext, type OwnedCamContext } from '../../src/explain/engine/cam-context.js';
import { loadModel } from '../../src/explain/model/model-registry.js';
import { splitModel } from '../../src/explain/model/split-model.js';
import { METHODS } from '../../src/explain/methods/index.js';
import { loadInputs } from './harness.js';
import { checkMethod } from './matrix-helpers.js';

let ctx: OwnedCamContext;

beforeAll(async () => {
  await selectBackend('wasm');
  const loaded = await loadModel('mobilenet-v2');
  const split = splitModel(loaded.model);
  const input = tf.tidy(() => tf.image.resizeBilinear(tf.slice(loadInputs(), 0, 2), [224, 224], false, true));
  ctx = createCamContext(split, input, 'argmax', { maxChannels: 4, passBatch: 8 });
});
afterAll(() => ctx?.dispose());

describe('registry matrix on mobilenet-v2 (wasm, batch 2, budget 4)', () => {
  it.each(METHODS.map((m) => [m.id, m] as const))('%s', async (_, method) => checkMethod(method, ctx, 1));
});
