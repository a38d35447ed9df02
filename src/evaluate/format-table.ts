/**
 * The terminal report of `metacam evaluate`: one block per k, each with up to two tables — "box & time"
 * (PG pointing game, EiB energy-in-box, IoU, Flk flicker, r temporal Pearson, Gini sparseness) and
 * "faithfulness" (ROAD, Average Drop, Increase in Confidence, deletion and insertion AUC). Methods are rows
 * (MetaCAM last, marked ▶); a method has a `thr` row (its map thresholded at k) and a `raw` row (the map before
 * thresholding) where a metric has both. Every cell is `mean [lo, hi]`, the interval a seeded bootstrap over
 * frames. Then MetaCAM's smoothed flicker, the CRE table and the run's facts. Pure text, no colour codes, so it
 * pastes into notes.
 */
import type { Interval } from './bootstrap-ci.js';
import { METRICS, type MetricInfo, type MetricName, type MetricScores } from './evaluation-metrics.js';
import type { EvaluationResult } from './run-evaluation.js';
import { METACAM_KEY } from './run-evaluation.js';
import type { ConsensusRule } from '../metacam/metacam-settings.js';

const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
const value = (v: number, sign: boolean): string => (sign ? signed(v) : v.toFixed(3));

const CONSENSUS_TEXT: Readonly<Record<ConsensusRule, string>> = {
  sum: 'sum (one vote per distinct map)',
  group: 'group (one vote per method group)',
  weighted: 'weighted (members and weights from a calibration profile, --profile)',
};

/** `mean [lo, hi]`, or `–` when the metric was not scored. */
export function formatCell(mean: number | undefined, ci: Interval | undefined, sign: boolean): string {
  if (mean === undefined) return '–';
  return ci ? `${value(mean, sign)} [${value(ci[0], sign)}, ${value(ci[1], sign)}]` : value(mean, sign);
}

const get = (s: MetricScores | undefined, name: MetricName): { mean?: number; ci?: Interval } => ({
  mean: s?.[name],
  ci: (s as Record<string, Interval | undefined> | undefined)?.[`${name}Ci`],
});

function table(r: EvaluationResult, k: number, metrics: readonly MetricInfo[]): string[] {
  const methods = [...r.members, METACAM_KEY];
  const withRaw = metrics.some((m) => m.raw);
  const nameW = Math.max(10, ...methods.map((m) => m.length)) + 2;
  const rows: { label: string; cells: string[]; rule: boolean }[] = [];
  for (const id of methods) {
    const s = r.results[id]?.[String(k)];
    const label = id === METACAM_KEY ? `▶ ${id}` : `  ${id}`;
    rows.push({ label: `${label.padEnd(nameW)}${withRaw ? ' thr' : ''}`, rule: id === METACAM_KEY && r.members.length > 0, cells: metrics.map((m) => {
      const { mean, ci } = get(s, m.name);
      return formatCell(mean, ci, m.signed);
    }) });
    if (withRaw) {
      rows.push({ label: `${' '.repeat(nameW)} raw`, rule: false, cells: metrics.map((m) => {
        if (!m.raw) return '';
        const { mean, ci } = get(s, `${m.name}Raw` as MetricName);
        return formatCell(mean, ci, m.signed);
      }) });
    }
  }
  const labelW = nameW + (withRaw ? 4 : 0);
  const widths = metrics.map((m, j) => Math.max(m.head.length + 2, ...rows.map((row) => row.cells[j]!.length)));
  const heads = metrics.map((m, j) => `${m.head}${m.better === 'higher' ? '↑' : '↓'}`.padStart(widths[j]!));
  const rule = `${'─'.repeat(labelW)}─┼─${widths.map((w) => '─'.repeat(w)).join('──')}`;
  const out = [`${'method'.padEnd(labelW)} │ ${heads.join('  ')}`, rule];
  for (const row of rows) {
    if (row.rule) out.push(rule);
    out.push(`${row.label.padEnd(labelW)} │ ${row.cells.map((c, j) => c.padStart(widths[j]!)).join('  ')}`);
  }
  return out;
}

