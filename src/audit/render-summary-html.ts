/**
 * Renders an AuditSummary as one self-contained HTML file: inline CSS and SVG, no script, no external assets,
 * so it can be attached to a case file, e-mailed, archived and opened offline years later.
 */
import { basename } from 'node:path';
import type { AuditSummary } from './summarise-audit-log.js';
import { bandChart, classColour, escapeXml as esc, lineChart } from './svg-charts.js';

const STATUS_TEXT: Record<string, { label: string; cls: string; explain: string }> = {
  intact: { label: 'Chain intact', cls: 'ok', explain: 'Every record hashes to the next one\u2019s prev and the footer seal matches the whole file.' },
  truncated: { label: 'Truncated', cls: 'warn', explain: 'The log stops before its footer (crash or kill). Everything present is an intact chain.' },
  broken: { label: 'Chain broken', cls: 'bad', explain: 'The file was changed after it was written. Do not rely on records from the reported line on.' },
  unreadable: { label: 'Unreadable', cls: 'bad', explain: 'The file is not a readable metacam audit log.' },
};

const CSS = `
:root{--ink:#1d2430;--muted:#5b6675;--line:#e3e7ed;--bg:#f6f7f9;--card:#fff;--ok:#1f7a4d;--warn:#a15c00;--bad:#b42318}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 32px 48px}
header.top{display:flex;align-items:flex-start;justify-content:space-between;gap:24px;margin-bottom:18px}
h1{font-size:22px;margin:0 0 4px;font-weight:650;letter-spacing:-.01em}h2{font-size:15px;margin:0 0 10px;font-weight:650}
.sub{color:var(--muted);font-size:13px}
.badge{display:inline-block;padding:6px 12px;border-radius:999px;font-weight:650;font-size:13px;white-space:nowrap;border:1px solid}
.badge.ok{color:var(--ok);background:#e8f5ee;border-color:#b7e0c8}.badge.warn{color:var(--warn);background:#fff4e0;border-color:#f3d19c}.badge.bad{color:var(--bad);background:#fdecea;border-color:#f5b9b3}
.status{text-align:right;max-width:420px}.status p{margin:6px 0 0;color:var(--muted);font-size:12.5px}
section.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 16px}
.kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-bottom:16px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}.kpi b{display:block;font-size:20px;font-weight:650}.kpi span{color:var(--muted);font-size:12px}
dl.facts{display:grid;grid-template-columns:150px 1fr 150px 1fr;gap:6px 14px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.legend-row{display:flex;flex-wrap:wrap;gap:8px 18px;margin-top:8px;font-size:12.5px}.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
svg{display:block;max-width:100%;height:auto}svg .grid{stroke:#edf0f4}svg .axis{stroke:#9aa4b2}svg .cut{stroke:#d14343;stroke-width:1.2;stroke-dasharray:3 3}
svg .tick{fill:#5b6675;font-size:11px}svg .label{fill:#5b6675;font-size:11.5px}svg .legend{fill:#1d2430;font-size:11.5px}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:right}th:first-child,td:first-child{text-align:left}th{color:var(--muted);font-weight:600;background:#fafbfc}
td.num{font-variant-numeric:tabular-nums}
.note{color:var(--muted);font-size:12px;margin-top:6px}
footer{color:var(--muted);font-size:12px;margin-top:20px}
@media print{body{background:#fff}section.card,.kpi{break-inside:avoid}}
`;

const n2 = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');
const short = (h: string | null | undefined) => (h ? `<span class="mono" title="${esc(h)}">${esc(h.slice(0, 16))}…</span>` : '–');
const bytes = (b: number | null | undefined) => (b == null ? '–' : b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);

function fact(label: string, value: string): string {
  return `<dt>${esc(label)}</dt><dd>${value}</dd>`;
}

