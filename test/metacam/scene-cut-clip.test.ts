/**
 * The smoother resets at a real hard cut. A clip is made by concatenating two different ffmpeg test sources
 * (testsrc2 → mandelbrot, 2 s each at 25 fps, H.264), decoded back with real ffmpeg at 64×64 (the model-size
 * frame), and fed through createMetaCam with member maps whose τ differs between the shots.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camMap } from '../../src/core/cam-map.js';
import type { RgbImage } from '../../src/core/frame.js';
import { resolveFfmpeg } from '../../src/ingest/ffmpeg-path.js';
import { createMetaCam } from '../../src/metacam/create-metacam.js';
import { SceneCutDetector } from '../../src/metacam/scene-cut-detector.js';

const run = promisify(execFile);
const W = 64;
const H = 64;
const FPS = 25;
let ffmpeg = '';
let dir = '';

async function decode(args: string[]): Promise<RgbImage[]> {
  const { stdout } = await run(ffmpeg, ['-v', 'error', ...args, '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 1 << 27 });
  const size = W * H * 3;
  return Array.from({ length: Math.floor(stdout.length / size) }, (_, i) => ({ width: W, height: H, data: new Uint8Array(stdout.subarray(i * size, (i + 1) * size)) }));
}

function cutsIn(frames: RgbImage[]): number[] {
  const d = new SceneCutDetector();
  return frames.flatMap((f, i) => (d.update(f).cut ? [i] : []));
}

beforeAll(async () => {
  ffmpeg = (await resolveFfmpeg()).ffmpegPath;
  dir = mkdtempSync(join(tmpdir(), 'metacam-cut-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scene cuts on real clips', () => {
  it.each(['testsrc2', 'mandelbrot', 'cellauto', 'testsrc'])('ordinary motion in %s never fires', async (source) => {
    const frames = await decode(['-f', 'lavfi', '-i', `${source}=size=320x240:rate=${FPS}`, '-frames:v', '50']);
    expect(frames).toHaveLength(50);
    expect(cutsIn(frames)).toEqual([]);
  });

  it('the smoother resets exactly at the cut frame of a concatenated clip', async () => {
    const clip = join(dir, 'cut.mp4');
    await run(ffmpeg, [
      '-v', 'error', '-y',
      '-f', 'lavfi', '-t', '2', '-i', `testsrc2=size=320x240:rate=${FPS}`,
      '-f', 'lavfi', '-t', '2', '-i', `mandelbrot=size=320x240:rate=${FPS}`,
      '-filter_complex', '[0:v][1:v]concat=n=2:v=1[v]', '-map', '[v]', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip,
    ]);
    const frames = await decode(['-i', clip]);
    expect(frames).toHaveLength(4 * FPS);
    const cutFrame = 2 * FPS;
    expect(cutsIn(frames)).toEqual([cutFrame]);

    // Shot 1: a linear ramp (τ_0.9 ≈ 0.9); shot 2: ramp⁴ (τ_0.9 ≈ 0.66).
    const ramp = (p: number) => camMap(8, 8, Float32Array.from({ length: 64 }, (_, i) => Math.pow(i / 63, p)));
    const probabilities = Float32Array.from([0.3, 0.7]);
    const explainAll = (sceneCutThreshold?: number) => {
      const mc = createMetaCam({ members: ['a', 'b'], smoothSeconds: 0.5, sceneCutThreshold });
      return frames.map((input, index) => {
        const m = ramp(index < cutFrame ? 1 : 4);
        return mc.explain({ index, ptsSeconds: index / FPS, input }, { index, probabilities, classIndex: 1, maps: { a: m, b: m }, timings: {} }, ['x', 'y']).explanation;
      });
    };
    const withCuts = explainAll();
    const neverCut = explainAll(1); // a distance never exceeds 1: the detector cannot fire
    expect(withCuts.flatMap((e) => (e.sceneCut ? [e.index] : []))).toEqual([cutFrame]);
    expect(neverCut.some((e) => e.sceneCut)).toBe(false);

    const at = withCuts[cutFrame];
    expect(at.members.a.tauSmoothed).toBe(at.members.a.tauRaw);
    expect(at.consensus.tauSmoothed).toBe(at.consensus.tauRaw);
    // Without the reset the new shot would inherit the old threshold: still near shot 1's τ at the cut frame.
    const inherited = neverCut[cutFrame].members.a;
    expect(inherited.tauRaw).toBe(at.members.a.tauRaw);
    expect(inherited.tauSmoothed - inherited.tauRaw).toBeGreaterThan(0.15);
    // Within a shot, smoothing is untouched by the detector.
    expect(withCuts[cutFrame - 1].members.a.tauSmoothed).toBe(neverCut[cutFrame - 1].members.a.tauSmoothed);
  });
});
