/**
 * The shape of the house, checked on the source text: the CLI is a leaf (nothing imports it), the shared types
 * import no stage, one factory call builds MetaCAM and one builds explainers, and one module starts child
 * processes. A change that grows a back door fails here with the file that opened it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = sources(SRC).map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, 'utf8') }));
const importsOf = (text: string): string[] => [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);
/** Calls of `name(`, not its definition (`function name(`). */
const callers = (name: string) => files.filter((f) => new RegExp(`(?<!function )\\b${name}\\(`).test(f.text)).map((f) => f.path);

describe('architecture', () => {
  it('reads the source tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('no module outside src/cli imports from src/cli', () => {
    const offenders = files.filter((f) => !f.path.startsWith('src/cli/') && importsOf(f.text).some((s) => /(^|\/)cli\//.test(s)));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('src/core imports no stage', () => {
    const offenders = files.filter((f) => f.path.startsWith('src/core/') && importsOf(f.text).some((s) => s.startsWith('../') && !s.startsWith('../errors')));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('createMetaCam is called from one place (the per-frame stage), createExplainer from one (the engine)', () => {
    expect(callers('createMetaCam')).toEqual(['src/pipeline/frame-stage.ts']);
    expect(callers('createExplainer')).toEqual(['src/explain/engine/engine.ts']);
  });

  it('only the spawner starts child processes', () => {
    const offenders = files.filter((f) => importsOf(f.text).includes('node:child_process')).map((f) => f.path);
    expect(offenders).toEqual(['src/ingest/spawn-ffmpeg.ts']);
  });
});
