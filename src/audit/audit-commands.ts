/**
 * The two `metacam audit` subcommands as plain functions of (argv after the subcommand, io) → exit code, so the
 * CLI only dispatches and the tests run them in-process:
 *   metacam audit verify <log.jsonl> [--video out.mp4] [--json]   0 intact, 1 broken or truncated, 2 unreadable/bad args
 *   metacam audit summary <log.jsonl> [--html report.html]        0, or 2 when the log is unreadable/bad args
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderSummaryHtml } from './render-summary-html.js';
import { summariseAuditLog, type AuditSummary } from './summarise-audit-log.js';
import { verifyAuditLog, verifyExitCode, type AuditVerification } from './verify-audit-log.js';

export interface AuditIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

const VERIFY_USAGE = 'usage: metacam audit verify <log.jsonl> [--video out.mp4] [--json]';
const SUMMARY_USAGE = 'usage: metacam audit summary <log.jsonl> [--html report.html]';

type Parsed<T> = { ok: true; file: string; values: T } | { ok: false; code: number };

function parse<T>(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>, usage: string, io: AuditIo): Parsed<T> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n${usage}\n`);
    return { ok: false, code: 2 };
  }
  if (parsed.values.help) {
    io.stdout.write(`${usage}\n`);
    return { ok: false, code: 0 };
  }
  if (parsed.positionals.length !== 1) {
    io.stderr.write(`error: expected exactly one audit log file, got ${parsed.positionals.length}${parsed.positionals.length ? ` (${parsed.positionals.join(', ')})` : ''}\n${usage}\n`);
    return { ok: false, code: 2 };
  }
  for (const [k, v] of Object.entries(parsed.values)) {
    if (v === '') {
      io.stderr.write(`error: --${k} needs a file path\n${usage}\n`);
      return { ok: false, code: 2 };
    }
  }
  return { ok: true, file: parsed.positionals[0]!, values: parsed.values as T };
}

export function formatVerification(file: string, v: AuditVerification): string {
  const lines: string[] = [];
  if (v.status === 'intact') {
    const f = v.footer!;
    lines.push(`intact: ${file}`);
    lines.push(`  ${v.frames} frame records, ${v.lines} lines; run ${f.exitReason} after ${f.durationSeconds.toFixed(1)} s${f.error ? ` (${f.error.code}: ${f.error.message})` : ''}`);
    lines.push(`  chain sha256 ${f.chainSha256}`);
  } else {
    lines.push(`${v.status.toUpperCase()}: ${file}${v.firstBadLine !== undefined ? ` at line ${v.firstBadLine}` : ''}`);
    if (v.reason) lines.push(`  ${v.reason}`);
    if (v.status !== 'unreadable') lines.push(`  ${v.frames} frame records verified before that`);
  }
  if (v.thumbs) lines.push(`  thumbnails: ${v.thumbs.referenced} referenced, ${v.thumbs.checked} checked${v.thumbs.missing ? `, ${v.thumbs.missing} not found (not checked)` : ''}`);
  if (v.video) lines.push(`  video ${v.video.path}: ${v.video.frames} frames, ${v.video.matches ? 'matches' : 'does NOT match'} the log's ${v.frames} frame records`);
  return lines.join('\n') + '\n';
}

export async function auditVerifyCommand(argv: string[], io: AuditIo): Promise<number> {
  const p = parse<{ video?: string; json?: boolean }>(argv, { video: { type: 'string' }, json: { type: 'boolean' } }, VERIFY_USAGE, io);
  if (!p.ok) return p.code;
  const v = await verifyAuditLog(p.file, p.values.video ? { videoPath: p.values.video } : {});
  if (p.values.json) io.stdout.write(`${JSON.stringify({ file: p.file, ...v }, null, 2)}\n`);
  else io.stdout.write(formatVerification(p.file, v));
  return verifyExitCode(v.status);
}

const pct = (v: number) => `${v.toFixed(1)} %`;
function stats(values: readonly number[]): string {
  if (!values.length) return '–';
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of values) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
  return `mean ${(sum / values.length).toFixed(3)}, min ${min.toFixed(3)}, max ${max.toFixed(3)}`;
}

export function formatSummary(s: AuditSummary): string {
  const h = s.header;
  const f = s.footer;
  const v = s.verification;
  const out: string[] = [];
  out.push(`audit log ${s.path}: ${v.status}${v.firstBadLine !== undefined ? ` (line ${v.firstBadLine})` : ''}${v.reason ? ` — ${v.reason}` : ''}`);
  if (h) {
    out.push(`  model     ${h.model.id} (sha256 ${h.model.sha256.slice(0, 16)}…), layer ${h.layer}`);
    out.push(`  methods   ${h.methods.join(', ')}; top-k ${h.topK} %, smoothing ${h.smoothSeconds} s; backend ${h.backend}`);
    out.push(`  input     ${h.input.path}${h.input.sha256 ? ` (sha256 ${h.input.sha256.slice(0, 16)}…)` : ' (live)'}`);
    out.push(`  ffmpeg    ${h.ffmpeg.version} [${h.ffmpeg.source}]`);
  }
  out.push(`  frames    ${s.frames}${f ? `, dropped ${f.dropped}, ${f.durationSeconds.toFixed(1)} s, exit ${f.exitReason}${f.error ? ` (${f.error.code})` : ''}` : ', no footer'}`);
  out.push(`  classes   ${s.classes.map((c) => `${c.label} ${pct((100 * c.frames) / Math.max(1, s.frames))}`).join(', ') || '–'}`);
  out.push(`  area %    ${stats(s.series.areaPercent)}`);
  out.push(`  τ raw     ${stats(s.series.tauRaw)}`);
  out.push(`  τ smooth  ${stats(s.series.tauSmoothed)}`);
  out.push(`  cuts      ${s.sceneCuts.length ? s.sceneCuts.map((c) => `#${c.index} (${c.pts.toFixed(2)} s)`).join(', ') : 'none'}`);
  out.push(`  stages    ${Object.entries(s.stageMedians).map(([k, m]) => `${k} ${m.toFixed(1)}`).join(', ') || '–'} (median ms)`);
  if (s.slowest.length) out.push(`  slowest   ${s.slowest.slice(0, 5).map((r) => `#${r.index} ${r.totalMs.toFixed(1)} ms`).join(', ')}`);
  if (s.skippedLines) out.push(`  skipped   ${s.skippedLines} unparseable line(s)`);
  return out.join('\n') + '\n';
}

export async function auditSummaryCommand(argv: string[], io: AuditIo): Promise<number> {
  const p = parse<{ html?: string }>(argv, { html: { type: 'string' } }, SUMMARY_USAGE, io);
  if (!p.ok) return p.code;
  const s = await summariseAuditLog(p.file);
  if (s.verification.status === 'unreadable') {
    io.stderr.write(`error: ${s.verification.reason ?? `${p.file} is not a readable audit log`}\n`);
    return 2;
  }
  io.stdout.write(formatSummary(s));
  if (p.values.html) {
    try {
      await writeFile(p.values.html, renderSummaryHtml(s));
    } catch (e) {
      io.stderr.write(`error: cannot write ${p.values.html}: ${(e as Error).message}; check the folder exists and is writable\n`);
      return 1;
    }
    io.stdout.write(`  report    ${p.values.html}\n`);
  }
  return 0;
}
