import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MetacamError } from '../errors.js';
import { checkOutDir, outDirRuns, runFailure, runName } from './out-dir-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-outdir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--out-dir runs', () => {
  it.each([
    ['clips/a.mp4', 'a'], ['b.mov', 'b'], ['x/with.dots.mkv', 'with.dots'], ['noext', 'noext'], ['.hidden', '.hidden'],
  ])('%s is named %s', (input, name) => {
    expect(runName(input)).toBe(name);
  });

  it('input x/name.ext → d/name.mp4 and d/name.audit.jsonl, in the order given', () => {
    expect(outDirRuns(['x/a.mp4', 'y/b.mov'], 'd')).toEqual([
      { input: 'x/a.mp4', output: 'd/a.mp4', audit: 'd/a.audit.jsonl' },
      { input: 'y/b.mov', output: 'd/b.mp4', audit: 'd/b.audit.jsonl' },
    ]);
  });

  it.each([
    [['x/a.mp4', 'y/a.mp4'], 'd', /x\/a\.mp4 and y\/a\.mp4 would both write d\/a\.mp4/],
    [['a.mp4', 'A.mov'], 'd', /would both write/],
    [['d/a.mp4'], 'd', /would overwrite the input d\/a\.mp4/],
    [[], 'd', /at least one input/],
  ])('%j with --out-dir %s → E_ARG %s', (inputs, outDir, message) => {
    expect(() => outDirRuns(inputs, outDir)).toThrow(message);
    expect(() => outDirRuns(inputs, outDir)).toThrow(MetacamError);
  });

  it('checkOutDir: an existing or creatable folder passes and nothing is created; under a file → E_ARG', () => {
    expect(() => checkOutDir(dir)).not.toThrow();
    expect(() => checkOutDir(join(dir, 'new', 'deeper'))).not.toThrow();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => checkOutDir(join(dir, 'file'))).toThrow(/--out-dir .*file cannot be created or written: .*is a file, not a folder/);
    expect(() => checkOutDir(join(dir, 'file', 'below'))).toThrow(/is a file, not a folder/);
    try {
      checkOutDir(join(dir, 'file'));
    } catch (e) {
      expect((e as MetacamError).code).toBe('E_ARG');
    }
  });

  it('runFailure names the input and the outputs kept, with the original code', () => {
    const e = runFailure(new MetacamError('E_INPUT_INVALID', 'ffprobe cannot read it'), { input: 'b.mp4', output: 'd/b.mp4' }, ['d/a.mp4']);
    expect(e.code).toBe('E_INPUT_INVALID');
    expect(e.message).toBe('b.mp4: ffprobe cannot read it (finished and kept: d/a.mp4)');
    expect(runFailure(new MetacamError('E_INPUT_MISSING', 'the input /x/b.mp4 is gone'), { input: '/x/b.mp4', output: 'o' }, []).message).toBe('the input /x/b.mp4 is gone');
  });
});
