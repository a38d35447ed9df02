/**
 * Worker body for bench/two-worker-forward.ts: its own tfjs engine with its own wasm backend (module state is
 * per worker thread), the same model, BN-folded forward on whatever batch size the parent asks for.
 * Messages: {n, reps} → runs n-frame forwards `reps` times after the parent's go, replies {ms: number[]}.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/explain/backend/backend.js';
import { loadModel } from '../src/explain/model/model-registry.js';
import { optimizeForInference } from '../src/explain/model/optimize-inference.js';

if (!parentPort) throw new Error('forward-worker.ts runs only as a worker thread');
const port = parentPort;
await selectBackend('wasm');
const loaded = await loadModel('mobilenet-v2');
const optimized = optimizeForInference(loaded.model);
const { width, height } = loaded.inputSize;

port.on('message', async (msg: { n: number; close?: boolean }) => {
  if (msg.close) {
    optimized.dispose();
    loaded.model.dispose();
    port.close();
    return;
  }
  const x = tf.randomUniform([msg.n, height, width, 3]) as tf.Tensor4D;
  const t0 = performance.now();
  const y = optimized.predict(x);
  await y.data();
  const ms = performance.now() - t0;
  y.dispose();
  x.dispose();
  port.postMessage({ ms });
});
port.postMessage({ ready: true });
