/**
 * Does a second wasm backend in a worker thread pay on this machine? (wasm threads do not run in Node, so a
 * worker is the only way to use the second core for inference.) Measures, on MobileNetV2 with the BN-folded
 * forward, medians of: one thread forwarding a batch of 8, vs the main thread forwarding 4 while a worker
 * forwards the other 4 at the same time (time = until both are done). Prints JSON.
 *   node --import tsx bench/two-worker-forward.ts [reps=7]
 */
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/explain/backend/backend.js';
import { loadModel } from '../src/explain/model/model-registry.js';
import { optimizeForInference } from '../src/explain/model/optimize-inference.js';
import { median, round } from './timing.js';

const reps = Number(process.argv[2] ?? 7);
await selectBackend('wasm');
const loaded = await loadModel('mobilenet-v2');
const optimized = optimizeForInference(loaded.model);
const { width, height } = loaded.inputSize;
// `--import tsx` does not reach worker threads on Node 20: register tsx's loader inside the worker first.
const workerUrl = new URL('./forward-worker.ts', import.meta.url).href;
const worker = new Worker(
  `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); });`,
  { eval: true },
);
try {
  const replies: ((v: { ms: number }) => void)[] = [];
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { ready?: boolean; ms?: number }) => {
      if (m.ready) resolve();
      else replies.shift()?.(m as { ms: number });
    });
  });
  const inWorker = (n: number): Promise<{ ms: number }> => new Promise((resolve) => {
    replies.push(resolve);
    worker.postMessage({ n });
  });
  const here = async (n: number): Promise<number> => {
    const x = tf.randomUniform([n, height, width, 3]) as tf.Tensor4D;
    const t0 = performance.now();
    const y = optimized.predict(x);
    await y.data();
    const ms = performance.now() - t0;
    y.dispose();
    x.dispose();
    return ms;
  };
  // Warm-up both engines at both batch sizes.
  await here(8);
  await here(4);
  await inWorker(4);
  const single: number[] = [];
  const dual: number[] = [];
  const mainHalf: number[] = [];
  const workerHalf: number[] = [];
  for (let i = 0; i < reps; i++) {
    single.push(await here(8));
    // Each half alone: if the two halves together take their sum, nothing ran in parallel.
    mainHalf.push(await here(4));
    workerHalf.push((await inWorker(4)).ms);
    const t0 = performance.now();
    // The worker starts first (its forward runs on its own thread); the main thread's forward is synchronous.
    const w = inWorker(4);
    await here(4);
    await w;
    dual.push(performance.now() - t0);
  }
  const s = median(single);
  const d = median(dual);
  process.stdout.write(`${JSON.stringify({
    model: 'mobilenet-v2', backend: 'wasm', reps, cores: os.cpus().length, loadAverage: os.loadavg().map((l) => round(l, 2)),
    oneThreadBatch8Ms: round(s, 1), twoThreads4plus4Ms: round(d, 1),
    mainHalfAloneMs: round(median(mainHalf), 1), workerHalfAloneMs: round(median(workerHalf), 1),
    oneThreadFps: round(8000 / s, 2), twoThreadsFps: round(8000 / d, 2), speedup: round(s / d, 3),
    samples: { single: single.map((v) => round(v, 0)), dual: dual.map((v) => round(v, 0)) },
  })}\n`);
} finally {
  worker.postMessage({ close: true });
  await worker.terminate();
  optimized.dispose();
  loaded.model.dispose();
}
