/**
 * The product's promise, checked as a user would: `metacam demo` on a clean checkout writes an annotated MP4
 * with the input's frame count, fps and audio, a visible heatmap, an audit log, and a JSON summary.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { changedShare, grabFrame, mediaFacts } from '../helpers/media.js';

describe('metacam demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metacam-demo-'));
  const out = join(dir, 'demo.mp4');
  const audit = join(dir, 'demo.audit.jsonl');
  let result: CliResult;
  let summary: Record<string, unknown>;

  beforeAll(async () => {
    result = await runCli(['demo', '-o', out, '--audit', audit, '--json']);
    if (result.code !== 0) throw new Error(`demo failed (${result.code}): ${result.stderr}`);
    summary = JSON.parse(result.stdout) as Record<string, unknown>;
  }, 600_000);

  it('prints a JSON summary naming the output, backend, ffmpeg, model and layer', () => {
    expect(summary).toMatchObject({ output: out, audit });
    for (const key of ['frames', 'fps', 'backend', 'ffmpeg', 'model', 'layer', 'members', 'flicker', 'sceneCuts', 'smoothSeconds']) {
      expect(summary, key).toHaveProperty(key);
    }
    expect((summary.backend as { name: string }).name).toMatch(/^(wasm|cpu|tensorflow)$/);
    expect((summary.ffmpeg as { version: string }).version).toMatch(/ffmpeg version/);
  });

  it('keeps the input frame count, fps and audio', async () => {
    const input = resolve(ROOT, summary.input as string);
    const [a, b] = await Promise.all([mediaFacts(input), mediaFacts(out)]);
    expect(b.frames).toBe(a.frames);
    expect(summary.frames).toBe(a.frames);
    expect(b.fps).toBeCloseTo(a.fps, 3);
    expect(a.hasAudio).toBe(true);
    expect(b.hasAudio).toBe(true);
    expect(b.videoCodec).toBe('h264');
    expect(b.pixFmt).toBe('yuv420p');
  });

  it('draws a visible heatmap on part of the frame, not all of it', async () => {
    const input = resolve(ROOT, summary.input as string);
    const facts = await mediaFacts(input);
    const mid = Math.floor(facts.frames / 2);
    const size = { width: facts.width, height: facts.height };
    const [src, dst] = await Promise.all([grabFrame(input, mid, size), grabFrame(out, mid, size)]);
    const share = changedShare(src.data, dst.data);
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.9);
  });

  it('writes an audit log with one record per frame between a header and a footer', () => {
    expect(existsSync(audit)).toBe(true);
    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; exitReason?: string });
    expect(lines[0]!.type).toBe('header');
    expect(lines.at(-1)).toMatchObject({ type: 'footer', exitReason: 'completed' });
    expect(lines.filter((l) => l.type === 'frame').length).toBe(summary.frames);
  });

  it('records the whole resolved configuration in the audit header', () => {
    const header = JSON.parse(readFileSync(audit, 'utf8').split('\n')[0]!) as { config: Record<string, unknown> };
    expect(header.config).toEqual({
      model: { model: 'shapes', classChoice: 'auto', preset: 'realtime', maxChannels: 64, batch: 8, backend: 'auto' },
      classMode: 'auto',
      metacam: { topK: 10, binary: false, smoothSeconds: 0.5, hysteresis: 0.2, smoothMaps: 0.5, mapMotion: 'follow', sceneCutThreshold: 0.25, consensus: 'sum' },
      overlay: { colormap: 'jet', alpha: 0.5, show: 'metacam', layout: 'single' },
    });
  });

  it('says in the footer which members were merged into which, and on how many frames', () => {
    const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; merged?: { id: string; into: string }[] });
    const frames = lines.filter((l) => l.type === 'frame');
    const footer = lines.at(-1)!;
    const counted = (id: string, into: string) => frames.filter((f) => f.merged?.some((m) => m.id === id && m.into === into)).length;
    // shapes: global average pool → dense, so HiResCAM and XGrad-CAM are Grad-CAM and LayerCAM is Grad-CAM element-wise.
    expect(footer.merged).toEqual([
      { id: 'hirescam', into: 'gradcam', reason: 'identical-map', frames: counted('hirescam', 'gradcam') },
      { id: 'xgradcam', into: 'gradcam', reason: 'identical-map', frames: counted('xgradcam', 'gradcam') },
      { id: 'layercam', into: 'gradcam-elementwise', reason: 'identical-map', frames: counted('layercam', 'gradcam-elementwise') },
    ]);
    expect(counted('hirescam', 'gradcam')).toBe(frames.length);
  });
});
