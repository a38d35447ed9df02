/**
 * Helpers for the fault-injection tests: find a run's ffmpeg children by their command line (to kill one the
 * way the OS or a user would), count the audit log's frame records as they are written, poll with a bound,
 * and read a process's RSS. Everything here observes real processes through /proc; nothing is mocked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly cmd: string;
}

function procInfo(pid: number): ProcInfo | undefined {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    // Field 4 of /proc/PID/stat is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { pid, ppid, cmd };
  } catch {
    return undefined; // ended while we looked
  }
}

/** Live (not zombie) ffmpeg processes whose parent is `parent` and whose command line passes `match`. */
export function ffmpegChildren(parent: number, match: (cmd: string) => boolean): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = procInfo(Number(entry));
    if (!p || p.ppid !== parent || !p.cmd.includes('ffmpeg') || !match(p.cmd)) continue;
    if (processState(p.pid) === 'Z') continue;
    out.push(p);
  }
  return out;
}

/** The single-letter state from /proc/PID/status (R, S, Z, …), or undefined once the pid is gone. */
export function processState(pid: number): string | undefined {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in MiB (VmRSS), or undefined once it is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Frame records written so far to an audit log (0 while it does not exist). */
export function frameRecords(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.includes('"type":"frame"')).length;
}

/**
 * Fragments of a fragmented MP4 that are completely on disk: top-level `moof` boxes followed by an `mdat` whose
 * last byte has been written. 0 while the file does not exist or holds only `ftyp` + `moov`.
 */
export function completeFragments(path: string): number {
  if (!existsSync(path)) return 0;
  const buf = readFileSync(path);
  let count = 0;
  let sawMoof = false;
  for (let at = 0; at + 8 <= buf.length;) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (size === 1) {
      if (at + 16 > buf.length) break;
      size = Number(buf.readBigUInt64BE(at + 8));
    }
    if (size < 8 || at + size > buf.length) break; // a box still being written
    if (type === 'moof') sawMoof = true;
    else if (type === 'mdat' && sawMoof) { count++; sawMoof = false; }
    at += size;
  }
  return count;
}

/** Polls `pred` every 50 ms; rejects with `what` after `ms`. */
export async function until(pred: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += xs[i]!; my += ys[i]!; }
  mx /= n; my /= n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { num += (xs[i]! - mx) * (ys[i]! - my); den += (xs[i]! - mx) ** 2; }
  return den === 0 ? 0 : num / den;
}
