import { describe, expect, it } from 'vitest';
import { curveAuc } from './deletion-insertion.js';
import { pearsonR } from './pearson.js';
import { giniSparseness } from './sparseness.js';
import { confidenceDrop, confidenceIncreased } from './confidence-change.js';

describe('Gini sparseness', () => {
  it.each([
    { name: 'uniform', v: [1, 1, 1, 1], want: 0 },
    { name: 'all zero', v: [0, 0, 0, 0], want: 0 },
    { name: 'one hot of 4', v: [0, 0, 0, 1], want: 0.75 },
    { name: 'two hot of 4', v: [0, 1, 0, 1], want: 0.5 },
    { name: '[1,2,3,4]', v: [4, 1, 3, 2], want: (-3 * 1 - 1 * 2 + 1 * 3 + 3 * 4) / (4 * 10) },
  ])('$name → $want', ({ v, want }) => expect(giniSparseness(v)).toBeCloseTo(want, 12));
});

describe('Pearson r', () => {
  it.each([
    { a: [1, 2, 3], b: [2, 4, 6], want: 1 },
    { a: [1, 2, 3], b: [3, 2, 1], want: -1 },
    { a: [1, 0, 0, 1], b: [1, 1, 0, 0], want: 0 },
    { a: [1, 1, 1], b: [1, 2, 3], want: undefined },
  ])('r($a, $b) = $want', ({ a, b, want }) => {
    const r = pearsonR(a, b);
    if (want === undefined) expect(r).toBeUndefined();
    else expect(r).toBeCloseTo(want, 12);
  });
});

describe('curve AUC and confidence change', () => {
  it('trapezoid over shares 0…1', () => {
    expect(curveAuc([1, 0])).toBe(0.5);
    expect(curveAuc([1, 1, 1])).toBe(1);
    expect(curveAuc([0, 1, 0])).toBe(0.5);
  });
  it.each([
    { y: 0.8, o: 0.4, drop: 0.5, inc: 0 },
    { y: 0.8, o: 0.9, drop: 0, inc: 1 },
    { y: 0.8, o: 0.8, drop: 0, inc: 0 },
  ])('y=$y o=$o: drop $drop, increase $inc', ({ y, o, drop, inc }) => {
    expect(confidenceDrop(y, o)).toBeCloseTo(drop, 12);
    expect(confidenceIncreased(y, o)).toBe(inc);
  });
});
