/**
 * Why: every wasm gradient kernel is checked against the cpu backend's own kernel on the same inputs.
 * `onBackend` runs a function with the given backend active on freshly created tensors and returns plain
 * arrays, so no tensor crosses backends; `relErr` is max |a − b| / max |b|.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { mulberry32 } from '../../src/core/seeded-rng.js';

/** Deterministic values in [−1, 1) (mulberry32), so failures reproduce. */
export function seededValues(n: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = next() * 2 - 1;
  return out;
}

export async function onBackend(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  await tf.ready();
  const outs = tf.tidy(() => {
    const r = fn();
    return Array.isArray(r) ? r : [r];
  });
  const data = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return data;
}

export function relErr(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!)) return Infinity;
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

export function rand(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(shape.reduce((p, d) => p * d, 1), seed), shape);
}

/**
 * Runs `fn` on cpu and on wasm; returns the relative error of wasm's first output against cpu's, and whether a
 * third wasm run left the tensor count where it was (no leak).
 */
export async function compareWithCpu(fn: () => tf.Tensor | tf.Tensor[]): Promise<{ relErr: number; leaked: number }> {
  const [cpu] = await onBackend('cpu', fn);
  const [wasm] = await onBackend('wasm', fn);
  const before = tf.memory().numTensors;
  await onBackend('wasm', fn);
  return { relErr: relErr(wasm!, cpu!), leaked: tf.memory().numTensors - before };
}
