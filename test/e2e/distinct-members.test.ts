/**
 * Distinct members end to end: `metacam explain` on the shapes clip with the realtime preset. On `shapes`
 * (global average pool → dense) Grad-CAM = HiResCAM = XGrad-CAM, and on both testbed models Grad-CAM
 * element-wise = LayerCAM (conv_last is followed by a ReLU); the JSON summary and every audit frame record say so,
 * and the log still verifies against the strict schema.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FRAMES = 6;

describe.each([
  ['shapes', { hirescam: 'gradcam', xgradcam: 'gradcam', layercam: 'gradcam-elementwise' }],
  ['shapes-deep', { layercam: 'gradcam-elementwise' }],
])('explain -m %s: merged members', (model, expected) => {
  it(`reports ${JSON.stringify(expected)} on every frame, in --json and in the audit log`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metacam-distinct-'));
    const audit = join(dir, 'log.jsonl');
    const r = await runCli(['explain', 'samples/shapes/clip.mp4', '-m', model, '-o', join(dir, 'out.mp4'), '--max-frames', String(FRAMES), '--audit', audit, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { merged: { id: string; into: string; reason: string; frames: number }[] };
    expect(Object.fromEntries(summary.merged.map((m) => [m.id, m.into]))).toEqual(expected);
    for (const m of summary.merged) expect(m).toMatchObject({ reason: 'identical-map', frames: FRAMES });

    const frames = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; merged?: { id: string; into: string }[] }).filter((x) => x.type === 'frame');
    expect(frames).toHaveLength(FRAMES);
    for (const f of frames) expect(Object.fromEntries(f.merged!.map((m) => [m.id, m.into]))).toEqual(expected);
    const verify = await runCli(['audit', 'verify', audit]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);
});
