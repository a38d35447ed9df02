/**
 * Writes an audit log as the run goes: header on creation, one frame record per explained frame, a footer on
 * close. Design choices, and why:
 *   - In order only: `write` requires strictly increasing frame indices (the pipeline delivers in order; a
 *     reorder buffer would stall forever on a frame that is never explained) and throws E_AUDIT otherwise.
 *   - Synchronous file I/O: records are small (≈1 KB) next to a ~100 ms frame, it keeps ordering trivial, and
 *     `closeSync` from a SIGINT handler or an 'exit' hook runs exactly the same code as `close`.
 *   - Bounded buffering: lines are kept in memory for at most `flushEvery` records or `flushMs` milliseconds
 *     (an unref'd timer flushes a stalled pipeline), then written with one write(2). A process killed with
 *     SIGKILL loses at most that window, and what is on disk is a valid chain prefix (`verify` → truncated).
 *   - The footer is fsync'd; close/closeSync are idempotent and writes after close are refused (returns false).
 * Installs no signal handlers: the CLI owns process-wide hooks and calls closeSync('interrupted').
 */
import { closeSync as fsClose, fsyncSync, openSync, writeSync } from 'node:fs';
import { MetacamError } from '../errors.js';
import {
  AUDIT_SCHEMA_VERSION,
  type AuditFooterRecord,
  type AuditFrameBody,
  type AuditHeaderFields,
  type AuditHeaderRecord,
  type ExitReason,
} from './audit-record.js';
import { MergeTally } from '../metacam/distinct-members.js';
import { ChainAccumulator, sealFooterLine } from './chain.js';
import { serialiseRecord } from './serialise-record.js';
import { ZERO_SHA256 } from './sha256.js';

export interface AuditWriterOptions {
  /** Write to disk after this many buffered records (default 8; 1 = every record). */
  readonly flushEvery?: number;
  /** …or when the oldest buffered record is this old, in ms (default 1000). */
  readonly flushMs?: number;
  /** Also fsync on every flush, not only at the end (default false). */
  readonly fsyncOnFlush?: boolean;
  /**
   * When the run began (epoch ms; default: now). The footer's durationSeconds counts from it, and the header's
   * startedAt defaults to it: a queued run's log is written at the join but its run began at the coordinator.
   */
  readonly startedMs?: number;
}

export interface AuditCloseOptions {
  readonly exitReason: ExitReason;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface AuditWriter {
  readonly path: string;
  readonly header: AuditHeaderRecord;
  /** Frame records accepted so far. */
  readonly frames: number;
  readonly closed: boolean;
  /** Appends a frame record (index strictly increasing). Returns false, writing nothing, once closed. */
  write(frame: AuditFrameBody): boolean;
  /** Writes buffered records now. */
  flush(): void;
  /** Writes the footer, fsyncs, closes the file. Idempotent: later calls return the first footer. */
  close(options: AuditCloseOptions): Promise<AuditFooterRecord>;
  /** The same, synchronously: safe in a signal handler or a process 'exit' hook. */
  closeSync(exitReason: ExitReason, error?: { code: string; message: string }): AuditFooterRecord;
}

function ioError(path: string, what: string, cause: unknown): MetacamError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new MetacamError('E_OUTPUT_WRITE', `cannot ${what} audit log ${path}: ${msg}. Check the folder exists, is writable and has space.`, { cause });
}

export function createAuditWriter(path: string, header: AuditHeaderFields, options: AuditWriterOptions = {}): AuditWriter {
  const flushEvery = Math.max(1, Math.floor(options.flushEvery ?? 8));
  const flushMs = Math.max(1, options.flushMs ?? 1000);
  const startedMs = options.startedMs ?? Date.now();
  const headerRecord: AuditHeaderRecord = {
    type: 'header',
    prev: null,
    schemaVersion: AUDIT_SCHEMA_VERSION,
    ...header,
    startedAt: header.startedAt ?? new Date(startedMs).toISOString(),
  };
  // Serialise before opening, so a bad header leaves no file behind.
  const headerLine = serialiseRecord(headerRecord);

  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (cause) {
    throw ioError(path, 'create', cause);
  }
  const chain = new ChainAccumulator();
  let pending: string[] = [];
  let oldestPendingMs = 0;
  let frames = 0;
  let lastIndex = -1;
  let dropped = 0;
  let footer: AuditFooterRecord | undefined;
  const merges = new MergeTally();
  let timer: NodeJS.Timeout | undefined;

  const writeNow = (text: string): void => {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    } catch (cause) {
      throw ioError(path, 'write', cause);
    }
  };

  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    writeNow(text);
    if (options.fsyncOnFlush) fsyncSync(fd);
  };

  const append = (line: string): void => {
    chain.add(line);
    if (pending.length === 0) oldestPendingMs = Date.now();
    pending.push(line + '\n');
    if (pending.length >= flushEvery || Date.now() - oldestPendingMs >= flushMs) flush();
  };

  try {
    append(headerLine);
    flush();
  } catch (e) {
    fsClose(fd);
    throw e;
  }
  timer = setInterval(() => {
    try {
      if (pending.length > 0 && Date.now() - oldestPendingMs >= flushMs) flush();
    } catch {
      // The next write() or close() hits the same error and reports it to the caller.
    }
  }, flushMs);
  timer.unref();

  const closeSync = (exitReason: ExitReason, error?: { code: string; message: string }): AuditFooterRecord => {
    if (footer) return footer;
    if (timer) clearInterval(timer);
    timer = undefined;
    const merged = merges.value;
    const body = {
      type: 'footer' as const,
      prev: chain.prev!,
      frames,
      dropped,
      durationSeconds: Math.max(0, (Date.now() - startedMs) / 1000),
      exitReason,
      ...(merged.length ? { merged } : {}),
      ...(error ? { error: { code: String(error.code), message: String(error.message) } } : {}),
      chainSha256: ZERO_SHA256,
    };
    const line = sealFooterLine(serialiseRecord(body), chain);
    const sealed: AuditFooterRecord = { ...body, chainSha256: line.slice(-66, -2) };
    footer = sealed;
    try {
      pending.push(line + '\n');
      flush();
      fsyncSync(fd);
    } catch (cause) {
      throw cause instanceof MetacamError ? cause : ioError(path, 'fsync', cause);
    } finally {
      try { fsClose(fd); } catch { /* already closed by the OS on a failing disk; nothing left to release */ }
    }
    return sealed;
  };

  return {
    path,
    header: headerRecord,
    get frames() { return frames; },
    get closed() { return footer !== undefined; },
    write(frame: AuditFrameBody): boolean {
      if (footer) return false;
      if (!Number.isInteger(frame.index) || frame.index <= lastIndex) {
        throw new MetacamError('E_AUDIT', `audit frame ${frame.index} written after frame ${lastIndex}; frames must be written once each, in increasing index order`);
      }
      // prev always comes from the chain, never from the caller; type and prev lead the line for readability.
      const { type: _type, prev: _prev, ...fields } = frame as AuditFrameBody & { prev?: unknown };
      const line = serialiseRecord({ type: 'frame', prev: chain.prev, ...fields });
      lastIndex = frame.index;
      frames += 1;
      dropped = Math.max(dropped, frame.dropped);
      if (frame.merged) merges.push(frame.merged);
      append(line);
      return true;
    },
    flush() {
      if (!footer) flush();
    },
    async close(o: AuditCloseOptions): Promise<AuditFooterRecord> {
      return closeSync(o.exitReason, o.error ? { code: o.error.code, message: o.error.message } : undefined);
    },
    closeSync,
  };
}
