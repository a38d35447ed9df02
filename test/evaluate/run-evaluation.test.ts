/**
 * runEvaluation on the real testbed clip (first frames) with a small model of the testbed's architecture,
 * three members from three groups: the JSON shape, the ranges of every score and of its bootstrap interval,
 * the perturbation metrics on the thresholded and raw maps, CRE over all 7 group subsets, the run without
 * ground truth, and no tensor left behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvaluateArgs } from '../../src/cli/args.js';
import { openSession, type Session } from '../../src/pipeline/session.js';
import { runEvaluation, type EvaluationProgress, type EvaluationResult } from '../../src/evaluate/run-evaluation.js';
import { parseEvaluateCommandArgs, runnableDefaultMembers } from '../../src/cli/commands/evaluate.js';
import { maxPoolGradIsSound } from '../../src/explain/backend/kernel-soundness.js';
import { SHAPES_CLIP, SHAPES_GT, writeFixtureModel } from './fixtures.js';

const FRAMES = 6;
let dir: string;
let session: Session;
let result: EvaluationResult;
let tensorsBefore: number;
let tensorsAfter: number;
const progress: EvaluationProgress[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metacam-eval-'));
  const model = await writeFixtureModel(dir);
  const opts = parseEvaluateArgs([SHAPES_CLIP, '-g', SHAPES_GT, '-m', model, '--methods', 'gradcam,eigencam,scorecam', '--max-channels', '4', '--batch', '4']);
  session = await openSession(opts);
  const run = (maxFrames: number) => runEvaluation(session, {
    input: SHAPES_CLIP, groundTruth: SHAPES_GT, topKs: [10, 30], maxFrames, smoothSeconds: 0.5,
    road: true, roadFrames: 2, cre: true, creFrames: 1,
  }, (p) => progress.push(p));
  await run(1); // warm-up: kernels and lazily built graphs
  progress.length = 0;
  tensorsBefore = tf.memory().numTensors;
  result = await run(FRAMES);
  if (process.env.METACAM_PRINT) console.log(JSON.stringify(result.timings));
  tensorsAfter = tf.memory().numTensors;
}, 240_000);

afterAll(() => {
  session?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('runEvaluation on the shapes clip', () => {
  it('has the documented shape', () => {
    expect(result.frames).toBe(FRAMES);
    expect(result.k).toEqual([10, 30]);
    expect(Object.keys(result.results)).toEqual(['gradcam', 'scorecam', 'eigencam', 'metacam']);
    for (const perK of Object.values(result.results)) expect(Object.keys(perK)).toEqual(['10', '30']);
    expect(result.groups).toEqual(['gradcam', 'perturbation', 'eigen']);
    expect(result.roadFrames).toEqual([0, FRAMES - 1]);
    expect(progress.at(-1)).toEqual({ done: FRAMES, total: FRAMES });
    expect(result.interrupted).toBe(false);
  });

  it('keeps every score in its range', () => {
    const frac = (v: number | undefined) => {
      expect(v).toBeTypeOf('number');
      expect(v!).toBeGreaterThanOrEqual(0);
      expect(v!).toBeLessThanOrEqual(1);
    };
    for (const [id, perK] of Object.entries(result.results)) {
      for (const s of Object.values(perK)) {
        frac(s.pointingGame);
        frac(s.energyInBox);
        frac(s.iou);
        frac(s.flicker);
        for (const v of [s.road, s.roadRaw]) {
          expect(v).toBeTypeOf('number');
          expect(Math.abs(v!)).toBeLessThanOrEqual(0.5);
        }
        for (const v of [s.averageDrop, s.averageDropRaw, s.increaseInConfidence, s.increaseInConfidenceRaw, s.deletionAuc, s.deletionAucRaw,
          s.insertionAuc, s.insertionAucRaw, s.sparseness, s.sparsenessRaw]) frac(v);
        expect(s.roadGain).toBeCloseTo(s.road! - s.roadRaw!, 12);
        expect(Math.abs(s.temporalR!)).toBeLessThanOrEqual(1);
        expect(Math.abs(s.temporalRRaw!)).toBeLessThanOrEqual(1);
        if (id === 'metacam') frac(s.flickerSmoothed);
        else expect(s.flickerSmoothed).toBeUndefined();
        // every mean has its interval beside it, and lies inside it
        for (const [key, mean] of Object.entries(s)) {
          if (key.endsWith('Ci')) continue;
          const ci = (s as Record<string, unknown>)[`${key}Ci`] as [number, number];
          expect(ci, key).toHaveLength(2);
          expect(ci[0]).toBeLessThanOrEqual((mean as number) + 1e-12);
          expect(ci[1]).toBeGreaterThanOrEqual((mean as number) - 1e-12);
        }
      }
    }
    frac(result.modelAccuracy);
    expect(result.roadProtocol).toBe('fair');
  });

  it('scores members raw once (the same at every k) and thresholded per k', () => {
    for (const id of ['gradcam', 'eigencam', 'scorecam']) {
      expect(result.results[id]!['10']!.roadRaw).toBe(result.results[id]!['30']!.roadRaw);
      expect(result.results[id]!['10']!.sparsenessRaw).toBe(result.results[id]!['30']!.sparsenessRaw);
      // a map thresholded to its top 10 % is sparser than its top 30 %
      expect(result.results[id]!['10']!.sparseness!).toBeGreaterThan(result.results[id]!['30']!.sparseness!);
    }
  });

  it('without ground truth scores every frame for its predicted class, box-free metrics only', async () => {
    const r = await runEvaluation(session, { input: SHAPES_CLIP, topKs: [10], maxFrames: 3, road: true, roadFrames: 1, roadProtocol: 'pgc' });
    expect(r.frames).toBe(3);
    expect(r.groundTruth).toBe(false);
    expect(r.modelAccuracy).toBeUndefined();
    expect(r.roadFrames).toEqual([1]);
    expect(r.roadProtocol).toBe('pgc');
    for (const perK of Object.values(r.results)) {
      const s = perK['10']!;
      expect(s.pointingGame).toBeUndefined();
      expect(s.iou).toBeUndefined();
      expect(s.road).toBeTypeOf('number');
      expect(s.sparseness).toBeTypeOf('number');
      expect(s.flicker).toBeTypeOf('number');
    }
  }, 120_000);

  it('scores the streamed MetaCAM’s ROAD (roadSmoothed): with every temporal smoothing off it is the per-frame ROAD', async () => {
    const off = await runEvaluation(session, { input: SHAPES_CLIP, topKs: [10], maxFrames: 4, road: true, roadFrames: 2, smoothSeconds: 0, smoothMaps: 0 });
    const m = off.results.metacam!['10']!;
    expect(m.roadSmoothed).toBeTypeOf('number');
    expect(m.roadSmoothed).toBeCloseTo(m.road!, 12);
    expect(off.results.gradcam!['10']!.roadSmoothed).toBeUndefined();
    const on = await runEvaluation(session, { input: SHAPES_CLIP, topKs: [10], maxFrames: 4, road: true, roadFrames: 2 });
    expect(on.results.metacam!['10']!.roadSmoothed).toBeTypeOf('number');
    expect(on.results.metacam!['10']!.roadSmoothedCi).toHaveLength(2);
  }, 120_000);

  it('scores a member’s pointing game on its map’s maximum, the same at every k', () => {
    for (const id of ['gradcam', 'eigencam', 'scorecam']) {
      expect(result.results[id]!['10']!.pointingGame).toBe(result.results[id]!['30']!.pointingGame);
    }
    // A larger k keeps a larger region: energy in the box can only be diluted, and the region grows.
    for (const id of ['gradcam', 'eigencam', 'scorecam']) expect(result.results[id]!['30']!.iou).not.toBe(result.results[id]!['10']!.iou);
  });

  it('reports CRE for every group over all 7 subsets, residuals summing per group', () => {
    const c = result.creReport!;
    expect(c.k).toBe(10);
    expect(c.frames).toHaveLength(1);
    expect(c.subsets).toHaveLength(7);
    for (const s of c.subsets) expect(Math.abs(s.road)).toBeLessThanOrEqual(0.5);
    for (const g of result.groups) {
      const sum = c.subsets.filter((s) => s.groups.includes(g)).reduce((a, s) => a + s.residual, 0);
      expect(result.cre![g]).toBeCloseTo(sum, 12);
    }
    expect(c.helps).toEqual(result.groups.filter((g) => result.cre![g]! > 0));
  });

  it('leaves no tensor behind', () => {
    expect(tensorsAfter).toBe(tensorsBefore);
  });

  it('rejects ground truth that does not belong to the clip', async () => {
    const gt = join(dir, 'late.gt.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(gt, JSON.stringify({ frame: 100000, pts: 4000, objects: [{ class: 0, label: 'circle', bbox: [0, 0, 4, 4] }] }));
    await expect(runEvaluation(session, { input: SHAPES_CLIP, groundTruth: gt, topKs: [10] })).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
  });

  it('defaults to all 11 members, leaving out only what the backend cannot compute correctly', async () => {
    const opts = parseEvaluateCommandArgs([SHAPES_CLIP, '-g', SHAPES_GT, '-m', join(dir, 'model.json')]);
    expect(opts).toMatchObject({ preset: 'full', defaultMembers: true, roadFrames: undefined, creFrames: 4, roadProtocol: 'fair' });
    expect(parseEvaluateCommandArgs([SHAPES_CLIP, '--road-protocol', 'pgc', '--road-frames=32'])).toMatchObject({ groundTruth: undefined, roadProtocol: 'pgc', roadFrames: 32 });
    expect(() => parseEvaluateCommandArgs([SHAPES_CLIP, '--road-protocol', 'exact'])).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => parseEvaluateCommandArgs([SHAPES_CLIP, '--plot', 'p.svg'])).toThrow(expect.objectContaining({ code: 'E_ARG', message: expect.stringContaining('--ground-truth') }));
    const full = await openSession(opts);
    try {
      expect(full.members).toHaveLength(11);
      const { session: kept, left } = runnableDefaultMembers(full);
      expect(left).toEqual(maxPoolGradIsSound() ? [] : ['fullgrad']);
      expect(kept.members.map((m) => m.id)).toEqual(full.members.map((m) => m.id).filter((id) => !left.includes(id)));
    } finally {
      full.dispose();
    }
    expect(parseEvaluateCommandArgs([SHAPES_CLIP, '-g', SHAPES_GT, '--groups', 'eigen']).defaultMembers).toBe(false);
  });
});

describe('runEvaluation: the streamed MetaCAM and distinct members', () => {
  const N = 12;
  let s2: Session | undefined;
  let off: EvaluationResult;
  let maps: EvaluationResult;
  let dir2: string;

  beforeAll(async () => {
    dir2 = mkdtempSync(join(tmpdir(), 'metacam-eval-'));
    const model = await writeFixtureModel(dir2);
    // The fixture has the testbed's head (global average pool → dense): HiResCAM is Grad-CAM's map.
    s2 = await openSession(parseEvaluateArgs([SHAPES_CLIP, '-g', SHAPES_GT, '-m', model, '--methods', 'gradcam,hirescam,eigencam', '--batch', '4']));
    const run = (smoothSeconds: number, smoothMaps: number) =>
      runEvaluation(s2!, { input: SHAPES_CLIP, groundTruth: SHAPES_GT, topKs: [10, 30], maxFrames: N, smoothSeconds, smoothMaps });
    off = await run(0, 0);
    maps = await run(0, 1);
  }, 240_000);

  afterAll(() => {
    s2?.dispose();
    if (dir2) rmSync(dir2, { recursive: true, force: true });
  });

  it('with all smoothing off, the streamed MetaCAM scores exactly as the per-frame one', () => {
    for (const k of ['10', '30']) {
      const m = off.results.metacam![k]!;
      expect(m.pointingGameSmoothed).toBe(m.pointingGame);
      expect(m.flickerSmoothed).toBe(m.flicker);
    }
    expect([off.smoothSeconds, off.smoothMaps]).toEqual([0, 0]);
  });

  it('--smooth-maps reaches the streamed MetaCAM: steadier regions, the per-frame scores unchanged', () => {
    expect(maps.smoothMaps).toBe(1);
    for (const k of ['10', '30']) {
      expect(maps.results.metacam![k]!.flickerSmoothed!).toBeLessThan(off.results.metacam![k]!.flickerSmoothed!);
      expect(maps.results.metacam![k]!.pointingGame).toBe(off.results.metacam![k]!.pointingGame);
    }
  });

  it('reports that HiResCAM was counted once, as Grad-CAM, on every frame', () => {
    expect(off.merged).toEqual([{ id: 'hirescam', into: 'gradcam', reason: 'identical-map', frames: N }]);
  });
});
