/**
 * Recomputes an audit log's chain and says whether it is intact, broken (changed), truncated (stopped before
 * its footer, e.g. a crash: everything present is intact) or unreadable (not an audit log at all).
 *
 * Which line is reported (firstBadLine, 1-based), checking lines in order and stopping at the first problem:
 *   - a line that is not JSON, fails the schema, or breaks the structure (second header, record after the
 *     footer, frame index not increasing, footer seal or frame count wrong) → that line;
 *   - a line whose `prev` is not the sha256 of the line before → the line BEFORE it: its bytes no longer hash
 *     to what the next record committed to. That is the changed line when one byte of a record was edited;
 *     for a deleted line it is the last line before the gap, for two swapped lines the line before the pair.
 * A last line without a newline that does not parse is a write cut short: the log is "truncated" there.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { isMetacamError } from '../errors.js';
import type { AuditFooterRecord, AuditHeaderRecord } from './audit-record.js';
import { AUDIT_SCHEMA_VERSION } from './audit-record.js';
import { ChainAccumulator, splitFooterSeal } from './chain.js';
import { countVideoFrames } from './count-video-frames.js';
import { readLogLines } from './read-log-lines.js';
import { auditRecordError } from './record-schema.js';
import { sha256File } from './sha256.js';

export type AuditStatus = 'intact' | 'broken' | 'truncated' | 'unreadable';

export interface AuditVerification {
  readonly status: AuditStatus;
  /** 1-based line of the first problem (broken), or of an incomplete final line (truncated). */
  readonly firstBadLine?: number;
  readonly reason?: string;
  /** Frame records that verified before the first problem (all of them when intact or truncated). */
  readonly frames: number;
  /** Lines read. */
  readonly lines: number;
  readonly header?: AuditHeaderRecord;
  readonly footer?: AuditFooterRecord;
  /** With videoPath: the video's decoded frame count and whether it equals `frames`. */
  readonly video?: { readonly path: string; readonly frames: number; readonly matches: boolean };
  /** Thumbnails referenced by frame records; `checked` were found and hash-matched, `missing` were not found. */
  readonly thumbs?: { readonly referenced: number; readonly checked: number; readonly missing: number };
}

export interface VerifyOptions {
  readonly videoPath?: string;
  /** Check referenced thumbnails that can be found (as written, or next to the log) against their sha256 (default true). */
  readonly checkThumbs?: boolean;
}

interface ThumbClaim { readonly line: number; readonly path: string; readonly sha256: string }

/** CLI exit code for a status: 0 intact, 1 broken or truncated, 2 unreadable. */
export function verifyExitCode(status: AuditStatus): number {
  return status === 'intact' ? 0 : status === 'unreadable' ? 2 : 1;
}

type Rec = Record<string, unknown>;

