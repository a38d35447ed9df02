/**
 * The committed testbed models (models/shapes, models/shapes-deep) load from disk with tf.io.fromMemory, match
 * their meta.json, expose `conv_last` (shapes: the last 4-D layer before global pooling; shapes-deep: followed by
 * `conv_head`, so the class score is not linear in it), and classify a freshly generated held-out set (a seed
 * used neither for training nor for the held-out figure in meta.json) at ≥ 95%.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadLayersModelFromDir } from '../../samples/shapes/model-files.js';
import { SHAPE_LABELS } from '../../samples/shapes/shape-geometry.js';
import { generateStills } from '../../samples/shapes/stills.js';
import { accuracy, TRAIN_DEFAULTS, VARIANT_DEFAULTS } from '../../samples/shapes/train.js';

const FRESH_SEED = 4242;

describe.each([
  { variant: 'gap' as const, lastSpatial: 'conv_last' },
  { variant: 'deep' as const, lastSpatial: 'conv_head' },
])('committed $variant testbed model', ({ variant, lastSpatial }) => {
  const modelDir = new URL(`../../${VARIANT_DEFAULTS[variant].dir}/`, import.meta.url).pathname;
  let model: tf.LayersModel;

  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    model = await loadLayersModelFromDir(modelDir);
  });
  afterAll(() => model?.dispose());

  it('meta.json describes labels, input and training', () => {
    const meta = JSON.parse(readFileSync(`${modelDir}meta.json`, 'utf8'));
    expect(meta.labels).toEqual([...SHAPE_LABELS]);
    expect(meta.inputSize).toEqual([64, 64]);
    expect(meta.inputRange).toEqual([0, 1]);
    expect(meta.heldOutAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(meta.name).toBe(VARIANT_DEFAULTS[variant].name);
    expect(meta.targetLayer).toBe('conv_last');
    expect(meta.trainedWith.seed).toBe(TRAIN_DEFAULTS.seed);
    expect(meta.trainedWith.epochs).toBe(VARIANT_DEFAULTS[variant].epochs);
    expect(model.inputs[0]!.shape).toEqual([null, 64, 64, 3]);
    expect(model.outputs[0]!.shape).toEqual([null, SHAPE_LABELS.length]);
  });

  it(`${lastSpatial} is the last 4-D output before global pooling; conv_last is 8×8×64`, () => {
    const names = model.layers.map((l) => l.name);
    const gap = names.indexOf('gap');
    expect(gap).toBeGreaterThan(0);
    const spatial = model.layers.slice(0, gap).filter((l) => (l.outputShape as number[]).length === 4);
    expect(spatial.at(-1)!.name).toBe(lastSpatial);
    expect(model.getLayer('conv_last').outputShape).toEqual([null, 8, 8, 64]);
  });

  it(`reaches ≥ 95% on ${500} fresh held-out stills (seed ${FRESH_SEED}) without leaking tensors`, async () => {
    expect(FRESH_SEED).not.toBe(TRAIN_DEFAULTS.seed);
    expect(FRESH_SEED).not.toBe(TRAIN_DEFAULTS.heldOutSeed);
    const set = generateStills(FRESH_SEED, 500, 64);
    const before = tf.memory().numTensors;
    const acc = await accuracy(model, set);
    expect(tf.memory().numTensors).toBe(before);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });
});