export function formatEvaluationTable(r: EvaluationResult): string {
  const present = (m: MetricInfo) =>
    Object.values(r.results).some((perK) => Object.values(perK).some((s) => s[m.name] !== undefined || (m.raw && s[`${m.name}Raw` as MetricName] !== undefined)));
  const boxAndTime = METRICS.filter((m) => !m.perturbation && present(m));
  const faithful = METRICS.filter((m) => m.perturbation && present(m));
  const level = Math.round(r.ciLevel * 100);
  const lines: string[] = [];
  lines.push(`Cells: mean [${level} % bootstrap interval over frames]; ↑ higher is better, ↓ lower. thr = map thresholded at k, raw = before thresholding (MetaCAM raw: the normalised sum of the members' thresholded maps).`);
  for (const k of r.k) {
    lines.push('');
    lines.push(`k = ${k} % — ${r.groundTruth ? 'box & time' : 'time & sparseness (no ground truth: no box metrics)'}`);
    lines.push(...table(r, k, boxAndTime));
    if (faithful.length > 0) {
      lines.push('');
      lines.push(`k = ${k} % — faithfulness (ROAD protocol ${r.roadProtocol ?? '?'}, ${r.roadFrames?.length ?? 0} frames)`);
      lines.push(...table(r, k, faithful));
    }
  }
  lines.push('');
  const legend = ['PG pointing game', 'EiB energy-in-box', 'IoU region/box', 'Flk flicker (1 − IoU of consecutive regions, no smoothing)', 'r Pearson r of consecutive maps', 'Gini sparseness'];
  if (faithful.length > 0) legend.push('ROAD combined (20/40/60/80 % removed)', 'AvgDrop / IncConf: x ⊙ map', 'Del / Ins AUC (RISE)', 'ROAD thr−raw: per-frame ROAD(thr) − ROAD(raw)');
  lines.push(legend.filter((l) => r.groundTruth || !/^(PG|EiB|IoU)/.test(l)).join(' · '));
  const smoothed = r.k.map((k) => {
    const { mean, ci } = get(r.results[METACAM_KEY]?.[String(k)], 'flickerSmoothed');
    return `k=${k}: ${formatCell(mean, ci, false)}`;
  }).join('  ');
  const how = `thresholds smoothed over ${r.smoothSeconds} s with hysteresis ${r.smoothSeconds > 0 ? r.hysteresis : 0}, maps over ${r.smoothMaps} s${r.smoothMaps > 0 ? ` (${r.mapMotion === 'follow' ? 'following motion' : 'in place'})` : ''}`;
  lines.push(`MetaCAM as streamed (${how}), flicker: ${smoothed}`);
  if (r.groundTruth) {
    const pg = r.k.map((k) => {
      const { mean, ci } = get(r.results[METACAM_KEY]?.[String(k)], 'pointingGameSmoothed');
      return `k=${k}: ${formatCell(mean, ci, false)}`;
    }).join('  ');
    lines.push(`MetaCAM as streamed (${how}), pointing game: ${pg}`);
  }
  if (r.roadFrames) {
    const road = r.k.map((k) => {
      const { mean, ci } = get(r.results[METACAM_KEY]?.[String(k)], 'roadSmoothed');
      return `k=${k}: ${formatCell(mean, ci, true)}`;
    }).join('  ');
    lines.push(`MetaCAM as streamed, ROAD: ${road}`);
  }
  lines.push(`MetaCAM consensus rule: ${CONSENSUS_TEXT[r.consensus]}`);
  if (r.merged.length) {
    lines.push(`MetaCAM counts each distinct map once; merged (same map): ${r.merged.map((m) => `${m.id} = ${m.into} (${m.frames}/${r.frames} frames)`).join(', ')}`);
  }
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
  const parts = [`explain ${r.timings.explain.toFixed(1)} s`, ...(faithful.length > 0 ? [`perturbation metrics ${r.timings.road.toFixed(1)} s`] : []), ...(r.cre ? [`CRE ${r.timings.cre.toFixed(1)} s`] : [])];
  const accuracy = r.modelAccuracy === undefined ? 'no ground truth: each frame explained for its predicted class' : `model accuracy on the targets ${(100 * r.modelAccuracy).toFixed(1)} %`;
  lines.push(`${r.frames} frames · model ${r.model} (layer ${r.layer}) · ${accuracy} · ${r.timings.total.toFixed(1)} s (${parts.join(', ')})${r.interrupted ? ' · INTERRUPTED: partial' : ''}`);
  return lines.map((l) => l.trimEnd()).join('\n');
}
