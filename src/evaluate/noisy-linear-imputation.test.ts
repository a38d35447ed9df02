import { describe, expect, it } from 'vitest';
import { conjugateGradient } from './conjugate-gradient.js';
import { floatImage } from './float-image.js';
import { NLI_NEIGHBOURS, nliSystem, noisyLinearImputation } from './noisy-linear-imputation.js';
import { seededRng } from '../core/seeded-rng.js';

/** Gaussian elimination with partial pivoting on a dense copy. */
function denseSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * The dense system written straight from the definition, independently of nliSystem: for every removed pixel p,
 * Σ_{n ∈ N(p)} w_n·(x_p − x_n) = 0, with x_n the known value for kept neighbours.
 */
function denseImpute(w: number, h: number, values: number[], removed: Uint8Array): Map<number, number> {
  const ids = [...removed.keys()].filter((p) => removed[p]);
  const col = new Map(ids.map((p, k) => [p, k]));
  const a = ids.map(() => new Array<number>(ids.length).fill(0));
  const b = new Array<number>(ids.length).fill(0);
  ids.forEach((p, r) => {
    const i = Math.floor(p / w);
    const j = p % w;
    for (const { di, dj, w: wt } of NLI_NEIGHBOURS) {
      const ni = i + di;
      const nj = j + dj;
      if (ni < 0 || nj < 0 || ni >= h || nj >= w) continue;
      const q = ni * w + nj;
      a[r][r] += wt;
      if (removed[q]) a[r][col.get(q)!] -= wt;
      else b[r] += wt * values[q];
    }
  });
  const x = denseSolve(a, b);
  return new Map(ids.map((p, k) => [p, x[k]]));
}

describe('Noisy Linear Imputation', () => {
  it('neighbour weights are 1/6 direct and 1/12 diagonal, summing to 1', () => {
    expect(NLI_NEIGHBOURS.reduce((s, n) => s + n.w, 0)).toBeCloseTo(1, 15);
    for (const n of NLI_NEIGHBOURS) expect(n.w).toBeCloseTo(Math.abs(n.di) + Math.abs(n.dj) === 1 ? 1 / 6 : 1 / 12, 15);
  });

  it.each([1, 2, 3])('matches a dense solve on a 6×5 image (seed %i)', (seed) => {
    const w = 6;
    const h = 5;
    const rng = seededRng(seed);
    const values = Array.from({ length: w * h }, () => rng.uniform());
    const removed = Uint8Array.from({ length: w * h }, () => (rng.uniform() < 0.5 ? 1 : 0));
    removed[0] = 1; // a corner
    removed[w * h - 1] = 0;
    const out = noisyLinearImputation(floatImage(w, h, 1, Float32Array.from(values)), removed, { noise: 0, tolerance: 1e-12 });
    const dense = denseImpute(w, h, values, removed);
    for (let p = 0; p < w * h; p++) {
      if (removed[p]) expect(out.data[p]).toBeCloseTo(dense.get(p)!, 5);
      else expect(out.data[p]).toBe(Math.fround(values[p]));
    }
  });

  it('solves every channel of an RGB image', () => {
    const w = 5;
    const h = 4;
    const rng = seededRng(9);
    const data = Float32Array.from({ length: w * h * 3 }, () => rng.uniform());
    const removed = Uint8Array.from({ length: w * h }, (_, p) => (p % 3 === 0 ? 1 : 0));
    const out = noisyLinearImputation(floatImage(w, h, 3, data), removed, { noise: 0, tolerance: 1e-12 });
    for (let c = 0; c < 3; c++) {
      const values = Array.from({ length: w * h }, (_, p) => data[p * 3 + c]);
      const dense = denseImpute(w, h, values, removed);
      for (const [p, v] of dense) expect(out.data[p * 3 + c]).toBeCloseTo(v, 5);
    }
  });

  it('reproduces a linear ramp exactly inside an interior hole', () => {
    const w = 12;
    const h = 10;
    const values = Float32Array.from({ length: w * h }, (_, p) => 0.02 * Math.floor(p / w) + 0.05 * (p % w) + 0.1);
    const removed = new Uint8Array(w * h);
    for (let i = 2; i < 8; i++) for (let j = 3; j < 9; j++) removed[i * w + j] = 1;
    const out = noisyLinearImputation(floatImage(w, h, 1, values), removed, { noise: 0, tolerance: 1e-10 });
    for (let p = 0; p < w * h; p++) expect(out.data[p]).toBeCloseTo(values[p], 5);
  });

  it('adds seeded Gaussian noise σ to imputed pixels only', () => {
    const w = 40;
    const h = 40;
    const img = floatImage(w, h, 1, new Float32Array(w * h).fill(0.5));
    const removed = Uint8Array.from({ length: w * h }, (_, p) => (p % 2 ? 1 : 0));
    const a = noisyLinearImputation(img, removed, { noise: 0.01, seed: 4 });
    const b = noisyLinearImputation(img, removed, { noise: 0.01, seed: 4 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const diffs = Array.from(a.data).flatMap((v, p) => (removed[p] ? [v - 0.5] : []));
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / diffs.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(sd).toBeGreaterThan(0.009);
    expect(sd).toBeLessThan(0.011);
    for (let p = 0; p < w * h; p++) if (!removed[p]) expect(a.data[p]).toBe(0.5);
  });

  it('a fully removed image has nothing to impute from and stays finite', () => {
    const out = noisyLinearImputation(floatImage(3, 3, 1, new Float32Array(9).fill(0.7)), new Uint8Array(9).fill(1), { noise: 0 });
    expect(Array.from(out.data)).toEqual(new Array(9).fill(0));
  });
});

describe('conjugateGradient', () => {
  it('solves a small SPD system for two right-hand sides at once', () => {
    // [[4,1],[1,3]] x = b
    const a = { size: 2, rowStart: Int32Array.from([0, 2, 4]), cols: Int32Array.from([0, 1, 0, 1]), values: Float64Array.from([4, 1, 1, 3]) };
    const r = conjugateGradient(a, Float64Array.from([1, 5, 2, 6]), 2, { tolerance: 1e-14 });
    // rhs 0: b = (1, 2) → x = (1/11, 7/11); rhs 1: b = (5, 6) → x = (9/11, 19/11)
    expect(r.x[0]).toBeCloseTo(1 / 11, 12);
    expect(r.x[2]).toBeCloseTo(7 / 11, 12);
    expect(r.x[1]).toBeCloseTo(9 / 11, 12);
    expect(r.x[3]).toBeCloseTo(19 / 11, 12);
    expect(r.relativeResidual).toBeLessThan(1e-12);
  });

  it('nliSystem is symmetric', () => {
    const rng = seededRng(5);
    const removed = Uint8Array.from({ length: 64 }, () => (rng.uniform() < 0.6 ? 1 : 0));
    const { matrix } = nliSystem(floatImage(8, 8, 1), removed);
    const entry = (i: number, j: number) => {
      for (let k = matrix.rowStart[i]; k < matrix.rowStart[i + 1]; k++) if (matrix.cols[k] === j) return matrix.values[k];
      return 0;
    };
    for (let i = 0; i < matrix.size; i++) for (let j = 0; j < matrix.size; j++) expect(entry(i, j)).toBe(entry(j, i));
  });
});
