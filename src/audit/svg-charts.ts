/**
 * Tiny, dependency-free SVG charts for the audit report: a line chart and a categorical band (strip) chart,
 * both over time, with scene cuts marked. Static markup only (no script), so the report opens anywhere and
 * prints. Long runs are reduced to at most ~1500 points (bucket means) / ~2000 bands (bucket majority) so a
 * one-hour log still gives a light file.
 */

export const CLASS_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function classColour(index: number): string {
  return CLASS_COLOURS[((index % CLASS_COLOURS.length) + CLASS_COLOURS.length) % CLASS_COLOURS.length]!;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (v: number): string => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2).replace(/0$/, ''));

/** ~count round-numbered ticks covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export interface Frame2D {
  readonly width: number;
  readonly height: number;
  readonly xMin: number;
  readonly xMax: number;
  readonly xLabel: string;
  /** x positions (time) of scene cuts. */
  readonly cuts?: readonly number[];
}

const M = { l: 56, r: 16, t: 14, b: 34 };

function axes(f: Frame2D, yMin: number, yMax: number, yLabel: string, plotH: number): { svg: string; sx: (x: number) => number; sy: (y: number) => number } {
  const w = f.width - M.l - M.r;
  const sx = (x: number) => M.l + (f.xMax > f.xMin ? ((x - f.xMin) / (f.xMax - f.xMin)) * w : w / 2);
  const sy = (y: number) => M.t + plotH - (yMax > yMin ? ((y - yMin) / (yMax - yMin)) * plotH : plotH / 2);
  const parts: string[] = [];
  for (const t of yLabel ? niceTicks(yMin, yMax, 4) : []) {
    parts.push(`<line x1="${M.l}" x2="${M.l + w}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${M.l - 6}" y="${(sy(t) + 4).toFixed(1)}" class="tick" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(f.xMin, f.xMax, 8)) {
    parts.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${M.t + plotH}" y2="${M.t + plotH + 4}" class="axis"/>`);
    parts.push(`<text x="${sx(t).toFixed(1)}" y="${M.t + plotH + 17}" class="tick" text-anchor="middle">${fmt(t)}</text>`);
  }
  parts.push(`<line x1="${M.l}" x2="${M.l + w}" y1="${M.t + plotH}" y2="${M.t + plotH}" class="axis"/>`);
  parts.push(`<text x="${M.l + w}" y="${M.t + plotH + 31}" class="label" text-anchor="end">${escapeXml(f.xLabel)}</text>`);
  if (yLabel) parts.push(`<text transform="translate(14 ${M.t + plotH / 2}) rotate(-90)" class="label" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  return { svg: parts.join(''), sx, sy };
}

function cutsSvg(f: Frame2D, sx: (x: number) => number, top: number, bottom: number): string {
  return (f.cuts ?? []).map((c) => `<line x1="${sx(c).toFixed(1)}" x2="${sx(c).toFixed(1)}" y1="${top}" y2="${bottom}" class="cut"><title>scene cut at ${fmt(c)}</title></line>`).join('');
}

/** Bucket means, so a polyline never has more than `max` points. */
export function reducePoints(xs: readonly number[], ys: readonly number[], max = 1500): { xs: number[]; ys: number[] } {
  if (xs.length <= max) return { xs: [...xs], ys: [...ys] };
  const outX: number[] = [];
  const outY: number[] = [];
  const per = xs.length / max;
  for (let b = 0; b < max; b++) {
    const lo = Math.floor(b * per);
    const hi = Math.max(lo + 1, Math.floor((b + 1) * per));
    let sx = 0;
    let sy = 0;
    for (let i = lo; i < hi; i++) { sx += xs[i]!; sy += ys[i]!; }
    outX.push(sx / (hi - lo));
    outY.push(sy / (hi - lo));
  }
  return { xs: outX, ys: outY };
}

export interface LineSeries {
  readonly label: string;
  readonly colour: string;
  readonly values: readonly number[];
  readonly dashed?: boolean;
  readonly width?: number;
}

export function lineChart(f: Frame2D & { xs: readonly number[]; series: readonly LineSeries[]; yMin: number; yMax: number; yLabel: string; title: string }): string {
  const plotH = f.height - M.t - M.b;
  const { svg, sx, sy } = axes(f, f.yMin, f.yMax, f.yLabel, plotH);
  const lines = f.series.map((s) => {
    const r = reducePoints(f.xs, s.values);
    const pts = r.xs.map((x, i) => `${sx(x).toFixed(1)},${sy(Math.min(f.yMax, Math.max(f.yMin, r.ys[i]!))).toFixed(1)}`).join(' ');
    return `<polyline points="${pts}" fill="none" stroke="${s.colour}" stroke-width="${s.width ?? 1.6}" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
  });
  let lx = f.width - M.r;
  const legend = [...f.series].reverse().map((s) => {
    const w = 26 + s.label.length * 6.6;
    lx -= w + 12;
    return `<line x1="${lx}" x2="${lx + 18}" y1="${M.t - 4}" y2="${M.t - 4}" stroke="${s.colour}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="${lx + 23}" y="${M.t}" class="legend">${escapeXml(s.label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height + 8}" width="${f.width}" height="${f.height + 8}" role="img" aria-label="${escapeXml(f.title)}"><g transform="translate(0 8)">${svg}${cutsSvg(f, sx, M.t, M.t + plotH)}${lines.join('')}${legend.join('')}</g></svg>`;
}

/** Categorical strip: one coloured band per run of equal categories; x spans [xs[i], xs[i+1]). */
export function bandChart(f: Frame2D & { xs: readonly number[]; categories: readonly number[]; colourOf: (c: number) => string; nameOf: (c: number) => string; title: string }): string {
  const bandH = 46;
  const h = M.t + bandH + M.b;
  const { svg, sx } = axes({ ...f, height: h }, 0, 0, '', bandH);
  const n = f.xs.length;
  const step = n > 1 ? (f.xs[n - 1]! - f.xs[0]!) / (n - 1) : 1;
  const end = (i: number) => (i + 1 < n ? f.xs[i + 1]! : f.xs[i]! + step);
  // Reduce to at most 2000 buckets by majority when the class flickers a lot.
  const maxBands = 2000;
  const cats: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const per = Math.max(1, n / maxBands);
  for (let b = 0; b * per < n; b++) {
    const lo = Math.floor(b * per);
    const hi = Math.min(n, Math.max(lo + 1, Math.floor((b + 1) * per)));
    const counts = new Map<number, number>();
    for (let i = lo; i < hi; i++) counts.set(f.categories[i]!, (counts.get(f.categories[i]!) ?? 0) + 1);
    const major = [...counts.entries()].sort((a, c) => c[1] - a[1])[0]![0];
    if (cats.length && cats[cats.length - 1] === major) ends[ends.length - 1] = end(hi - 1);
    else { cats.push(major); starts.push(f.xs[lo]!); ends.push(end(hi - 1)); }
  }
  const rects = cats.map((c, i) => {
    const x0 = sx(starts[i]!);
    const x1 = sx(Math.min(ends[i]!, f.xMax));
    return `<rect x="${x0.toFixed(1)}" y="${M.t}" width="${Math.max(0.6, x1 - x0).toFixed(1)}" height="${bandH}" fill="${f.colourOf(c)}"><title>${escapeXml(f.nameOf(c))}: ${fmt(starts[i]!)}–${fmt(ends[i]!)}</title></rect>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${h}" width="${f.width}" height="${h}" role="img" aria-label="${escapeXml(f.title)}">${svg}${rects.join('')}${cutsSvg(f, sx, M.t - 4, M.t + bandH + 4)}</svg>`;
}
