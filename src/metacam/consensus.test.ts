import { describe, expect, it } from 'vitest';
import { camMap, type CamMap } from '../core/cam-map.js';
import { adaptiveThreshold } from './adaptive-threshold.js';
import { consensusMap, consensusWeights } from './consensus.js';
import { normaliseMinMax } from './normalise.js';

/** A 10×10 map that is 0.1 everywhere, with a peak of the given value on the listed pixels. */
function blob(pixels: number[], value = 1): CamMap {
  const d = new Float32Array(100).fill(0.1);
  for (const p of pixels) d[p] = value;
  return camMap(10, 10, d);
}

describe('consensus', () => {
  it('two agreeing members beat one outlier', () => {
    const agree = [44, 45, 54, 55, 46, 56, 64, 65, 66, 34]; // 10 pixels = top 10%
    const outlier = [0, 1, 2, 10, 11, 12, 20, 21, 22, 3];
    const members = [blob(agree), blob(agree, 0.9), blob(outlier)];
    const t = members.map((m) => adaptiveThreshold(m, 10).map);
    const s = consensusMap(t);
    const metacam = adaptiveThreshold(s, 10).map;
    const region = Array.from(metacam.data).flatMap((v, i) => (v > 0 ? [i] : []));
    expect(region.sort((a, b) => a - b)).toEqual([...agree].sort((a, b) => a - b));
    for (const p of outlier) expect(metacam.data[p]).toBe(0);
  });

  it('normalise(S) is in [0,1] with max 1', () => {
    const s = consensusMap([camMap(2, 1, Float32Array.from([0.5, 1])), camMap(2, 1, Float32Array.from([0, 1]))]);
    expect(Array.from(s.data)).toEqual([0, 1]);
  });

  it('an all-zero S gives an all-zero consensus and an empty region, no NaN', () => {
    const s = consensusMap([camMap(3, 3), camMap(3, 3)]);
    expect(Array.from(s.data).every((v) => v === 0)).toBe(true);
    const r = adaptiveThreshold(s, 10);
    expect(r.areaPercent).toBe(0);
    expect(Number.isNaN(r.tau)).toBe(false);
  });

  it.each([
    { data: [2, 4, 6], want: [0, 0.5, 1] },
    { data: [3, 3, 3], want: [0, 0, 0] },
    { data: [0, 0], want: [0, 0] },
  ])('normaliseMinMax($data)', ({ data, want }) => {
    expect(Array.from(normaliseMinMax(camMap(data.length, 1, Float32Array.from(data))).data)).toEqual(want);
  });

  it('rejects members of different sizes', () => {
    expect(() => consensusMap([camMap(2, 2), camMap(3, 3)])).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
  });
});

describe('consensus rules', () => {
  const groupOf = { a: 'gradcam', b: 'gradcam', c: 'eigen', d: 'hirescam', e: 'hirescam', f: 'hirescam' };

  it.each([
    ['sum', ['a', 'b', 'c'], [1, 1, 1]],
    ['group', ['a', 'b', 'c'], [0.5, 0.5, 1]],
    ['group', ['a', 'c', 'd', 'e', 'f'], [1, 1, 1 / 3, 1 / 3, 1 / 3]],
    ['group', ['c'], [1]],
  ] as const)('%s over %j → weights %j', (rule, ids, weights) => {
    expect(consensusWeights(ids, rule, { groupOf })).toEqual(weights);
  });

  it('group without a member\'s group is E_ARG', () => {
    expect(() => consensusWeights(['a', 'z'], 'group', { groupOf })).toThrow(expect.objectContaining({ code: 'E_ARG', message: expect.stringMatching(/'z'/) }));
  });

  it('one vote per group: two agreeing members of one group tie with a single member of another', () => {
    const left = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14];
    const right = [85, 86, 87, 88, 89, 95, 96, 97, 98, 99];
    const t = [blob(left), blob(left, 0.8), blob(right)].map((m) => adaptiveThreshold(m, 10, { binary: true }).map);
    const ids = ['a', 'b', 'c']; // a, b: group gradcam; c: eigen
    const region = (weights: number[]) => {
      const mc = adaptiveThreshold(consensusMap(t, weights), 10).map;
      return [...mc.data.keys()].filter((i) => mc.data[i]! > 0);
    };
    // sum: the gradcam pair outvotes eigen, only its region survives; group: both regions, one vote each.
    expect(region(consensusWeights(ids, 'sum'))).toEqual(left);
    expect(region(consensusWeights(ids, 'group', { groupOf }))).toEqual([...left, ...right]);
  });
});

describe('weighted consensus', () => {
  const weights = { a: 2, b: 0.5, c: 0 };

  it.each([
    { ids: ['a', 'b', 'c'], merged: [], want: [2, 0.5, 0] },
    // A member the weights do not list weighs 0.
    { ids: ['a', 'z'], merged: [], want: [2, 0] },
    // A merged duplicate passes its weight to the voter only when heavier: the identical set votes once, with its largest weight.
    { ids: ['c'], merged: [{ id: 'a', into: 'c' }], want: [2] },
    { ids: ['a'], merged: [{ id: 'b', into: 'a' }, { id: 'c', into: 'a' }], want: [2] },
    { ids: ['b', 'c'], merged: [{ id: 'a', into: 'c' }], want: [0.5, 2] },
  ])('weights of $ids with merges $merged → $want', ({ ids, merged, want }) => {
    expect(consensusWeights(ids, 'weighted', { weights, merged })).toEqual(want);
  });

  it('without weights is E_ARG naming --profile', () => {
    expect(() => consensusWeights(['a'], 'weighted')).toThrow(expect.objectContaining({ code: 'E_ARG', message: expect.stringMatching(/--profile/) }));
  });

  it('S = Σ w_i·T_i: a heavy member outvotes two light ones that agree', () => {
    const left = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14];
    const right = [85, 86, 87, 88, 89, 95, 96, 97, 98, 99];
    const t = [blob(left), blob(left, 0.8), blob(right)].map((m) => adaptiveThreshold(m, 10, { binary: true }).map);
    const region = (w: number[]) => {
      const mc = adaptiveThreshold(consensusMap(t, w), 10).map;
      return [...mc.data.keys()].filter((i) => mc.data[i]! > 0);
    };
    expect(region(consensusWeights(['a', 'b', 'c'], 'weighted', { weights: { a: 1, b: 1, c: 3 } }))).toEqual(right);
    expect(region(consensusWeights(['a', 'b', 'c'], 'weighted', { weights: { a: 1, b: 1, c: 1 } }))).toEqual(left);
    // Weight 0 leaves a member out of S altogether.
    expect(region(consensusWeights(['a', 'b', 'c'], 'weighted', { weights: { a: 0, b: 0, c: 1 } }))).toEqual(right);
  });
});
