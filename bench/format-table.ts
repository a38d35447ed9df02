/**
 * The printed table: one row per figure, one column per model, fps with the ratio to the engine's forward pass
 * where that ratio is what the figure is for; then the three target ratios with pass/miss marks.
 */
import type { ModelBench } from './model-bench.js';

export interface TargetRow {
  readonly key: keyof ModelBench['ratios'];
  readonly label: string;
  readonly target: number;
}

export const TARGETS: readonly TargetRow[] = [
  { key: 'metacamRealtimeOverForward', label: 'MetaCAM realtime / forward', target: 0.8 },
  { key: 'endToEndOverExplainOnly', label: 'end-to-end / explain-only', target: 0.9 },
  { key: 'optimizedOverUnoptimized', label: 'optimised / unoptimised forward', target: 1.5 },
];

function cell(v: number | undefined | null, of?: number): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '—';
  const f = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return of ? `${f} (${(v / of).toFixed(2)}×)` : f;
}

export function formatTable(models: readonly ModelBench[], methodIds: readonly string[]): string {
  const rows: [string, ...string[]][] = [];
  const row = (label: string, f: (m: ModelBench) => string): void => {
    rows.push([label, ...models.map(f)]);
  };
  row('forward fps (engine)', (m) => cell(m.forwardFps));
  row('optimised forward fps', (m) => cell(m.optimizedForwardFps));
  row('unoptimised forward fps', (m) => cell(m.unoptimizedForwardFps));
  for (const id of methodIds) {
    row(`  ${id}`, (m) => {
      const byBudget = m.methodsByChannelBudget[id];
      if (byBudget && Object.keys(byBudget).length > 1) {
        return Object.entries(byBudget).map(([c, v]) => `${cell(v)}@${c}`).join(' ');
      }
      return cell(m.methods[id], m.forwardFps) + (byBudget ? `@${Object.keys(byBudget)[0]}` : '');
    });
  }
  row(`MetaCAM realtime fps`, (m) => `${cell(m.metacamRealtimeFps, m.forwardFps)} [${m.metacamRealtimeMembers.length}]`);
  row(`MetaCAM full fps`, (m) => `${cell(m.metacamFullFps, m.forwardFps)} [${m.metacamFullMembers.length}, ≤${m.metacamFullMaxChannels} ch]`);
  row('explain-only fps (720p)', (m) => cell(m.explainOnlyFps));
  row('end-to-end fps (720p)', (m) => cell(m.endToEndFps));
  row('  steady fps after 1st batch', (m) => cell(m.endToEndBreakdown?.steadyFps, m.explainOnlyFps).replace('×)', '× expl.)'));
  row('  first frame / tail ms', (m) => (m.endToEndBreakdown ? `${m.endToEndBreakdown.untilFirstFrameMs} / ${m.endToEndBreakdown.tailMs}` : '—'));
  row('  decode-only / encode-only fps', (m) => (m.io ? `${cell(m.io.decodeFps)} / ${cell(m.io.encodeFps)}` : '—'));
  row('  e2e model: serial / overlapped', (m) => (m.io?.serialFps ? `${cell(m.io.serialFps)} / ${cell(m.io.overlappedFps)}` : '—'));
  row('peak RSS MiB', (m) => String(m.peakRssMiB));
  row('tensors before → after', (m) => `${m.tensorsBefore} → ${m.tensorsAfter}`);
  for (const t of TARGETS) {
    row(`${t.label} (≥ ${t.target})`, (m) => {
      const v = m.ratios[t.key];
      return v === null ? '—' : `${v.toFixed(2)} ${v >= t.target ? 'met' : 'MISSED'}`;
    });
  }
  const header: [string, ...string[]] = ['figure (batch 8; fps, ×forward)', ...models.map((m) => m.model)];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
