import { describe, expect, it } from 'vitest';
import { jacobiEigen, largestEigenpair } from './symmetric-eigen.js';

describe('largestEigenpair', () => {
  it('picks the largest algebraic eigenvalue, not the largest magnitude (indefinite kernels)', () => {
    const { value, vector } = largestEigenpair([-5, 0, 0, 0, 1, 0, 0, 0, 0.5], 3);
    expect(value).toBeCloseTo(1, 10);
    expect(Math.abs(vector[1]!)).toBeCloseTo(1, 10);
  });

  it('matches a hand-computed 2×2 pair', () => {
    // [[2,1],[1,2]]: λ = 3, u = (1,1)/√2
    const { value, vector } = largestEigenpair([2, 1, 1, 2], 2);
    expect(value).toBeCloseTo(3, 12);
    expect(Math.abs(vector[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vector[0]! * vector[1]!).toBeGreaterThan(0);
  });

  it('satisfies K·u = λ·u on a larger random symmetric matrix, with λ the largest Jacobi eigenvalue', () => {
    const m = 30;
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const k = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) k[i * m + j] = k[j * m + i] = rnd();
    const { value, vector } = largestEigenpair(k, m);
    const { values } = jacobiEigen(k, m);
    expect(value).toBeCloseTo(Math.max(...values), 8);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += k[i * m + j]! * vector[j]!;
      expect(s).toBeCloseTo(value * vector[i]!, 7);
    }
  });
});
