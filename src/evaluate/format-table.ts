/**
 * The terminal report of `metacam evaluate`: methods as rows (MetaCAM last, marked ▶), one column group per k
 * (PG = pointing game, EiB = energy-in-box, IoU, ROAD when scored, Flk = flicker), then MetaCAM's flicker with
 * smoothing, the CRE table and the model's accuracy. Pure text, no colour codes, so it pastes into notes.
 */
import type { EvaluationResult, MetricScores } from './run-evaluation.js';
import { METACAM_KEY } from './run-evaluation.js';

const fraction = (v: number): string => v.toFixed(3);
const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

interface Column {
  readonly head: string;
  readonly cell: (s: MetricScores) => string;
}

function columns(withRoad: boolean): Column[] {
  return [
    { head: 'PG', cell: (s) => fraction(s.pointingGame) },
    { head: 'EiB', cell: (s) => fraction(s.energyInBox) },
    { head: 'IoU', cell: (s) => fraction(s.iou) },
    ...(withRoad ? [{ head: 'ROAD', cell: (s: MetricScores) => (s.road === undefined ? '–' : signed(s.road)) }] : []),
    { head: 'Flk', cell: (s) => fraction(s.flicker) },
  ];
}

export function formatEvaluationTable(r: EvaluationResult): string {
  const withRoad = Object.values(r.results).some((perK) => Object.values(perK).some((s) => s.road !== undefined));
  const cols = columns(withRoad);
  const cellW = withRoad ? 6 : 5;
  const methods = [...r.members, METACAM_KEY];
  const nameW = Math.max(8, ...methods.map((m) => m.length)) + 2;
  const groupW = cols.length * (cellW + 1) - 1;
  const pad = (s: string, w: number) => s.padStart(w);
  const lines: string[] = [];
  lines.push(`${' '.repeat(nameW)}${r.k.map((k) => ` │ ${`k = ${k} %`.padEnd(groupW)}`).join('')}`);
  lines.push(`${'method'.padEnd(nameW)}${r.k.map(() => ` │ ${cols.map((c) => pad(c.head, cellW)).join(' ')}`).join('')}`);
  lines.push(`${'─'.repeat(nameW)}${r.k.map(() => `─┼─${'─'.repeat(groupW)}`).join('')}`);
  for (const m of methods) {
    const label = m === METACAM_KEY ? `▶ ${m}` : `  ${m}`;
    const cells = r.k.map((k) => {
      const s = r.results[m]?.[String(k)];
      return ` │ ${s ? cols.map((c) => pad(c.cell(s), cellW)).join(' ') : ' '.repeat(groupW)}`;
    });
    if (m === METACAM_KEY && r.members.length > 0) lines.push(`${'─'.repeat(nameW)}${r.k.map(() => `─┼─${'─'.repeat(groupW)}`).join('')}`);
    lines.push(`${label.padEnd(nameW)}${cells.join('')}`);
  }
  lines.push('');
  lines.push(`PG pointing game · EiB energy-in-box · IoU region/box · ${withRoad ? `ROAD (${r.roadFrames?.length ?? 0} frames: ${r.roadFrames?.join(', ') ?? ''}) · ` : ''}Flk flicker (no smoothing)`);
  const smoothed = r.k.map((k) => `k=${k}: ${fraction(r.results[METACAM_KEY]?.[String(k)]?.flickerSmoothed ?? 0)}`).join('  ');
  lines.push(`MetaCAM flicker with thresholds smoothed over ${r.smoothSeconds} s: ${smoothed}`);
  if (r.cre && r.creReport) {
    const c = r.creReport;
    lines.push('');
    lines.push(`CRE at k = ${c.k} % (ROAD of MetaCAM from each of ${c.subsets.length} group subsets on frames ${c.frames.join(', ')}; median ${signed(c.median)}):`);
    const gW = Math.max(...Object.keys(r.cre).map((g) => g.length)) + 2;
    for (const g of r.groups) {
      const v = r.cre[g] ?? 0;
      lines.push(`  ${g.padEnd(gW)}${signed(v)}  ${v > 0 ? 'helps' : 'does not help'}`);
    }
    const best = [...c.subsets].sort((a, b) => b.road - a.road)[0];
    if (best) lines.push(`  best subset: {${best.groups.join(', ')}} ROAD ${signed(best.road)}`);
  }
  lines.push('');
  const parts = [`explain ${r.timings.explain.toFixed(1)} s`, ...(withRoad ? [`ROAD ${r.timings.road.toFixed(1)} s`] : []), ...(r.cre ? [`CRE ${r.timings.cre.toFixed(1)} s`] : [])];
  lines.push(`${r.frames} frames · model ${r.model} (layer ${r.layer}) · model accuracy on the targets ${(100 * r.modelAccuracy).toFixed(1)} % · ${r.timings.total.toFixed(1)} s (${parts.join(', ')})${r.interrupted ? ' · INTERRUPTED: partial' : ''}`);
  return lines.map((l) => l.trimEnd()).join('\n');
}
