import { describe, expect, it } from 'vitest';
import { camMap, type CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import { distinctMembers, IDENTICAL_MAP_TOLERANCE, MergeTally } from './distinct-members.js';

const map = (values: number[], width = values.length): CamMap => camMap(width, values.length / width, Float32Array.from(values));
const base = [0, 0.25, 0.5, 1];

describe('distinctMembers', () => {
  it.each([
    ['the same values', map(base), true],
    ['a positive multiple plus an offset (equal after normalisation)', map(base.map((v) => 3 * v + 2)), true],
    ['a difference of 0.5e-6 after normalisation', map([0, 0.25 + 0.5e-6, 0.5, 1]), true],
    ['a difference of 4e-6 after normalisation', map([0, 0.25 + 4e-6, 0.5, 1]), false],
    ['the mirror image', map([1, 0.5, 0.25, 0]), false],
    ['the same values in another shape (2×2)', map(base, 2), false],
  ])("b = %s", (_, b, merged) => {
    const r = distinctMembers(['a', 'b'], { a: map(base), b });
    expect(r.distinct).toEqual(merged ? ['a'] : ['a', 'b']);
    expect(r.merged.map((m) => [m.id, m.into, m.reason])).toEqual(merged ? [['b', 'a', 'identical-map']] : []);
  });

  it('keeps the first of each identical set, in the given order, and reports the difference', () => {
    const other = map([1, 0, 0, 0]);
    const r = distinctMembers(['x', 'y', 'z', 'w'], { x: other, y: map(base), z: map([0, 0.25 + 0.5e-6, 0.5, 1]), w: map(base.map((v) => v * 0.5)) });
    expect(r.distinct).toEqual(['x', 'y']);
    expect(r.merged.map((m) => `${m.id}=${m.into}`)).toEqual(['z=y', 'w=y']);
    expect(r.merged[0]!.maxDifference).toBeGreaterThan(0);
    expect(r.merged[0]!.maxDifference).toBeLessThanOrEqual(IDENTICAL_MAP_TOLERANCE);
    expect(r.merged[1]!.maxDifference).toBe(0);
  });

  it('two constant maps (both normalise to all zeros, an empty region) are the same map; a constant and a ramp are not', () => {
    const r = distinctMembers(['a', 'b', 'c'], { a: map([0, 0, 0, 0]), b: map([0.7, 0.7, 0.7, 0.7]), c: map(base) });
    expect(r.distinct).toEqual(['a', 'c']);
    expect(r.merged.map((m) => m.id)).toEqual(['b']);
  });

  it('a NaN map is never merged', () => {
    const r = distinctMembers(['a', 'b'], { a: map(base), b: map([0, Number.NaN, 0.5, 1]) });
    expect(r.distinct).toEqual(['a', 'b']);
  });

  it.each([
    ['a missing map', () => distinctMembers(['a', 'b'], { a: map(base) }), 'E_INTERNAL'],
    ['a negative tolerance', () => distinctMembers(['a'], { a: map(base) }, -1), 'E_ARG'],
  ] as const)('%s throws', (_, f, code) => {
    expect(f).toThrow(MetacamError);
    try {
      f();
    } catch (e) {
      expect((e as MetacamError).code).toBe(code);
    }
  });
});

describe('MergeTally', () => {
  it('counts frames per (member, kept member) pair in first-seen order, and resets', () => {
    const t = new MergeTally();
    const m = (id: string, into: string) => ({ id, into, reason: 'identical-map' as const, maxDifference: 0 });
    t.push([m('hirescam', 'gradcam'), m('layercam', 'gradcam-elementwise')]);
    t.push([]);
    t.push([m('hirescam', 'gradcam')]);
    expect(t.value).toEqual([
      { id: 'hirescam', into: 'gradcam', reason: 'identical-map', frames: 2 },
      { id: 'layercam', into: 'gradcam-elementwise', reason: 'identical-map', frames: 1 },
    ]);
    t.reset();
    expect(t.value).toEqual([]);
  });
});
