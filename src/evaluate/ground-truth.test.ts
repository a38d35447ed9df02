import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGroundTruth, readGroundTruth } from './ground-truth.js';

const line = (o: unknown) => JSON.stringify(o);
const ok = { frame: 0, pts: 0, objects: [{ class: 1, label: 'circle', bbox: [10, 20, 30, 40] }] };

describe('ground truth', () => {
  it('parses frames, skipping blank lines and ignoring extra keys', () => {
    const text = [line(ok), '', line({ frame: 1, pts: 0.04, objects: [], extra: true }), ''].join('\n');
    expect(parseGroundTruth(text)).toEqual([
      { frame: 0, pts: 0, objects: [{ class: 1, label: 'circle', bbox: [10, 20, 30, 40] }] },
      { frame: 1, pts: 0.04, objects: [] },
    ]);
  });

  it.each([
    { name: 'not JSON', text: '{frame: 0', code: 'E_INPUT_INVALID', msg: /gt:1: not valid JSON/ },
    { name: 'an array', text: '[1]', code: 'E_INPUT_INVALID', msg: /expected \{"frame", "pts", "objects"\}/ },
    { name: 'negative frame', text: line({ ...ok, frame: -1 }), code: 'E_INPUT_INVALID', msg: /"frame" must be a non-negative integer/ },
    { name: 'pts missing', text: line({ frame: 0, objects: [] }), code: 'E_INPUT_INVALID', msg: /"pts" must be a time/ },
    { name: 'objects not an array', text: line({ frame: 0, pts: 0, objects: {} }), code: 'E_INPUT_INVALID', msg: /"objects" must be an array/ },
    { name: 'class not an integer', text: line({ frame: 0, pts: 0, objects: [{ class: 1.5, label: 'x', bbox: [0, 0, 1, 1] }] }), code: 'E_INPUT_INVALID', msg: /object 0: "class"/ },
    { name: 'label missing', text: line({ frame: 0, pts: 0, objects: [{ class: 1, bbox: [0, 0, 1, 1] }] }), code: 'E_INPUT_INVALID', msg: /"label" must be a string/ },
    { name: 'bbox of 3', text: line({ frame: 0, pts: 0, objects: [{ class: 1, label: 'x', bbox: [0, 0, 1] }] }), code: 'E_INPUT_INVALID', msg: /"bbox" must be \[x0, y0, x1, y1\]/ },
    { name: 'inverted bbox', text: line({ frame: 0, pts: 0, objects: [{ class: 1, label: 'x', bbox: [5, 0, 1, 1] }] }), code: 'E_INPUT_INVALID', msg: /x1 > x0/ },
    { name: 'frames out of order', text: [line({ ...ok, frame: 3 }), line({ ...ok, frame: 2 })].join('\n'), code: 'E_INPUT_INVALID', msg: /gt:2: frame 2 after frame 3/ },
    { name: 'empty file', text: '\n\n', code: 'E_INPUT_EMPTY', msg: /no frames/ },
  ])('$name → $code', ({ text, code, msg }) => {
    expect(() => parseGroundTruth(text, 'gt')).toThrow(expect.objectContaining({ code, message: expect.stringMatching(msg) }));
  });

  it('reads files, with typed errors for missing paths and directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metacam-gt-'));
    try {
      const file = join(dir, 'a.gt.jsonl');
      writeFileSync(file, line(ok) + '\n');
      expect(await readGroundTruth(file)).toHaveLength(1);
      await expect(readGroundTruth(join(dir, 'nope.jsonl'))).rejects.toMatchObject({ code: 'E_INPUT_MISSING' });
      await expect(readGroundTruth(dir)).rejects.toMatchObject({ code: 'E_INPUT_NOT_FILE' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
