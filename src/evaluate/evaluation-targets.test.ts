import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pickTarget, readEvaluationTargets, targetFlags } from './evaluation-targets.js';
import type { GroundTruthObject } from './ground-truth.js';

const obj = (cls: number): GroundTruthObject => ({ class: cls, label: `c${cls}`, bbox: [0, 0, 10, 10] });

describe('pickTarget', () => {
  it.each([
    ['the flagged object', [obj(1), obj(2)], [false, true], 2],
    ['the first object when nothing is flagged', [obj(3), obj(4)], [undefined, undefined], 3],
    ['the first object not marked false', [obj(3), obj(4)], [false, undefined], 4],
    ['none when every object is marked false', [obj(3), obj(4)], [false, false], null],
    ['none for a frame without objects', [], [], null],
  ])('%s', (_, objects, flags, expected) => {
    const t = pickTarget(objects as GroundTruthObject[], flags as (boolean | undefined)[], 'gt:1');
    expect(t === null ? null : t.class).toBe(expected);
  });
  it('rejects two flagged targets with E_INPUT_INVALID', () => {
    expect(() => pickTarget([obj(1), obj(2)], [true, true], 'gt frame 3')).toThrow(expect.objectContaining({ code: 'E_INPUT_INVALID', message: expect.stringContaining('gt frame 3') }));
  });
});

describe('targetFlags / readEvaluationTargets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metacam-targets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the flags per non-blank line', () => {
    expect(targetFlags('{"objects":[{"target":true},{"target":false},{}]}\n\n{"objects":[]}\n')).toEqual([[true, false, undefined], []]);
  });

  it('pairs every frame with its target, skipping frames without one', async () => {
    const p = join(dir, 'ok.gt.jsonl');
    writeFileSync(p, [
      { frame: 0, pts: 0, objects: [{ class: 1, label: 'a', bbox: [0, 0, 4, 4], target: false }, { class: 2, label: 'b', bbox: [4, 4, 8, 8], target: true }] },
      { frame: 1, pts: 0.1, objects: [] },
      { frame: 2, pts: 0.2, objects: [{ class: 0, label: 'c', bbox: [1, 1, 2, 2] }] },
    ].map((l) => JSON.stringify(l)).join('\n'));
    const t = await readEvaluationTargets(p);
    expect(t.map((x) => [x.frame, x.object.class])).toEqual([[0, 2], [2, 0]]);
  });

  it.each([
    ['a missing file', 'nope.gt.jsonl', null, 'E_INPUT_MISSING'],
    ['a file without targets', 'empty.gt.jsonl', '{"frame":0,"pts":0,"objects":[]}', 'E_INPUT_INVALID'],
    ['a malformed line', 'bad.gt.jsonl', '{"frame":0,"pts":0,"objects":[{"class":1}]}', 'E_INPUT_INVALID'],
  ])('%s → %s', async (_, name, content, code) => {
    const p = join(dir, name as string);
    if (content !== null) writeFileSync(p, content as string);
    await expect(readEvaluationTargets(p)).rejects.toMatchObject({ code });
  });
});
