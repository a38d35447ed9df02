/**
 * End to end: the gradients of the shapes CNN's training loss (stride-2 conv, batch-norm in training mode,
 * max-pool, global average pooling, softmax cross-entropy) for every trainable weight, on wasm with
 * registerWasmGradientKernels() against the cpu backend, ≤ 1e-4 relative.
 */
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from '../../src/explain/backend/wasm-kernels/index.js';
import { buildShapesModel } from '../../samples/shapes/model-def.js';
import { generateStills } from '../../samples/shapes/stills.js';
import { relErr } from './backend-compare.js';

it('shapes CNN weight gradients on wasm match cpu', async () => {
  registerWasmGradientKernels();
  const set = generateStills(5, 2, 32);
  const byBackend: Record<string, Map<string, Float32Array>> = {};
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const model = buildShapesModel({ inputSize: 32, seed: 3 });
    const x = tf.tensor4d(set.pixels, [2, 32, 32, 3]);
    const y = tf.oneHot(tf.tensor1d(set.labels, 'int32'), 5);
    const { value, grads } = tf.variableGrads(() =>
      tf.losses.softmaxCrossEntropy(y, tf.log(tf.clipByValue(model.apply(x, { training: true }) as tf.Tensor, 1e-7, 1))) as tf.Scalar);
    // Variable names get a suffix per model instance: key by layer/weight without it.
    byBackend[backend] = new Map(Object.entries(grads).map(([k, g]) => [k.replace(/_\d+$/, ''), Float32Array.from(g.dataSync())]));
    tf.dispose([x, y, value, ...Object.values(grads)]);
    model.dispose();
  }
  const cpu = byBackend.cpu!, wasm = byBackend.wasm!;
  expect([...wasm.keys()].sort()).toEqual([...cpu.keys()].sort());
  expect(cpu.size).toBe(13);
  for (const [name, g] of cpu) expect(relErr(wasm.get(name)!, g), name).toBeLessThanOrEqual(1e-4);
});
