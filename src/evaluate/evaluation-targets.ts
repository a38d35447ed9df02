/**
 * Which object each frame is explained for. `readGroundTruth` validates the file (typed errors, line numbers)
 * but keeps only class, label and bbox; the testbed marks the object the frame is *about* with
 * `"target": true` (the others are distractors of other classes). This reads that flag too:
 *   - the object with `"target": true` is the target (more than one is an E_INPUT_INVALID);
 *   - a line with no flagged object uses its first object not marked `false` (a gt file with one object per
 *     frame needs no flag);
 *   - a line with no objects, or with `"target": false` on every object, is not scored.
 * The explained class of a frame is its target's class.
 */
import { readFile } from 'node:fs/promises';
import { MetacamError } from '../errors.js';
import { readGroundTruth, type GroundTruthObject } from './ground-truth.js';

export interface EvaluationTarget {
  readonly frame: number;
  readonly pts: number;
  readonly object: GroundTruthObject;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Target flags per non-blank line: true / false / undefined (absent), one array per line. */
export function targetFlags(text: string): (boolean | undefined)[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const v = JSON.parse(l) as unknown;
      const objects = isRecord(v) && Array.isArray(v.objects) ? v.objects : [];
      return objects.map((o) => (isRecord(o) && typeof o.target === 'boolean' ? o.target : undefined));
    });
}

/** Picks the target of one frame (see header), or null when the frame has none. */
export function pickTarget(objects: readonly GroundTruthObject[], flags: readonly (boolean | undefined)[], where: string): GroundTruthObject | null {
  const flagged = objects.filter((_, i) => flags[i] === true);
  if (flagged.length > 1) throw new MetacamError('E_INPUT_INVALID', `${where}: ${flagged.length} objects have "target": true; mark exactly one`);
  if (flagged.length === 1) return flagged[0]!;
  return objects.find((_, i) => flags[i] !== false) ?? null;
}

export async function readEvaluationTargets(path: string): Promise<EvaluationTarget[]> {
  const frames = await readGroundTruth(path); // typed errors for a missing, unreadable or malformed file
  const flags = targetFlags(await readFile(path, 'utf8'));
  const out: EvaluationTarget[] = [];
  frames.forEach((f, i) => {
    const object = pickTarget(f.objects, flags[i] ?? [], `${path} frame ${f.frame}`);
    if (object) out.push({ frame: f.frame, pts: f.pts, object });
  });
  if (out.length === 0) throw new MetacamError('E_INPUT_INVALID', `${path}: no frame has a target object; mark one object per frame with "target": true`);
  return out;
}
