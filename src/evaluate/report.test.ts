import { describe, expect, it } from 'vitest';
import { preprocessPixels } from '../explain/model/preprocess.js';
import { preprocessFloatImages } from './class-scorer.js';
import { fromRgbImage } from './float-image.js';
import { formatEvaluationTable } from './format-table.js';
import { escapeSvgText, renderEvaluationPlot } from './render-plot.js';
import type { EvaluationResult } from './run-evaluation.js';
import { expectWellFormedSvg } from '../../test/evaluate/well-formed-svg.js';

const scores = (pg: number, road?: number) => ({
  pointingGame: pg, pointingGameCi: [pg - 0.1, pg + 0.05] as const, energyInBox: pg / 2, iou: pg / 3,
  ...(road === undefined ? {} : { road, roadCi: [road - 0.04, road + 0.04] as const, roadRaw: road / 2 }), flicker: 0.2,
});

const result: EvaluationResult = {
  frames: 12,
  k: [5, 10],
  results: {
    gradcam: { 5: scores(0.5, 0.1), 10: scores(0.6, 0.12) },
    'a<b&c': { 5: scores(0.25, -0.05), 10: scores(0.3, -0.02) },
    metacam: { 5: { ...scores(0.75, 0.2), flickerSmoothed: 0.1 }, 10: { ...scores(0.8, 0.22), flickerSmoothed: 0.15 } },
  },
  cre: { gradcam: 0.03, eigen: -0.03 },
  creReport: { k: 10, frames: [0, 11], median: 0.1, subsets: [{ groups: ['gradcam'], road: 0.13, residual: 0.03 }, { groups: ['eigen'], road: 0.07, residual: -0.03 }, { groups: ['gradcam', 'eigen'], road: 0.1, residual: 0 }], helps: ['gradcam'] },
  modelAccuracy: 0.9,
  groundTruth: true,
  roadFrames: [0, 6, 11],
  roadProtocol: 'pgc',
  ciLevel: 0.95,
  smoothSeconds: 0.5,
  hysteresis: 0,
  smoothMaps: 0,
  mapMotion: 'follow',
  consensus: 'sum',
  model: 'toy',
  layer: 'conv',
  members: ['gradcam', 'a<b&c'],
  merged: [],
  groups: ['gradcam', 'eigen'],
  interrupted: false,
  timings: { total: 3, explain: 1, road: 1, cre: 1 },
};

describe('evaluation report', () => {
  it('prints per k a box & time table and a faithfulness table, methods as rows with MetaCAM last, CIs, CRE and accuracy', () => {
    const t = formatEvaluationTable(result);
    expect(t).toContain('k = 5 % — box & time');
    expect(t).toContain('k = 10 % — faithfulness (ROAD protocol pgc, 3 frames)');
    expect(t).toMatch(/method\s+│\s+PG↑\s+EiB↑\s+IoU↑\s+Flk↓/);
    const block = t.split('k = 10 % — box & time')[1]!.split('k = 10 % — faithfulness')[0]!;
    const rows = block.split('\n').filter((l) => /^(▶| ) \S/.test(l)).map((l) => l.replace('▶', '').trim().split(/\s+/)[0]);
    expect(rows).toEqual(['gradcam', 'a<b&c', 'metacam']);
    expect(t).toMatch(/▶ metacam\s+│\s+0\.750 \[0\.650, 0\.800\]\s+0\.375\s+0\.250\s+0\.200/);
    // ROAD: thresholded row with its interval, raw row without one (none given)
    expect(t).toMatch(/gradcam\s+thr │\s+\+0\.100 \[\+0\.060, \+0\.140\]/);
    expect(t).toMatch(/\s+raw │\s+\+0\.050/);
    expect(t).toMatch(/gradcam\s+\+0\.030\s+helps/);
    expect(t).toMatch(/eigen\s+−0\.030\s+does not help/);
    expect(t).toContain('model accuracy on the targets 90.0 %');
    expect(t).toContain('k=5: 0.100  k=10: 0.150');
  });

  it('names the consensus rule, the calibrated one included', () => {
    expect(formatEvaluationTable(result)).toContain('MetaCAM consensus rule: sum (one vote per distinct map)');
    expect(formatEvaluationTable({ ...result, consensus: 'weighted' })).toContain('MetaCAM consensus rule: weighted (members and weights from a calibration profile');
  });

  it('without ground truth: no box columns, no accuracy', () => {
    const strip = (s: ReturnType<typeof scores>) => ({ flicker: s.flicker, ...(s.road === undefined ? {} : { road: s.road }) });
    const noGt: EvaluationResult = {
      ...result, groundTruth: false, modelAccuracy: undefined,
      results: Object.fromEntries(Object.entries(result.results).map(([id, perK]) => [id, Object.fromEntries(Object.entries(perK).map(([k, s]) => [k, strip(s as ReturnType<typeof scores>)]))])),
    };
    const t = formatEvaluationTable(noGt);
    expect(t).not.toMatch(/PG↑|EiB↑|IoU↑/);
    expect(t).toContain('no ground truth');
    expect(t).toContain('ROAD↑');
  });

  it('leaves the ROAD column out when ROAD was not run', () => {
    const noRoad = { ...result, results: { metacam: { 5: scores(0.5), 10: scores(0.5) } }, members: [], roadFrames: undefined, cre: undefined, creReport: undefined };
    expect(formatEvaluationTable(noRoad)).not.toContain('ROAD');
  });

  it('draws a well-formed, escaped SVG with three panels and MetaCAM highlighted', () => {
    const svg = renderEvaluationPlot(result);
    expectWellFormedSvg(svg);
    expect(svg).not.toMatch(/<script|href=/);
    for (const title of ['Pointing game', 'Energy in box', 'IoU']) expect(svg).toContain(title);
    expect(svg.match(/<path [^>]*stroke-width="3"/g)).toHaveLength(3);
    expect(svg.match(/<path [^>]*stroke-width="1.4"/g)).toHaveLength(6);
    expect(svg).toContain(escapeSvgText('a<b&c'));
  });
});

describe('preprocessFloatImages', () => {
  it('matches the frame preprocessing for byte images, for every input range', () => {
    const img = { width: 3, height: 2, data: Uint8Array.from({ length: 18 }, (_, i) => (i * 37) % 256) };
    for (const pre of [{ range: '0,1' as const }, { range: '-1,1' as const }, { range: '0,255' as const, mean: [120, 110, 100] as [number, number, number], std: [50, 60, 70] as [number, number, number] }]) {
      const want = preprocessPixels([img], { width: 3, height: 2 }, pre);
      const got = preprocessFloatImages([fromRgbImage(img)], { inputSize: { width: 3, height: 2 }, preprocess: pre });
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    }
  });
});
