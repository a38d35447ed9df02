import { describe, expect, it } from 'vitest';
import { cumulativeResidualEffect, median, nonEmptySubsets } from './cre.js';

describe('CRE', () => {
  it('non-empty subsets of 3 groups', () => {
    expect(nonEmptySubsets(['a', 'b', 'c'])).toEqual([['a'], ['b'], ['a', 'b'], ['c'], ['a', 'c'], ['b', 'c'], ['a', 'b', 'c']]);
  });

  it.each([
    { values: [3, 1, 2], want: 2 },
    { values: [4, 1, 3, 2], want: 2.5 },
    { values: [7], want: 7 },
  ])('median($values) = $want', ({ values, want }) => {
    expect(median(values)).toBe(want);
  });

  it('two groups: known answer', () => {
    const r = cumulativeResidualEffect([
      { members: ['a'], score: 0.1 },
      { members: ['b'], score: 0.3 },
      { members: ['a', 'b'], score: 0.2 },
    ]);
    expect(r.median).toBeCloseTo(0.2, 12);
    expect(r.residuals.map((v) => +v.toFixed(12))).toEqual([-0.1, 0.1, 0]);
    expect(r.cre.a).toBeCloseTo(-0.1, 12);
    expect(r.cre.b).toBeCloseTo(0.1, 12);
  });

  it('three groups where only c helps: score = 0.1 + 0.2·[c ∈ e] − 0.05·|e|', () => {
    const table = nonEmptySubsets(['a', 'b', 'c']).map((members) => ({
      members,
      score: 0.1 + (members.includes('c') ? 0.2 : 0) - 0.05 * members.length,
    }));
    // scores: a .05, b .05, ab 0, c .25, ac .2, bc .2, abc .15 → sorted 0 .05 .05 .15 .2 .2 .25 → median .15
    const r = cumulativeResidualEffect(table);
    expect(r.median).toBeCloseTo(0.15, 12);
    // a ∈ {a, ab, ac, abc}: −.10 −.15 +.05 +0 = −.20; b likewise; c ∈ {c, ac, bc, abc}: .10 +.05 +.05 +0 = .20
    expect(r.cre.a).toBeCloseTo(-0.2, 12);
    expect(r.cre.b).toBeCloseTo(-0.2, 12);
    expect(r.cre.c).toBeCloseTo(0.2, 12);
  });

  it.each([
    { table: [], code: 'E_ARG' },
    { table: [{ members: [], score: 0.1 }], code: 'E_ARG' },
    { table: [{ members: ['a'], score: Number.NaN }], code: 'E_ARG' },
  ])('rejects $table', ({ table, code }) => {
    expect(() => cumulativeResidualEffect(table)).toThrow(expect.objectContaining({ code }));
  });
});
