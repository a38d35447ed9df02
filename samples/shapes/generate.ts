/**
 * Why: regenerates the committed testbed clips and their ground truth, deterministically from the specs in
 * clips.ts: `node --import tsx samples/shapes/generate.ts [--out samples/shapes]` writes clip.mp4 +
 * clip.gt.jsonl (the demo clip, also the calibration clip), cut.mp4 + cut.gt.jsonl + cut.json (a hard scene cut),
 * heldout.mp4 + heldout.gt.jsonl (another seed: the clip evaluations are reported on). The gt has one JSON
 * line per frame: {"frame", "pts", "objects": [{"class", "label", "bbox": [x0, y0, x1, y1) in pixels, "target"}]}.
 * Training stills are generated on the fly by train.ts (stills.ts), never stored.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { MetacamError } from '../../src/errors.js';
import { encodeClip } from './clip-encoder.js';
export { generateStills, renderStill } from './stills.js';
export { renderClip, DEMO_CLIP, CUT_CLIP, HELDOUT_CLIP } from './clips.js';
import { CUT_CLIP, DEMO_CLIP, HELDOUT_CLIP, cutFrames, frameCount, renderClip, type ClipSpec, type GtLine } from './clips.js';

export async function writeClip(spec: ClipSpec, dir: string): Promise<{ video: string; gt: string }> {
  const video = join(dir, `${spec.name}.mp4`);
  const gtPath = join(dir, `${spec.name}.gt.jsonl`);
  const lines: GtLine[] = [];
  function* frames(): Generator<Uint8Array> {
    for (const f of renderClip(spec)) { lines.push(f.gt); yield f.data; }
  }
  await encodeClip(frames(), frameCount(spec), { width: spec.width, height: spec.height, fps: spec.fps, out: video });
  writeFileSync(gtPath, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return { video, gt: gtPath };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const dir = resolve(values.out ?? fileURLToPath(new URL('.', import.meta.url)));
  for (const spec of [DEMO_CLIP, CUT_CLIP, HELDOUT_CLIP]) {
    const { video, gt } = await writeClip(spec, dir);
    console.log(`${video} (${frameCount(spec)} frames, ${spec.width}x${spec.height} @ ${spec.fps} fps), ${gt}`);
  }
  const cut = { clip: 'cut.mp4', groundTruth: 'cut.gt.jsonl', fps: CUT_CLIP.fps, frames: frameCount(CUT_CLIP), cutFrames: cutFrames(CUT_CLIP), cutFrame: cutFrames(CUT_CLIP)[0] };
  writeFileSync(join(dir, 'cut.json'), JSON.stringify(cut, null, 2) + '\n');
  console.log(`${join(dir, 'cut.json')}: cut at frame ${cut.cutFrame}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = err instanceof MetacamError ? err.exitCode : 1;
  });
}
