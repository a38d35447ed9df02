/**
 * ROAD conformance: with `--road-protocol pgc` and noise 0, our MoRF, LeRF and ROAD-combined scores equal
 * pytorch-grad-cam's (test/fixtures/road-conformance, README there) within 1e-3, for a tiny CNN, four images and
 * five kinds of map — smooth, Grad-CAM, thresholded to the top 10 % / 30 %, binary. The reference names a step
 * by the share it keeps (q); we name it by the share removed, p = 100 − q. The fair protocol is checked to
 * differ where ties decide (the thresholded maps), which is the point of having two.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camMap } from '../../src/core/cam-map.js';
import { floatImage, type FloatImage } from '../../src/evaluate/float-image.js';
import { roadCombined, roadPerturbations } from '../../src/evaluate/road.js';
import type { RoadProtocol } from '../../src/evaluate/road-protocol.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/road-conformance');
const SIZE = 64;
const N = 4;

interface KindRef {
  readonly map: { readonly offset: number; readonly shape: number[] };
  readonly morf: Record<string, number[]>;
  readonly lerf: Record<string, number[]>;
  readonly combined: number[];
}
interface RoadRef {
  readonly percentiles: number[];
  readonly argmax: number[];
  readonly probs: number[][];
  readonly maps: Record<string, KindRef>;
}

const ref = JSON.parse(readFileSync(join(DIR, 'road.json'), 'utf8')) as RoadRef;
const mapsBin = readFileSync(join(DIR, 'maps.bin'));
const rgb = readFileSync(join(DIR, 'images.rgb'));
const images: FloatImage[] = Array.from({ length: N }, (_, i) =>
  floatImage(SIZE, SIZE, 3, Float32Array.from(rgb.subarray(i * SIZE * SIZE * 3, (i + 1) * SIZE * SIZE * 3), (v) => v / 255)));
const mapOf = (kind: string, i: number) => {
  const off = ref.maps[kind]!.map.offset + i * SIZE * SIZE * 4;
  return camMap(SIZE, SIZE, new Float32Array(mapsBin.buffer.slice(mapsBin.byteOffset + off, mapsBin.byteOffset + off + SIZE * SIZE * 4)));
};

let model: tfl.LayersModel;
/** Softmax probability of `cls` for each image. */
async function probs(imgs: readonly FloatImage[], cls: number): Promise<number[]> {
  const x = tf.tensor4d(Float32Array.from(imgs.flatMap((im) => Array.from(im.data))), [imgs.length, SIZE, SIZE, 3]);
  const p = tf.tidy(() => tf.softmax(model.predict(x) as tf.Tensor2D));
  const v = (await p.array()) as number[][];
  tf.dispose([x, p]);
  return v.map((row) => row[cls]!);
}

/** f_c(x̃) − f_c(x) for MoRF and LeRF at each p (share removed), and ROAD-combined, for one image and map. */
async function ours(kind: string, i: number, protocol: RoadProtocol) {
  const percentiles = ref.percentiles.map((q) => 100 - q);
  const { morf, lerf } = roadPerturbations(images[i]!, mapOf(kind, i), { percentiles, protocol, noise: 0, tolerance: 1e-6, seed: i });
  const cls = ref.argmax[i]!;
  const base = ref.probs[i]![cls]!;
  const s = await probs([...morf, ...lerf], cls);
  const m = s.slice(0, percentiles.length);
  const l = s.slice(percentiles.length);
  return { percentiles, morf: m.map((v) => v - base), lerf: l.map((v) => v - base), combined: roadCombined(m, l) };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  const json = JSON.parse(readFileSync(join(DIR, 'model.json'), 'utf8'));
  const bin = readFileSync(join(DIR, json.weightsManifest[0].paths[0]));
  model = await tfl.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  }));
});
afterAll(() => model?.dispose());

describe('ROAD conformance with pytorch-grad-cam (pgc protocol, noise 0)', () => {
  it('the model and images reproduce the reference probabilities', async () => {
    for (let i = 0; i < N; i++) {
      const p = await probs([images[i]!], ref.argmax[i]!);
      expect(Math.abs(p[0]! - ref.probs[i]![ref.argmax[i]!]!)).toBeLessThan(1e-5);
    }
  });

  it.each(Object.keys(ref.maps))('%s maps: MoRF, LeRF and combined within 1e-3', async (kind) => {
    const r = ref.maps[kind]!;
    for (let i = 0; i < N; i++) {
      const o = await ours(kind, i, 'pgc');
      o.percentiles.forEach((p, k) => {
        const q = String(100 - p);
        expect(Math.abs(o.morf[k]! - r.morf[q]![i]!), `${kind} img ${i} MoRF p=${p}`).toBeLessThan(1e-3);
        expect(Math.abs(o.lerf[k]! - r.lerf[q]![i]!), `${kind} img ${i} LeRF p=${p}`).toBeLessThan(1e-3);
      });
      expect(Math.abs(o.combined - r.combined[i]!), `${kind} img ${i} combined`).toBeLessThan(1e-3);
    }
  });

  it('fair differs from pgc on a thresholded map (MoRF no longer removes everything) and agrees on a tie-free one', async () => {
    const pgc = await ours('top10', 0, 'pgc');
    const fair = await ours('top10', 0, 'fair');
    expect(new Set(pgc.morf.map((v) => v.toFixed(6))).size).toBe(1); // every step: everything removed
    expect(new Set(fair.morf.map((v) => v.toFixed(6))).size).toBeGreaterThan(1);
    // Without ties both remove the same pixels up to rounding of the percentile boundary.
    const a = await ours('smooth', 0, 'pgc');
    const b = await ours('smooth', 0, 'fair');
    expect(Math.abs(a.combined - b.combined)).toBeLessThan(0.02);
  });
});
