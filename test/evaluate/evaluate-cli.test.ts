/**
 * `metacam evaluate` as a user runs it: the real binary in a child process on the testbed clip, writing the
 * table, --json and --plot (the SVG is also opened in headless chromium, which must render it without a parser
 * error); the run without ground truth; and the typed errors for a wrong ground-truth path and a bad flag, before
 * any model is loaded.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBrowser, launchBrowser } from '../helpers/browser.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SHAPES_CLIP, SHAPES_GT, writeFixtureModel } from './fixtures.js';
import { expectWellFormedSvg } from './well-formed-svg.js';

let dir: string;
let model: string;
let run: CliResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metacam-eval-cli-'));
  model = await writeFixtureModel(dir);
  run = await runCli(['evaluate', SHAPES_CLIP, '--ground-truth', SHAPES_GT, '-m', model, '--methods', 'gradcam,layercam',
    '--top-k', '10,20', '--max-frames', '4', '--road', '--road-frames=1', '--json', join(dir, 'out', 'r.json'), '--plot', join(dir, 'out', 'r.svg')]);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('metacam evaluate (child process)', () => {
  it('prints the table and writes the JSON', () => {
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('k = 10 % — box & time');
    expect(run.stdout).toContain('k = 20 % — faithfulness (ROAD protocol fair, 1 frames)');
    expect(run.stdout).toMatch(/^\s+gradcam\s+(thr )?│/m);
    expect(run.stdout).toMatch(/^▶ metacam\s+(thr )?│/m);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'r.json'), 'utf8'));
    expect(json.frames).toBe(4);
    expect(json.k).toEqual([10, 20]);
    expect(Object.keys(json.results)).toEqual(['gradcam', 'layercam', 'metacam']);
    expect(json.roadFrames).toHaveLength(1);
    for (const perK of Object.values(json.results) as Record<string, Record<string, number>>[]) {
      for (const s of Object.values(perK)) {
        for (const key of ['pointingGame', 'energyInBox', 'iou', 'flicker']) expect(s[key]).toBeGreaterThanOrEqual(0);
        for (const key of ['pointingGame', 'energyInBox', 'iou', 'flicker']) expect(s[key]).toBeLessThanOrEqual(1);
        expect(Math.abs(s.road!)).toBeLessThanOrEqual(0.5);
        expect(Math.abs(s.roadRaw!)).toBeLessThanOrEqual(0.5);
        expect((s as unknown as Record<string, number[]>).pointingGameCi).toHaveLength(2);
      }
    }
    expect(json.roadProtocol).toBe('fair');
    expect(json.modelAccuracy).toBeGreaterThanOrEqual(0);
    expect(json.cre).toBeUndefined();
  });

  it('writes a well-formed SVG plot', async () => {
    const svg = readFileSync(join(dir, 'out', 'r.svg'), 'utf8');
    expectWellFormedSvg(svg);
  });

  it.skipIf(!hasBrowser)('the SVG plot renders in headless chromium without a parser error', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`file://${join(dir, 'out', 'r.svg')}`);
      const facts = await page.evaluate(() => ({
        root: document.documentElement.tagName,
        parserError: document.getElementsByTagName('parsererror').length,
        paths: document.getElementsByTagName('path').length,
        width: (document.documentElement as unknown as SVGSVGElement).getBBox().width,
      }));
      expect(facts).toMatchObject({ root: 'svg', parserError: 0, paths: 9 });
      expect(facts.width).toBeGreaterThan(100);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it.each([
    { what: 'a wrong ground-truth path', extra: ['--ground-truth', 'no/such.gt.jsonl'], code: 'E_INPUT_MISSING' },
    { what: 'a bad --road-frames', extra: ['--ground-truth', SHAPES_GT, '--road-frames', '0'], code: 'E_ARG' },
    { what: 'an unknown --road-protocol', extra: ['--road-protocol', 'exact'], code: 'E_ARG' },
  ])('$what → exit 2 with $code', async ({ extra, code }) => {
    const r = await runCli(['evaluate', SHAPES_CLIP, '-m', model, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error ${code}`);
  }, 60_000);

  it('runs without ground truth: box-free metrics for the predicted class, exit 0', async () => {
    const out = join(dir, 'out', 'nogt.json');
    const r = await runCli(['evaluate', SHAPES_CLIP, '-m', model, '--methods', 'gradcam', '--top-k', '10', '--max-frames', '3',
      '--road', '--road-frames', '1', '--road-protocol', 'pgc', '--json', out]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no ground truth');
    expect(r.stdout).not.toMatch(/PG↑/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.groundTruth).toBeNull();
    expect(json.modelAccuracy).toBeUndefined();
    expect(json.roadProtocol).toBe('pgc');
    expect(json.results.gradcam['10'].pointingGame).toBeUndefined();
    expect(json.results.gradcam['10'].road).toBeTypeOf('number');
    expect(json.results.metacam['10'].roadGainCi).toHaveLength(2);
  }, 120_000);

  it('prints its help', async () => {
    const r = await runCli(['evaluate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--road-frames');
  }, 60_000);
});
