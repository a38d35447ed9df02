/**
 * Workers and the coordinator must see the same files at the same absolute paths (a shared folder: NFS, SMB, a
 * bind mount). A worker checks each job's paths before it works on them and says plainly when it cannot: a
 * missing path is E_INPUT_MISSING (exit 2 class: not retried, since retrying cannot make a folder appear), a
 * folder it cannot write (a real write probe) is E_OUTPUT_WRITE. The coordinator reports the message as the run's error.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { MetacamError } from '../errors.js';

const SHARED = 'Input and output must be on a shared folder that every worker sees at the same path as the coordinator (NFS, SMB, a bind mount).';

export function checkShared(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new MetacamError('E_INPUT_MISSING', `the ${what} ${path} is not reachable from this worker (${hostname()}, pid ${process.pid}). ${SHARED}`);
  }
}

export function checkSharedWritable(dir: string, what: string): void {
  checkShared(dir, what);
  // A real write, not access(2): on network shares (NFS with root squash, SMB) access() can say yes to a write
  // the server then refuses.
  const probe = join(dir, `.metacam-write-probe-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (cause) {
    throw new MetacamError('E_OUTPUT_WRITE', `the ${what} ${dir} is not writable from this worker (${hostname()}, pid ${process.pid}). ${SHARED}`, { cause });
  }
}
