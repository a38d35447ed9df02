/**
 * Reads an audit log into the numbers a reviewer looks at: run facts, chain status, per-frame series (class,
 * score, region area, consensus τ), scene cuts, class shares and the slowest frames. Tolerant by design: a
 * broken or truncated log is still summarised (the chain status says how far to trust it); unparseable lines
 * are counted and skipped.
 */
import type { AuditFooterRecord, AuditFrameRecord, AuditHeaderRecord } from './audit-record.js';
import { readLogLines } from './read-log-lines.js';
import { verifyAuditLog, type AuditVerification } from './verify-audit-log.js';

export interface ClassShare {
  readonly index: number;
  readonly label: string;
  readonly frames: number;
  readonly meanScore: number;
}

export interface SlowFrame {
  readonly index: number;
  readonly pts: number;
  readonly totalMs: number;
  readonly timings: Readonly<Record<string, number>>;
}

export interface AuditSummary {
  readonly path: string;
  readonly verification: Omit<AuditVerification, 'header' | 'footer'>;
  readonly header?: AuditHeaderRecord;
  readonly footer?: AuditFooterRecord;
  readonly frames: number;
  /** Lines that were not JSON records and were skipped. */
  readonly skippedLines: number;
  /** Per-frame columns, in log order. */
  readonly series: {
    readonly index: readonly number[];
    readonly pts: readonly number[];
    readonly classIndex: readonly number[];
    readonly score: readonly number[];
    readonly areaPercent: readonly number[];
    readonly tauRaw: readonly number[];
    readonly tauSmoothed: readonly number[];
    readonly totalMs: readonly number[];
  };
  /** Target classes by number of frames, most frequent first. */
  readonly classes: readonly ClassShare[];
  readonly sceneCuts: readonly { readonly index: number; readonly pts: number }[];
  /** The 10 frames with the largest summed stage timings, slowest first. */
  readonly slowest: readonly SlowFrame[];
  /** Median milliseconds per stage over all frames. */
  readonly stageMedians: Readonly<Record<string, number>>;
  readonly members: readonly string[];
  readonly thumbs: number;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function summariseAuditLog(path: string): Promise<AuditSummary> {
  const { header: vHeader, footer: vFooter, ...verification } = await verifyAuditLog(path);
  let header: AuditHeaderRecord | undefined = vHeader;
  let footer: AuditFooterRecord | undefined = vFooter;
  const cols = { index: [] as number[], pts: [] as number[], classIndex: [] as number[], score: [] as number[], areaPercent: [] as number[], tauRaw: [] as number[], tauSmoothed: [] as number[], totalMs: [] as number[] };
  const classes = new Map<number, { label: string; frames: number; scoreSum: number }>();
  const sceneCuts: { index: number; pts: number }[] = [];
  const stages = new Map<string, number[]>();
  const members = new Set<string>();
  let slow: SlowFrame[] = [];
  let skippedLines = 0;
  let thumbs = 0;

  if (verification.status !== 'unreadable') {
    for await (const line of readLogLines(path)) {
      let rec: { type?: unknown };
      try {
        rec = JSON.parse(line.bytes.toString('utf8')) as { type?: unknown };
        if (rec === null || typeof rec !== 'object') throw new Error('not an object');
      } catch {
        skippedLines += 1;
        continue;
      }
      if (rec.type === 'header') header ??= rec as AuditHeaderRecord;
      else if (rec.type === 'footer') footer ??= rec as AuditFooterRecord;
      else if (rec.type === 'frame') {
        const f = rec as AuditFrameRecord;
        const total = Object.values(f.timings ?? {}).reduce((a, b) => a + b, 0);
        cols.index.push(f.index); cols.pts.push(f.pts); cols.classIndex.push(f.target.index); cols.score.push(f.target.score);
        cols.areaPercent.push(f.consensus.areaPercent); cols.tauRaw.push(f.consensus.tauRaw); cols.tauSmoothed.push(f.consensus.tauSmoothed);
        cols.totalMs.push(total);
        const c = classes.get(f.target.index) ?? { label: f.target.label, frames: 0, scoreSum: 0 };
        c.frames += 1; c.scoreSum += f.target.score;
        classes.set(f.target.index, c);
        if (f.sceneCut) sceneCuts.push({ index: f.index, pts: f.pts });
        for (const [k, v] of Object.entries(f.timings ?? {})) {
          const arr = stages.get(k) ?? [];
          arr.push(v);
          stages.set(k, arr);
        }
        for (const m of Object.keys(f.members ?? {})) members.add(m);
        if (f.thumb) thumbs += 1;
        // Keep a small sorted window instead of sorting every frame at the end.
        if (slow.length < 10 || total > slow[slow.length - 1]!.totalMs) {
          slow.push({ index: f.index, pts: f.pts, totalMs: total, timings: f.timings });
          slow.sort((a, b) => b.totalMs - a.totalMs);
          slow = slow.slice(0, 10);
        }
      } else skippedLines += 1;
    }
  }
  return {
    path,
    verification,
    ...(header ? { header } : {}),
    ...(footer ? { footer } : {}),
    frames: cols.index.length,
    skippedLines,
    series: cols,
    classes: [...classes.entries()]
      .map(([index, c]) => ({ index, label: c.label, frames: c.frames, meanScore: c.scoreSum / c.frames }))
      .sort((a, b) => b.frames - a.frames || a.index - b.index),
    sceneCuts,
    slowest: slow,
    stageMedians: Object.fromEntries([...stages.entries()].map(([k, v]) => [k, median(v)])),
    members: [...members],
    thumbs,
  };
}
