/**
 * What the queue tests share: reading a run's audit log, "the queued run equals the local run" (frame indices,
 * predicted classes, decoded pixels, smoothed thresholds within 1e-3), and `metacam worker` child processes.
 */
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { startCli, type CliResult } from './cli.js';

export interface AuditRec {
  type: string;
  index: number;
  target: { index: number };
  consensus: { tauSmoothed: number };
  pixelsSha256: string;
  startedAt?: string;
  durationSeconds?: number;
}

export const auditRecords = (path: string): AuditRec[] => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRec);
export const auditFrames = (path: string): AuditRec[] => auditRecords(path).filter((r) => r.type === 'frame');

export function expectSameAsLocal(local: AuditRec[], queued: AuditRec[]): void {
  expect(queued.map((r) => r.index)).toEqual(local.map((r) => r.index));
  expect(queued.map((r) => r.target.index)).toEqual(local.map((r) => r.target.index));
  expect(queued.map((r) => r.pixelsSha256)).toEqual(local.map((r) => r.pixelsSha256));
  const worst = Math.max(...local.map((r, i) => Math.abs(r.consensus.tauSmoothed - queued[i]!.consensus.tauSmoothed)));
  expect(worst).toBeLessThan(1e-3);
}

export interface StartedWorker {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Everything the worker wrote to stderr so far. */
  log(): string;
}

/** `metacam worker --redis url --lock-seconds s …extra` as a child process. */
export function startWorker(url: string, lockSeconds: number, extra: readonly string[] = []): StartedWorker {
  const w = startCli(['worker', '--redis', url, '--lock-seconds', String(lockSeconds), ...extra]);
  let log = '';
  w.child.stderr!.on('data', (d: string) => { log += d; });
  return { ...w, log: () => log };
}

export async function stopWorker(w: { child: ChildProcess; done: Promise<CliResult> }): Promise<CliResult> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  return w.done;
}
