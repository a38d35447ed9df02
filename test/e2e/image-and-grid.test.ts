/** `metacam image --dump-maps` (preset full) and `explain --layout grid` with every method, as a user runs them. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { mediaFacts } from '../helpers/media.js';
import { ffmpeg } from '../helpers/make-media.js';
import { METHODS } from '../../src/explain/methods/index.js';
import { gridLayout } from '../../src/overlay/grid-layout.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-img-'));
const ALL = METHODS.map((m) => m.id);
/** What `--preset full` picks: every method but the opt-in ones (newer methods, the Random-CAM baseline). */
const FULL = METHODS.filter((m) => !m.optIn).map((m) => m.id);

it('image --dump-maps writes every requested low-res map and the MetaCAM map, in [0,1]', async () => {
  const png = join(dir, 'in.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'mandelbrot=size=200x150', '-frames:v', '1', png]);
  const out = join(dir, 'out.png');
  const dump = join(dir, 'maps.json');
  const r = await runCli(['image', png, '-o', out, '--model', 'mobilenet-v2', '--preset', 'full', '--max-channels', '8', '--dump-maps', dump, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const d = JSON.parse(readFileSync(dump, 'utf8')) as { model: string; layer: string; class: { index: number; label: string }; scores: number[]; maps: Record<string, { width: number; height: number; data: number[] }> };
  expect(d).toMatchObject({ model: 'mobilenet-v2', layer: 'out_relu' });
  expect(d.scores).toHaveLength(5);
  expect(Object.keys(d.maps).sort()).toEqual([...FULL, 'metacam'].sort());
  for (const [id, m] of Object.entries(d.maps)) {
    expect([m.width, m.height], id).toEqual([7, 7]);
    expect(m.data).toHaveLength(49);
    expect(m.data.every((v) => Number.isFinite(v) && v >= 0 && v <= 1), id).toBe(true);
    expect(Math.max(...m.data), id).toBeCloseTo(1, 3);
  }
  const facts = await mediaFacts(out);
  expect([facts.width, facts.height]).toEqual([200, 150]);
}, 300_000);

it('explain --layout grid shows the frame, MetaCAM and one tile per method', async () => {
  const clip = join(dir, 'clip.mp4');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-frames:v', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
  const out = join(dir, 'grid.mp4');
  const r = await runCli(['explain', clip, '-o', out, '--model', 'mobilenet-v2', '--methods', ALL.join(','), '--max-channels', '8', '--layout', 'grid', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const facts = await mediaFacts(out);
  const layout = gridLayout(160, 120, ALL.length + 2);
  expect(facts.frames).toBe(3);
  expect([facts.width, facts.height]).toEqual([layout.width, layout.height]);
  expect(layout.cols * layout.rows).toBeGreaterThanOrEqual(13);
}, 300_000);
