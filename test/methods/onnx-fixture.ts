/** The ONNX conformance fixture (test/fixtures/onnx-conformance, see its README): models, images, reference maps. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../../src/core/frame.js';
import { readImage } from '../../src/ingest/image-io.js';

export const ONNX_FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/onnx-conformance');

export type OnnxFixture = 'tiny' | 'mnv2';
export type TargetMode = 'argmax' | 'fixed';

export interface OnnxRefs {
  readonly target_value: string;
  readonly torch_module: string;
  readonly argmax: number[];
  readonly logits: number[][];
  readonly input_hw: [number, number];
  readonly fixed_class: number;
  readonly target_modes: Record<TargetMode, number[]>;
  readonly preprocess: { input_range: [number, number]; mean: [number, number, number] | null; std: [number, number, number] | null };
  readonly methods: Record<string, Record<TargetMode, { cam_raw: { offset: number; shape: [number, number, number] } }>>;
}

/** Our method id → the reference's class name. */
export { REF_NAME as REF_METHOD } from './reference-names.js';

export const fixturePath = (f: OnnxFixture, name: string): string => join(ONNX_FIXTURE_DIR, f, name);

export function loadOnnxRefs(f: OnnxFixture): { json: OnnxRefs; bin: Buffer } {
  return { json: JSON.parse(readFileSync(fixturePath(f, 'refs.json'), 'utf8')) as OnnxRefs, bin: readFileSync(fixturePath(f, 'refs.bin')) };
}


/** The fixture's PNGs as frames (they are already at the model's input size). */
export async function fixtureFrames(f: OnnxFixture, count: number): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const image = await readImage(fixturePath(f, `img${i}.png`));
    frames.push({ index: i, ptsSeconds: i, image, input: image });
  }
  return frames;
}
