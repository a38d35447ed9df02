/**
 * `metacam demo`: explain with bundled defaults — the shapes testbed clip with the project's own trained `shapes`
 * model (falls back to the MobileNetV2 sample when the shapes model is absent) → out/demo.mp4 and
 * out/demo.audit.jsonl. Any explain flag may still be given.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExplainArgs, wantsHelp } from '../args.js';
import { explainHelp } from '../help.js';
import { runExplain } from './explain.js';
import type { Io } from '../main.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function demoDefaults(): { model: string; input: string; output: string; audit: string } {
  const shapes = existsSync(`${ROOT}models/shapes/model.json`) && existsSync(`${ROOT}samples/shapes/clip.mp4`);
  return shapes
    ? { model: 'shapes', input: `${ROOT}samples/shapes/clip.mp4`, output: 'out/demo.mp4', audit: 'out/demo.audit.jsonl' }
    : { model: 'mobilenet-v2', input: `${ROOT}samples/sample.mp4`, output: 'out/demo.mp4', audit: 'out/demo.audit.jsonl' };
}

export async function demoCommand(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(`${explainHelp('demo')}\n`);
    return 0;
  }
  const d = demoDefaults();
  const opts = parseExplainArgs(argv, d);
  return runExplain({ ...opts, audit: opts.audit ?? d.audit }, io);
}
