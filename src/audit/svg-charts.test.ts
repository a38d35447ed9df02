import { describe, expect, it } from 'vitest';
import { bandChart, escapeXml, lineChart, niceTicks, reducePoints } from './svg-charts.js';

describe('svg charts', () => {
  it.each([
    [0, 1, 4, [0, 0.25, 0.5, 0.75, 1]],
    [0, 1.2, 8, [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2]],
    [0, 25, 4, [0, 10, 20]],
    [3, 3, 4, [3]],
  ])('niceTicks(%d, %d, %i)', (lo, hi, n, want) => {
    expect(niceTicks(lo, hi, n)).toEqual(want);
  });

  it('reducePoints keeps short series and bucket-averages long ones', () => {
    expect(reducePoints([1, 2], [3, 4], 5)).toEqual({ xs: [1, 2], ys: [3, 4] });
    expect(reducePoints([0, 1, 2, 3], [0, 2, 4, 6], 2)).toEqual({ xs: [0.5, 2.5], ys: [1, 5] });
  });

  it('escapes markup', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });

  it('a line chart of 10 000 points draws at most 1 500 vertices; a band chart merges runs', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => i / 25);
    const svg = lineChart({ width: 800, height: 200, xMin: 0, xMax: 400, xLabel: 't', xs, yMin: 0, yMax: 1, yLabel: 'y', title: 't', series: [{ label: 's', colour: '#000', values: xs.map((x) => Math.sin(x) / 2 + 0.5) }] });
    const pts = /points="([^"]*)"/.exec(svg)![1]!.split(' ');
    expect(pts).toHaveLength(1500);
    const band = bandChart({ width: 800, height: 0, xMin: 0, xMax: 6, xLabel: 't', xs: [0, 1, 2, 3, 4, 5], categories: [1, 1, 2, 2, 2, 1], colourOf: (c) => `#00000${c}`, nameOf: String, title: 'b', cuts: [2] });
    expect(band.match(/<rect /g)).toHaveLength(3);
    expect(band.match(/class="cut"/g)).toHaveLength(1);
  });
});
