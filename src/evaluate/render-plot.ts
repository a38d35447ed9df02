/**
 * The `--plot out.svg` figure: score against k for every method, in three small panels (pointing game,
 * energy-in-box, IoU; y fixed to [0, 1] so panels and runs compare at a glance), members as thin coloured
 * lines, MetaCAM as a thick dark line with markers, and one shared legend. Self-contained static SVG: no
 * script, no external fonts or styles, every text escaped.
 */
import type { EvaluationResult, MetricScores } from './run-evaluation.js';
import { METACAM_KEY } from './run-evaluation.js';

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#86bcb6', '#bab0ac'];
const METACAM_COLOUR = '#111111';

const PANELS: readonly { readonly metric: keyof Pick<MetricScores, 'pointingGame' | 'energyInBox' | 'iou'>; readonly title: string }[] = [
  { metric: 'pointingGame', title: 'Pointing game' },
  { metric: 'energyInBox', title: 'Energy in box' },
  { metric: 'iou', title: 'IoU (region vs box)' },
];

export function escapeSvgText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const num = (v: number): string => (Math.round(v * 10) / 10).toString();

export function renderEvaluationPlot(r: EvaluationResult): string {
  const pw = 260;
  const ph = 200;
  const m = { left: 40, right: 14, top: 28, bottom: 36 };
  const gap = 28;
  const methods = [...r.members, METACAM_KEY];
  const legendCols = 4;
  const legendRows = Math.ceil(methods.length / legendCols);
  const width = m.left + 3 * pw + 2 * gap + m.right;
  const titleH = 30;
  const height = titleH + m.top + ph + m.bottom + 16 + legendRows * 18 + 10;
  const ks = [...r.k].sort((a, b) => a - b);
  const kMin = ks[0]!;
  const kMax = ks[ks.length - 1]!;
  const xOf = (k: number): number => (kMax === kMin ? pw / 2 : ((k - kMin) / (kMax - kMin)) * pw);
  const yOf = (v: number): number => ph - Math.min(1, Math.max(0, v)) * ph;
  const colour = (i: number, id: string): string => (id === METACAM_KEY ? METACAM_COLOUR : PALETTE[i % PALETTE.length]!);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<title>${escapeSvgText(`metacam evaluate: ${r.model}, ${r.frames} frames`)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${m.left}" y="20" font-size="14" font-weight="bold">${escapeSvgText(`Score vs top-k % — ${r.model}, ${r.frames} frames, ${r.members.length} members + MetaCAM`)}</text>`);
  PANELS.forEach((panel, p) => {
    const ox = m.left + p * (pw + gap);
    const oy = titleH + m.top;
    out.push(`<g transform="translate(${ox},${oy})">`);
    out.push(`<text x="0" y="-8" font-size="12" font-weight="bold">${escapeSvgText(panel.title)}</text>`);
    out.push(`<rect width="${pw}" height="${ph}" fill="#fafafa" stroke="#cccccc"/>`);
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      const y = num(yOf(t));
      out.push(`<line x1="0" x2="${pw}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
      if (p === 0 || t === 0 || t === 1) out.push(`<text x="-5" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#555555">${t}</text>`);
    }
    for (const k of ks) out.push(`<text x="${num(xOf(k))}" y="${ph + 14}" text-anchor="middle" fill="#555555">${k}</text>`);
    out.push(`<text x="${pw / 2}" y="${ph + 30}" text-anchor="middle" fill="#333333">k (% of the map kept)</text>`);
    methods.forEach((id, i) => {
      const pts = ks
        .map((k) => ({ k, v: r.results[id]?.[String(k)]?.[panel.metric] }))
        .filter((q): q is { k: number; v: number } => typeof q.v === 'number' && Number.isFinite(q.v));
      if (pts.length === 0) return;
      const isMeta = id === METACAM_KEY;
      const d = pts.map((q, j) => `${j === 0 ? 'M' : 'L'}${num(xOf(q.k))},${num(yOf(q.v))}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${colour(i, id)}" stroke-width="${isMeta ? 3 : 1.4}" stroke-opacity="${isMeta ? 1 : 0.8}" stroke-linejoin="round"><title>${escapeSvgText(id)}</title></path>`);
      if (isMeta) for (const q of pts) out.push(`<circle cx="${num(xOf(q.k))}" cy="${num(yOf(q.v))}" r="3.5" fill="${METACAM_COLOUR}"/>`);
    });
    out.push('</g>');
  });
  const ly = titleH + m.top + ph + m.bottom + 12;
  const colW = (width - m.left - m.right) / legendCols;
  methods.forEach((id, i) => {
    const x = m.left + (i % legendCols) * colW;
    const y = ly + Math.floor(i / legendCols) * 18;
    const isMeta = id === METACAM_KEY;
    out.push(`<line x1="${num(x)}" x2="${num(x + 22)}" y1="${y}" y2="${y}" stroke="${colour(i, id)}" stroke-width="${isMeta ? 3 : 1.6}"/>`);
    out.push(`<text x="${num(x + 28)}" y="${y}" dominant-baseline="middle"${isMeta ? ' font-weight="bold"' : ''}>${escapeSvgText(isMeta ? 'MetaCAM' : id)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
