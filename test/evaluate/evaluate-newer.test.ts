/**
 * `metacam evaluate` scores the newer methods like any member, and with the default members it also scores the
 * Random-CAM baseline — reported as the floor, never fused into MetaCAM (frame-stage's fusedMembers).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SHAPES_CLIP, SHAPES_GT, writeFixtureModel } from './fixtures.js';
import { fusedMembers } from '../../src/pipeline/frame-stage.js';
import { getMethods } from '../../src/explain/methods/index.js';

let dir: string;
let model: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metacam-eval-newer-'));
  model = await writeFixtureModel(dir);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('evaluate with the newer methods', () => {
  it('fusedMembers leaves the baseline out, unless it is alone', () => {
    expect(fusedMembers(getMethods(['gradcam', 'random', 'fem']))).toEqual(['gradcam', 'fem']);
    expect(fusedMembers(getMethods(['random']))).toEqual(['random']);
  });

  it('scores --methods fem,kpca-cam,shapleycam,finercam,random and MetaCAM', async () => {
    const out = join(dir, 'explicit.json');
    const r = await runCli(['evaluate', SHAPES_CLIP, '--ground-truth', SHAPES_GT, '-m', model, '--methods', 'fem,kpca-cam,shapleycam,finercam,random', '--top-k', '10', '--max-frames', '3', '--json', out]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { results: Record<string, Record<string, Record<string, number>>> };
    expect(Object.keys(json.results)).toEqual(['fem', 'kpca-cam', 'shapleycam', 'finercam', 'random', 'metacam']);
    for (const perK of Object.values(json.results)) expect(perK['10']!.energyInBox).toBeGreaterThanOrEqual(0);
  }, 180_000);

  it('with the default members, reports random as the floor', async () => {
    const out = join(dir, 'default.json');
    const r = await runCli(['evaluate', SHAPES_CLIP, '--ground-truth', SHAPES_GT, '-m', model, '--top-k', '10', '--max-frames', '2', '--max-channels', '4', '--json', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+random\s+(thr )?│/m);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { results: Record<string, unknown> };
    expect(Object.keys(json.results)).toContain('random');
    expect(Object.keys(json.results)).toContain('gradcam');
  }, 300_000);
});
