/**
 * "Nothing lost": a real child process writes a log and is killed. SIGKILL (a crash) must leave an intact chain
 * prefix that verifies as truncated; a SIGINT handler and an 'exit' hook calling closeSync must leave a closed,
 * intact log whose footer says why.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/audit/index.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-audit-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = fileURLToPath(new URL('./fixtures/writer-child.ts', import.meta.url));

/** Runs the child until it prints "ready", applies `act`, and resolves with how it ended. */
function runChild(log: string, mode: string, frames: number, act: (pid: number) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, log, mode, String(frames)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let acted = false;
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.on('data', (d: Buffer) => {
      if (!acted && d.toString().includes('ready')) {
        acted = true;
        act(child.pid!);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a writer process that dies', () => {
  it('SIGKILL mid-run leaves a log that verifies as truncated, with every flushed frame intact', async () => {
    const log = join(dir, 'killed.jsonl');
    const end = await runChild(log, 'kill', 20, (pid) => process.kill(pid, 'SIGKILL'));
    expect(end.signal).toBe('SIGKILL');
    const v = await verifyAuditLog(log);
    // flushEvery 8: frames 0–15 reached the disk in two writes, frames 16–19 were still buffered.
    expect(v).toMatchObject({ status: 'truncated', frames: 16, lines: 17 });
    expect(v.footer).toBeUndefined();
  });

  it('SIGINT with a handler that calls closeSync leaves an intact log with an interrupted footer', async () => {
    const log = join(dir, 'sigint.jsonl');
    const end = await runChild(log, 'sigint', 20, (pid) => process.kill(pid, 'SIGINT'));
    expect(end.code).toBe(130);
    const v = await verifyAuditLog(log);
    expect(v).toMatchObject({ status: 'intact', frames: 20, footer: { exitReason: 'interrupted', frames: 20 } });
  });

  it("an uncaught exception with closeSync in an 'exit' hook leaves an intact log with an error footer", async () => {
    const log = join(dir, 'exit.jsonl');
    const end = await runChild(log, 'exit', 11, () => {});
    expect(end.code).toBe(1);
    expect(end.stderr).toContain('uncaught failure');
    const v = await verifyAuditLog(log);
    expect(v).toMatchObject({ status: 'intact', frames: 11, footer: { exitReason: 'error', error: { code: 'E_INTERNAL' } } });
  });
});