export function renderSummaryHtml(s: AuditSummary): string {
  const h = s.header;
  const f = s.footer;
  const st = STATUS_TEXT[s.verification.status] ?? STATUS_TEXT.unreadable!;
  const title = h ? basename(h.input.path) : basename(s.path);
  const labelOf = new Map(s.classes.map((c) => [c.index, c.label]));
  const usePts = s.series.pts.length > 1 && s.series.pts[s.series.pts.length - 1]! > s.series.pts[0]!;
  const xs = usePts ? s.series.pts : s.series.index;
  const xLabel = usePts ? 'time (s)' : 'frame';
  const cuts = s.sceneCuts.map((c) => (usePts ? c.pts : c.index));
  const step = xs.length > 1 ? (xs[xs.length - 1]! - xs[0]!) / (xs.length - 1) : 1;
  const frame = { width: 1110, xMin: xs[0] ?? 0, xMax: (xs[xs.length - 1] ?? 0) + step, xLabel, cuts };
  const stageNames = Object.keys(s.stageMedians);
  const statusDetail = [s.verification.reason, s.verification.firstBadLine ? `First bad line: ${s.verification.firstBadLine}.` : '']
    .filter(Boolean).join(' ');

  const kpis = [
    [String(s.frames), 'frames explained'],
    [f ? `${n2(f.durationSeconds, 1)} s` : '–', 'run duration'],
    [String(f?.dropped ?? 0), 'frames dropped'],
    [String(s.sceneCuts.length), 'scene cuts'],
    [s.classes[0] ? esc(s.classes[0].label) : '–', 'most frequent class'],
    [f ? esc(f.exitReason) : 'no footer', 'exit reason'],
  ].map(([v, l]) => `<div class="kpi"><b>${v}</b><span>${l}</span></div>`).join('');

  const facts = h
    ? [
        fact('Model', `${esc(h.model.id)} · sha256 ${short(h.model.sha256)}`),
        fact('Input', `${esc(h.input.path)}${h.input.sizeBytes != null ? ` · ${bytes(h.input.sizeBytes)}` : ' · live source'}`),
        fact('Target layer', `<code>${esc(h.layer)}</code>`),
        fact('Input sha256', short(h.input.sha256)),
        fact('Methods', esc(h.methods.join(', '))),
        fact('Groups', esc(h.groups.join(', ') || '–')),
        fact('Top-k', `${n2(h.topK, 1)} %`),
        fact('Smoothing', `${n2(h.smoothSeconds, 2)} s`),
        fact('Backend', esc(h.backend)),
        fact('ffmpeg', `${esc(h.ffmpeg.version.replace(/ Copyright.*$/, ''))} <span class="sub">(${esc(h.ffmpeg.source)})</span>`),
        fact('Tool', `${esc(h.tool.name)} ${esc(h.tool.version)}`),
        fact('Started', esc(h.startedAt)),
        fact('Duration', f ? `${n2(f.durationSeconds, 1)} s wall clock for ${n2(frame.xMax - frame.xMin, 2)} ${usePts ? 's of video' : 'frames'}` : '–'),
        fact('Chain seal', f ? short(f.chainSha256) : '–'),
        fact('Log file', `<span class="mono">${esc(s.path)}</span>`),
      ].join('')
    : fact('Log file', `<span class="mono">${esc(s.path)}</span>`);

  let charts = '';
  if (s.frames > 0) {
    const classStrip = bandChart({ ...frame, height: 0, xs, categories: s.series.classIndex, colourOf: classColour, nameOf: (c) => labelOf.get(c) ?? String(c), title: 'Target class over time' });
    const legend = s.classes
      .map((c) => `<span><i class="sw" style="background:${classColour(c.index)}"></i>${esc(c.label)} <span class="sub">${((100 * c.frames) / s.frames).toFixed(1)} % · mean score ${n2(c.meanScore)}</span></span>`)
      .join('');
    const scoreChart = lineChart({ ...frame, height: 150, xs, yMin: 0, yMax: 1, yLabel: 'score', title: 'Target class score', series: [{ label: 'target class score', colour: '#4e5d6c', values: s.series.score }] });
    const areaMax = Math.max(5, Math.ceil(s.series.areaPercent.reduce((a, b) => Math.max(a, b), 0) / 5) * 5);
    const areaChart = lineChart({ ...frame, height: 200, xs, yMin: 0, yMax: Math.min(100, areaMax), yLabel: 'area %', title: 'MetaCAM region area', series: [{ label: 'region area %', colour: '#2a7ab0', values: s.series.areaPercent }] });
    const tauChart = lineChart({
      ...frame, height: 220, xs, yMin: 0, yMax: 1, yLabel: 'τ', title: 'Consensus threshold',
      series: [
        { label: 'τ raw', colour: '#9aa4b2', values: s.series.tauRaw, width: 1.2 },
        { label: 'τ smoothed (applied)', colour: '#c2410c', values: s.series.tauSmoothed, width: 2 },
      ],
    });
    const cutNote = s.sceneCuts.length ? `<p class="note">Dashed red lines: scene cuts (${s.sceneCuts.length}).</p>` : '';
    charts = `
<section class="card"><h2>Target class over time</h2>${classStrip}<div class="legend-row">${legend}</div>${scoreChart}${cutNote}</section>
<section class="card"><h2>MetaCAM region area</h2>${areaChart}</section>
<section class="card"><h2>Consensus threshold τ (raw and smoothed)</h2>${tauChart}<p class="note">τ raw is computed on each frame alone; τ smoothed is what was applied after temporal smoothing over ${h ? n2(h.smoothSeconds, 2) : '?'} s.</p></section>`;
  }

  const slowRows = s.slowest
    .map((r) => `<tr><td class="num">${r.index}</td><td class="num">${n2(r.pts, 3)}</td>${stageNames.map((k) => `<td class="num">${r.timings[k] !== undefined ? n2(r.timings[k]!, 1) : '–'}</td>`).join('')}<td class="num"><b>${n2(r.totalMs, 1)}</b></td></tr>`)
    .join('');
  const medianRow = `<tr><td>median (all frames)</td><td></td>${stageNames.map((k) => `<td class="num">${n2(s.stageMedians[k]!, 1)}</td>`).join('')}<td class="num">${n2(stageNames.reduce((a, k) => a + s.stageMedians[k]!, 0), 1)}</td></tr>`;
  const slowTable = s.slowest.length
    ? `<section class="card"><h2>Slowest ${s.slowest.length} frames (ms per stage)</h2><table><thead><tr><th>frame</th><th>pts (s)</th>${stageNames.map((k) => `<th>${esc(k)}</th>`).join('')}<th>total</th></tr></thead><tbody>${slowRows}${medianRow}</tbody></table></section>`
    : '';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Audit report · ${esc(title)}</title><style>${CSS}</style></head>
<body><main>
<header class="top"><div><h1>Audit report · ${esc(title)}</h1><div class="sub">${h ? `${esc(h.model.id)} · ${esc(h.methods.join(', '))} · started ${esc(h.startedAt)}` : 'no header record'}</div></div>
<div class="status"><span class="badge ${st.cls}">${st.label}</span><p>${esc(st.explain)}${statusDetail ? ` ${esc(statusDetail)}` : ''}</p></div></header>
<div class="kpis">${kpis}</div>
<section class="card"><h2>Run</h2><dl class="facts">${facts}</dl>${f?.error ? `<p class="note">Error ${esc(f.error.code)}: ${esc(f.error.message)}</p>` : ''}</section>
${charts}
${slowTable}
<footer>Generated by ${esc(h?.tool.name ?? 'metacam')} from ${esc(basename(s.path))}${s.skippedLines ? ` · ${s.skippedLines} unreadable line(s) skipped` : ''}. Verify independently with <code>metacam audit verify ${esc(basename(s.path))}</code>.</footer>
</main></body></html>
`;
}
