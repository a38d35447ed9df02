/**
 * Reads test/fixtures/cam-conformance (reference CAMs from pytorch-grad-cam; layout in its README): the tiny
 * LayersModels ('gap' and 'deep'), the 6 input images, and reference blobs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'cam-conformance');

export type Variant = 'gap' | 'deep';

export function modelJsonPath(variant: Variant): string {
  return variant === 'gap' ? join(FIXTURE_DIR, 'model.json') : join(FIXTURE_DIR, 'deep', 'model.json');
}

/** Inputs [6,64,64,3] float32 in [0,1]. */
export function conformanceInputs(): tf.Tensor4D {
  const buf = readFileSync(join(FIXTURE_DIR, 'inputs.bin'));
  return tf.tensor4d(new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice(), [6, 64, 64, 3]);
}

interface BlobRef {
  offset: number;
  shape: number[];
  dtype: 'float32' | 'uint16_unorm';
}

export interface Refs {
  logits: number[][];
  argmax: number[];
  methods: Record<string, Record<string, { cam_raw: BlobRef; weights?: number[][] }>>;
  target_layer_activations_nhwc?: BlobRef;
}

export function conformanceRefs(variant: Variant): { refs: Refs; blob: (ref: BlobRef) => Float32Array } {
  const dir = variant === 'gap' ? FIXTURE_DIR : join(FIXTURE_DIR, 'deep');
  const refs = JSON.parse(readFileSync(join(dir, 'refs.json'), 'utf8')) as Refs;
  const bin = readFileSync(join(dir, 'refs.bin'));
  const blob = (ref: BlobRef): Float32Array => {
    const n = ref.shape.reduce((a, b) => a * b, 1);
    if (ref.dtype === 'float32') return new Float32Array(bin.buffer, bin.byteOffset + ref.offset, n).slice();
    const u = new Uint16Array(bin.buffer, bin.byteOffset + ref.offset, n);
    return Float32Array.from(u, (v) => v / 65535);
  };
  return { refs, blob };
}

/** Per-row min-max of a flat array split into n rows (the reference normalisation). */
export function minMaxRows(values: Float32Array, n: number): Float32Array {
  const per = values.length / n;
  const out = new Float32Array(values.length);
  for (let i = 0; i < n; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < per; j++) {
      const v = Math.max(0, values[i * per + j]);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (let j = 0; j < per; j++) out[i * per + j] = (Math.max(0, values[i * per + j]) - lo) / (hi - lo + 1e-7);
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
