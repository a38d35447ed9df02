/**
 * `metacam explain a.mp4 b.mp4 … --out-dir d`: several inputs, one run each, the same way with and without
 * --queue. Input `x/name.ext` writes `d/name.mp4` and its audit log `d/name.audit.jsonl`. Checked before any
 * work: two inputs with the same name (they would overwrite each other's output), an output that would be its
 * own input, and an --out-dir that cannot be created. A run that fails names its input and the outputs already
 * written, which stay.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isMetacamError, MetacamError } from '../errors.js';

/** One input and where its results go. */
export interface ExplainRun {
  readonly input: string;
  readonly output: string;
  readonly audit?: string;
}

/** `x/name.ext` → `name`. */
export function runName(input: string): string {
  const base = basename(input);
  const ext = extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}

export function outDirRuns(inputs: readonly string[], outDir: string): ExplainRun[] {
  if (inputs.length === 0) throw new MetacamError('E_ARG', 'metacam explain needs at least one input video.');
  const seen = new Map<string, string>();
  return inputs.map((input) => {
    const name = runName(input);
    // Lower case: on a case-insensitive file system A.mp4 and a.mp4 are the same output.
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) {
      throw new MetacamError('E_ARG', `${other} and ${input} would both write ${join(outDir, `${name}.mp4`)}: inputs given with --out-dir need different file names. Rename one, or run them with separate --out-dir folders.`);
    }
    seen.set(name.toLowerCase(), input);
    const run = { input, output: join(outDir, `${name}.mp4`), audit: join(outDir, `${name}.audit.jsonl`) };
    if (resolve(run.output) === resolve(input)) {
      throw new MetacamError('E_ARG', `--out-dir ${outDir} would overwrite the input ${input} with its output: choose another --out-dir.`);
    }
    return run;
  });
}

/**
 * The folder exists and is writable, or the nearest folder above it that exists is (so it can be created).
 * Creates nothing: a run that fails its other checks (a bad input, an unreachable queue) leaves no folder behind.
 */
export function checkOutDir(outDir: string): void {
  const fail = (why: string): never => {
    throw new MetacamError('E_ARG', `--out-dir ${outDir} cannot be created or written: ${why}. Give a folder you can write to.`);
  };
  let dir = resolve(outDir);
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(dir).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file further up; the walk up finds and names it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') fail((e as Error).message);
    }
    if (isDir === false) fail(`${dir} is a file, not a folder`);
    if (isDir) {
      try {
        accessSync(dir, constants.W_OK | constants.X_OK);
      } catch {
        fail(`${dir} is not writable`);
      }
      return;
    }
    const up = dirname(dir);
    if (up === dir) fail('no part of the path exists');
    dir = up;
  }
}

/** A run's failure, naming its input and the outputs already written (which stay), with the original code. */
export function runFailure(e: unknown, run: ExplainRun, finished: readonly string[]): MetacamError {
  const code = isMetacamError(e) ? e.code : 'E_INTERNAL';
  const message = String((e as Error)?.message ?? e);
  const named = message.includes(run.input) ? message : `${run.input}: ${message}`;
  const kept = finished.length ? ` (finished and kept: ${finished.join(', ')})` : '';
  return new MetacamError(code, `${named}${kept}`, { cause: e });
}