async function verifyChain(path: string, thumbs: ThumbClaim[]): Promise<AuditVerification> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return { status: 'unreadable', reason: `${path} is not a regular file`, frames: 0, lines: 0 };
  } catch (e) {
    return { status: 'unreadable', reason: `cannot read ${path}: ${(e as Error).message}`, frames: 0, lines: 0 };
  }
  const chain = new ChainAccumulator();
  let frames = 0;
  let lines = 0;
  let lastIndex = -1;
  let header: AuditHeaderRecord | undefined;
  let footer: AuditFooterRecord | undefined;
  const result = (status: AuditStatus, reason?: string, firstBadLine?: number): AuditVerification => ({
    status, frames, lines, ...(firstBadLine !== undefined ? { firstBadLine } : {}), ...(reason ? { reason } : {}),
    ...(header ? { header } : {}), ...(footer ? { footer } : {}),
  });
  const broken = (line: number, reason: string) => result('broken', reason, line);

  try {
    for await (const line of readLogLines(path)) {
      lines = line.number;
      const n = line.number;
      if (footer) return broken(n, `line ${n} follows the footer: records were appended after the log was closed`);
      let rec: unknown;
      try {
        rec = JSON.parse(line.bytes.toString('utf8'));
      } catch {
        if (n === 1) return result('unreadable', `not a metacam audit log: line 1 is not JSON`);
        if (!line.terminated) {
          return result('truncated', `line ${n} is an incomplete final write (no newline, not JSON): the writer stopped mid-record; lines 1–${n - 1} are an intact chain`, n);
        }
        return broken(n, `line ${n} is not valid JSON`);
      }
      const r = (rec !== null && typeof rec === 'object' && !Array.isArray(rec) ? rec : {}) as Rec;
      if (n === 1) {
        if (r.type !== 'header') return result('unreadable', `not a metacam audit log: line 1 is not a header record`);
        if (typeof r.schemaVersion === 'number' && r.schemaVersion > AUDIT_SCHEMA_VERSION) {
          return result('unreadable', `log schema version ${r.schemaVersion} is newer than this metacam understands (${AUDIT_SCHEMA_VERSION}); upgrade metacam-video`);
        }
      }
      const schemaError = auditRecordError(rec);
      if (schemaError) return broken(n, `line ${n} does not match the audit schema: ${schemaError}`);
      if (n > 1 && r.type === 'header') return broken(n, `line ${n} is a second header`);
      if (n > 1 && r.prev !== chain.prev) {
        return broken(n - 1, `line ${n - 1} does not hash to line ${n}'s prev: line ${n - 1} was changed, or lines after it were removed, inserted or reordered`);
      }
      if (r.type === 'header') {
        header = rec as AuditHeaderRecord;
      } else if (r.type === 'frame') {
        const index = r.index as number;
        if (index <= lastIndex) return broken(n, `line ${n} has frame index ${index} after ${lastIndex}: frames out of order or duplicated`);
        lastIndex = index;
        const t = r.thumb as { path: string; sha256: string } | undefined;
        if (t) thumbs.push({ line: n, path: t.path, sha256: t.sha256 });
      } else {
        const seal = splitFooterSeal(line.bytes);
        if (!seal) return broken(n, `line ${n} (footer) must end with "chainSha256":"<64 hex>"}`);
        if (seal.claimed !== chain.seal(seal.zeroed)) {
          return broken(n, `line ${n} (footer): chainSha256 does not match the file; the footer was changed`);
        }
        if (r.frames !== frames) return broken(n, `line ${n} (footer) says ${String(r.frames)} frames but the log has ${frames} frame records`);
        footer = rec as AuditFooterRecord;
        continue;
      }
      chain.add(line.bytes);
      if (r.type === 'frame') frames += 1;
    }
  } catch (e) {
    return result('unreadable', `cannot read ${path}: ${(e as Error).message}`);
  }
  if (lines === 0) return result('unreadable', `${path} is empty: not a metacam audit log`);
  if (!footer) {
    return result('truncated', `no footer after line ${lines}: the run stopped before closing the log (crash or kill); the ${lines} lines present are an intact chain`);
  }
  return result('intact');
}

/** A thumbnail path as written by the run, or the same relative path next to the log (logs get moved). */
function findThumb(logPath: string, p: string): string | null {
  if (existsSync(p)) return p;
  const beside = isAbsolute(p) ? null : join(dirname(logPath), p);
  return beside && existsSync(beside) ? beside : null;
}

async function verifyThumbs(logPath: string, v: AuditVerification, claims: readonly ThumbClaim[]): Promise<AuditVerification> {
  let checked = 0;
  let missing = 0;
  for (const c of claims) {
    const found = findThumb(logPath, c.path);
    if (!found) { missing += 1; continue; }
    if ((await sha256File(found)) !== c.sha256) {
      return { ...v, status: 'broken', firstBadLine: c.line, reason: `thumbnail ${found} does not match the sha256 recorded in line ${c.line}: the image was replaced or edited`, thumbs: { referenced: claims.length, checked, missing } };
    }
    checked += 1;
  }
  return { ...v, thumbs: { referenced: claims.length, checked, missing } };
}

export async function verifyAuditLog(path: string, options: VerifyOptions = {}): Promise<AuditVerification> {
  const claims: ThumbClaim[] = [];
  let v = await verifyChain(path, claims);
  if (claims.length && options.checkThumbs !== false && (v.status === 'intact' || v.status === 'truncated')) v = await verifyThumbs(path, v, claims);
  if (!options.videoPath || (v.status !== 'intact' && v.status !== 'truncated')) return v;
  let videoFrames: number;
  try {
    videoFrames = await countVideoFrames(options.videoPath);
  } catch (e) {
    return { ...v, status: 'unreadable', reason: isMetacamError(e) ? e.message : String(e) };
  }
  const matches = videoFrames === v.frames;
  const video = { path: options.videoPath, frames: videoFrames, matches };
  if (v.status === 'intact' && !matches) {
    return { ...v, status: 'broken', video, reason: `${options.videoPath} has ${videoFrames} frames but the log has ${v.frames} frame records` };
  }
  return { ...v, video };
}
