/**
 * Ground truth for `metacam evaluate`: JSON Lines, one line per frame,
 *   {"frame": i, "pts": s, "objects": [{"class": idx, "label": "circle", "bbox": [x0, y0, x1, y1]}]}
 * with bbox in pixels of the clip, x1/y1 the far edges (see pixel-box.ts). Blank lines are skipped, extra keys
 * ignored; frame indices must be non-negative integers, strictly increasing. Every problem is an
 * E_INPUT_INVALID naming the file, the line and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { MetacamError } from '../errors.js';

export interface GroundTruthObject {
  readonly class: number;
  readonly label: string;
  readonly bbox: readonly [number, number, number, number];
}

export interface GroundTruthFrame {
  readonly frame: number;
  readonly pts: number;
  readonly objects: readonly GroundTruthObject[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseObject(v: unknown, where: string): GroundTruthObject {
  if (!isObject(v)) throw new MetacamError('E_INPUT_INVALID', `${where}: each object must be {"class", "label", "bbox"}`);
  const cls = v.class;
  if (typeof cls !== 'number' || !Number.isInteger(cls) || cls < 0) {
    throw new MetacamError('E_INPUT_INVALID', `${where}: "class" must be a non-negative integer class index (got ${JSON.stringify(cls)})`);
  }
  if (typeof v.label !== 'string') throw new MetacamError('E_INPUT_INVALID', `${where}: "label" must be a string (got ${JSON.stringify(v.label)})`);
  const b = v.bbox;
  if (!Array.isArray(b) || b.length !== 4 || b.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new MetacamError('E_INPUT_INVALID', `${where}: "bbox" must be [x0, y0, x1, y1] in pixels (got ${JSON.stringify(b)})`);
  }
  const [x0, y0, x1, y1] = b as number[];
  if (!(x1 > x0 && y1 > y0)) throw new MetacamError('E_INPUT_INVALID', `${where}: "bbox" needs x1 > x0 and y1 > y0 (got ${JSON.stringify(b)})`);
  return { class: cls, label: v.label, bbox: [x0, y0, x1, y1] };
}

/** Parses one line (1-based `line` and `source` only for messages). */
export function parseGroundTruthLine(text: string, line = 1, source = 'ground truth'): GroundTruthFrame {
  const where = `${source}:${line}`;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new MetacamError('E_INPUT_INVALID', `${where}: not valid JSON (${(e as Error).message}); expected one JSON object per line`, { cause: e });
  }
  if (!isObject(v)) throw new MetacamError('E_INPUT_INVALID', `${where}: expected {"frame", "pts", "objects"}`);
  const { frame, pts, objects } = v;
  if (typeof frame !== 'number' || !Number.isInteger(frame) || frame < 0) {
    throw new MetacamError('E_INPUT_INVALID', `${where}: "frame" must be a non-negative integer (got ${JSON.stringify(frame)})`);
  }
  if (typeof pts !== 'number' || !Number.isFinite(pts) || pts < 0) {
    throw new MetacamError('E_INPUT_INVALID', `${where}: "pts" must be a time in seconds ≥ 0 (got ${JSON.stringify(pts)})`);
  }
  if (!Array.isArray(objects)) throw new MetacamError('E_INPUT_INVALID', `${where}: "objects" must be an array (got ${JSON.stringify(objects)})`);
  return { frame, pts, objects: objects.map((o, i) => parseObject(o, `${where} object ${i}`)) };
}

export function parseGroundTruth(text: string, source = 'ground truth'): GroundTruthFrame[] {
  const frames: GroundTruthFrame[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const f = parseGroundTruthLine(raw, i + 1, source);
    const prev = frames[frames.length - 1];
    if (prev && f.frame <= prev.frame) {
      throw new MetacamError('E_INPUT_INVALID', `${source}:${i + 1}: frame ${f.frame} after frame ${prev.frame}; frames must be strictly increasing`);
    }
    frames.push(f);
  });
  if (frames.length === 0) throw new MetacamError('E_INPUT_EMPTY', `${source}: no frames; expected one JSON object per line`);
  return frames;
}

export async function readGroundTruth(path: string): Promise<GroundTruthFrame[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MetacamError('E_INPUT_MISSING', `ground truth ${path} does not exist; pass --ground-truth <clip>.gt.jsonl`, { cause: e });
    if (code === 'EISDIR') throw new MetacamError('E_INPUT_NOT_FILE', `ground truth ${path} is a directory; pass the .gt.jsonl file`, { cause: e });
    throw new MetacamError('E_INPUT_INVALID', `cannot read ground truth ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseGroundTruth(text, path);
}
