/**
 * The newer methods as a user meets them: `metacam methods` lists them with group, cost and opt-in; `explain`
 * runs them as MetaCAM members in the grid layout, with RefineCAM over two layers (`--layer a,target`) and the
 * FinerCAM target for every gradient member (`--target finer`); `image --dump-maps` gives RefineCAM's map at its
 * finest layer's resolution; a bad --target is refused with E_ARG.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { mediaFacts } from '../helpers/media.js';
import { ffmpeg } from '../helpers/make-media.js';
import { gridLayout } from '../../src/overlay/grid-layout.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-newer-'));
const NEWER = ['fem', 'kpca-cam', 'segeigencam', 'shapleycam', 'finercam', 'refinecam', 'random'];
const clip = join(dir, 'clip.mp4');

beforeAll(async () => {
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-frames:v', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
}, 60_000);

it('metacam methods lists the newer methods with their group and cost, opt-in', async () => {
  const r = await runCli(['methods', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const list = JSON.parse(r.stdout) as { id: string; group: string; cost: string; optIn: boolean }[];
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const id of NEWER) expect(byId.get(id), id).toMatchObject({ optIn: true, cost: expect.any(String) });
  expect(byId.get('random')!.group).toBe('baseline');
  expect(byId.get('fem')!.group).toBe('eigen');
  const text = await runCli(['methods']);
  expect(text.stdout).toMatch(/kpca-cam\s+KPCA-CAM\s+eigen\s+.*opt-in/);
}, 60_000);

it('explain --methods <newer> --layer block_15_add,out_relu --target finer --layout grid', async () => {
  const out = join(dir, 'grid.mp4');
  const r = await runCli(['explain', clip, '-o', out, '--model', 'mobilenet-v2', '--methods', NEWER.join(','), '--layer', 'block_15_add,out_relu', '--target', 'finer', '--layout', 'grid', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { layer: string; members: string[]; frames: number };
  expect(summary).toMatchObject({ layer: 'out_relu', frames: 2 });
  expect(summary.members).toEqual(NEWER);
  const facts = await mediaFacts(out);
  const layout = gridLayout(160, 120, NEWER.length + 2);
  expect(facts.frames).toBe(2);
  expect([facts.width, facts.height]).toEqual([layout.width, layout.height]);
}, 300_000);

it('image --dump-maps --layer block_12_add,out_relu: RefineCAM at the finest layer\'s resolution (14×14), the rest at 7×7', async () => {
  const png = join(dir, 'in.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'mandelbrot=size=200x150', '-frames:v', '1', png]);
  const dump = join(dir, 'maps.json');
  const r = await runCli(['image', png, '-o', join(dir, 'out.png'), '--model', 'mobilenet-v2', '--methods', 'gradcam,refinecam', '--layer', 'block_12_add,out_relu', '--dump-maps', dump]);
  expect(r.code, r.stderr).toBe(0);
  const d = JSON.parse(readFileSync(dump, 'utf8')) as { layer: string; maps: Record<string, { width: number; height: number; data: number[] }> };
  expect(d.layer).toBe('out_relu');
  const sizes = Object.fromEntries(Object.entries(d.maps).map(([id, m]) => [id, [m.width, m.height, m.data.length]]));
  expect(sizes).toEqual({ gradcam: [7, 7, 49], refinecam: [14, 14, 196], metacam: [7, 7, 49] });
  expect(Math.max(...d.maps.refinecam!.data)).toBeCloseTo(1, 3);
  expect(Math.min(...d.maps.refinecam!.data)).toBeGreaterThanOrEqual(0);
}, 180_000);

it.each([
  [['--target', 'probability'], /--target must be one of logit, softmax, finer/],
  [['--layer', 'block_15_add,out_relu', '--methods', 'gradcam'], /only refinecam uses/],
])('explain %j is refused with E_ARG', async (extra, message) => {
  const r = await runCli(['explain', clip, '-o', join(dir, 'x.mp4'), ...extra]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
}, 60_000);
