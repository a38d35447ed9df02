import { describe, expect, it } from 'vitest';
import { preprocessPixels } from '../explain/model/preprocess.js';
import { preprocessFloatImages } from './class-scorer.js';
import { fromRgbImage } from './float-image.js';
import { formatEvaluationTable } from './format-table.js';
import { escapeSvgText, renderEvaluationPlot } from './render-plot.js';
import type { EvaluationResult } from './run-evaluation.js';
import { expectWellFormedSvg } from '../../test/evaluate/well-formed-svg.js';

const scores = (pg: number, road?: number) => ({ pointingGame: pg, energyInBox: pg / 2, iou: pg / 3, ...(road === undefined ? {} : { road }), flicker: 0.2 });

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
  roadFrames: [0, 6, 11],
  smoothSeconds: 0.5,
  model: 'toy',
  layer: 'conv',
  members: ['gradcam', 'a<b&c'],
  groups: ['gradcam', 'eigen'],
  interrupted: false,
  timings: { total: 3, explain: 1, road: 1, cre: 1 },
};

describe('evaluation report', () => {
  it('prints methods as rows with MetaCAM last, one column group per k, CRE and accuracy', () => {
    const t = formatEvaluationTable(result);
    const lines = t.split('\n');
    expect(lines[0]).toMatch(/k = 5 %.*k = 10 %/);
    expect(lines[1]).toMatch(/PG\s+EiB\s+IoU\s+ROAD\s+Flk/);
    const rows = lines.filter((l) => /^(▶| ) \S/.test(l) && l.includes('│')).map((l) => l.trim().split(/\s+/)[l.startsWith('▶') ? 1 : 0]);
    expect(rows).toEqual(['gradcam', 'a<b&c', 'metacam']);
    expect(t).toMatch(/▶ metacam\s+│\s+0\.750\s+0\.375\s+0\.250\s+\+0\.200\s+0\.200 │\s+0\.800/);
    expect(t).toMatch(/gradcam\s+\+0\.030\s+helps/);
    expect(t).toMatch(/eigen\s+−0\.030\s+does not help/);
    expect(t).toContain('model accuracy on the targets 90.0 %');
    expect(t).toContain('k=5: 0.100  k=10: 0.150');
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
