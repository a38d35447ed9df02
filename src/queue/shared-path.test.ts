import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MetacamError } from '../errors.js';
import { checkShared, checkSharedWritable } from './shared-path.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-shared-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as MetacamError).code;
  }
  return undefined;
};

describe('shared-folder checks in a worker', () => {
  it('a path this worker cannot see: E_INPUT_MISSING saying it is not reachable and must be on a shared folder', () => {
    const missing = join(dir, 'nowhere', 'in.mp4');
    expect(() => checkShared(missing, 'input')).toThrow(/the input .*nowhere\/in\.mp4 is not reachable from this worker .* shared folder/);
    expect(codeOf(() => checkShared(missing, 'input'))).toBe('E_INPUT_MISSING');
    expect(new MetacamError('E_INPUT_MISSING', '').exitCode).toBe(2); // not retried (queue-error.ts)
  });

  it('a writable folder passes', () => {
    expect(codeOf(() => checkSharedWritable(dir, 'work folder'))).toBeUndefined();
  });

  // A folder it can see but not write: a read-only folder for an ordinary user; root writes anywhere on a normal
  // file system, so as root the folder is /proc, where no one can create a file.
  it('a folder it can see but not write: E_OUTPUT_WRITE naming the shared folder', () => {
    const ro = process.getuid?.() === 0 ? '/proc' : join(dir, 'ro');
    if (ro !== '/proc') {
      mkdirSync(ro);
      chmodSync(ro, 0o555);
    }
    try {
      expect(() => checkSharedWritable(ro, 'work folder')).toThrow(/work folder .*(ro|proc) is not writable from this worker .* shared folder/);
      expect(codeOf(() => checkSharedWritable(ro, 'work folder'))).toBe('E_OUTPUT_WRITE');
    } finally {
      if (ro !== '/proc') chmodSync(ro, 0o755);
    }
  });

  it('the write probe leaves nothing behind', () => {
    checkSharedWritable(dir, 'work folder');
    expect(readdirSync(dir).filter((f) => f.startsWith('.metacam-write-probe'))).toEqual([]);
  });
});
