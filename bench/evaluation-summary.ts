/**
 * `node --import tsx bench/evaluation-summary.ts [DIR] [--k 10]`: reads the `metacam evaluate --json` files in DIR
 * (default bench/results/evaluation; names `<clip>-<model>-<protocol>.json`) and prints, per model and ROAD
 * protocol at one k, every member's and MetaCAM's ROAD on the thresholded and the raw map and the per-frame gain
 * ROAD(thr) − ROAD(raw) with its paired 95 % interval — the paper's "thresholding improves every CAM" — and how
 * many members gain with an interval above 0. Writes DIR/summary-k<k>.txt and .json. Reads only; computes nothing
 * new.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

type Ci = [number, number];
interface Scores { road?: number; roadCi?: Ci; roadRaw?: number; roadRawCi?: Ci; roadGain?: number; roadGainCi?: Ci; pointingGame?: number; pointingGameCi?: Ci }
interface Run { frames: number; model: string; roadProtocol?: string; roadFrames?: number[]; members: string[]; results: Record<string, Record<string, Scores>>; timings: { total: number } }

const { values, positionals } = parseArgs({ options: { k: { type: 'string' } }, allowPositionals: true });
const dir = positionals[0] ?? 'bench/results/evaluation';
const k = values.k ?? '10';
const s = (v: number | undefined) => (v === undefined ? '–' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`);
const cell = (v: number | undefined, ci: Ci | undefined) => (v === undefined ? '–' : `${s(v)} [${s(ci?.[0])}, ${s(ci?.[1])}]`);

const lines: string[] = [];
const json: Record<string, unknown> = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('summary')).sort()) {
  const run = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Run;
  const ids = [...run.members, 'metacam'];
  const rows = ids.map((id) => ({ id, ...run.results[id]?.[k] }));
  const gains = rows.filter((r) => r.id !== 'metacam');
  const up = gains.filter((r) => (r.roadGainCi?.[0] ?? 0) > 0).length;
  const down = gains.filter((r) => (r.roadGainCi?.[1] ?? 0) < 0).length;
  lines.push(`${file}: model ${run.model}, ROAD protocol ${run.roadProtocol}, ${run.frames} frames (ROAD on ${run.roadFrames?.length ?? 0}), k = ${k} %`);
  lines.push(`  ${'method'.padEnd(22)}${'ROAD thr'.padStart(26)}${'ROAD raw'.padStart(26)}${'gain thr − raw (paired)'.padStart(28)}`);
  for (const r of rows) lines.push(`  ${(r.id === 'metacam' ? '▶ metacam' : r.id).padEnd(22)}${cell(r.road, r.roadCi).padStart(26)}${cell(r.roadRaw, r.roadRawCi).padStart(26)}${cell(r.roadGain, r.roadGainCi).padStart(28)}`);
  lines.push(`  thresholding raises ROAD (interval above 0) for ${up} of ${gains.length} members, lowers it (interval below 0) for ${down}`);
  lines.push('');
  json[file] = { model: run.model, protocol: run.roadProtocol, frames: run.frames, k: Number(k), membersGaining: up, membersLosing: down, rows };
}
const text = lines.join('\n');
console.log(text);
writeFileSync(join(dir, `summary-k${k}.txt`), `${text}\n`);
writeFileSync(join(dir, `summary-k${k}.json`), `${JSON.stringify(json, null, 2)}\n`);
