/**
 * Jacobi-preconditioned conjugate gradients for a sparse symmetric positive (semi-)definite matrix in CSR form,
 * solving several right-hand sides (the colour channels of an image share one matrix). Three right-hand sides
 * (RGB, ROAD's case) run interleaved — one pass over the matrix per iteration serves all three, each with its own
 * α, β and stopping test (a converged channel is frozen, so each result is what a solve of its own would give) —
 * which halves the time of ROAD's imputations; other counts run one after another. For a consistent
 * semi-definite system (a component of unknowns with no known neighbour has b = 0 there), starting from x = 0
 * keeps that component at 0.
 */
import { MetacamError } from '../errors.js';

export interface CsrMatrix {
  readonly size: number;
  /** rowStart[i]…rowStart[i+1] index cols/values of row i; length size + 1. */
  readonly rowStart: Int32Array;
  readonly cols: Int32Array;
  readonly values: Float64Array;
}

export interface CgOptions {
  /** Stop when ‖r‖ ≤ tolerance·‖b‖ for every right-hand side. Default 1e-8. */
  readonly tolerance?: number;
  /** Default max(200, 2·size). */
  readonly maxIterations?: number;
}

export interface CgResult {
  /** Solutions, interleaved like b: x[i·rhs + c]. */
  readonly x: Float64Array;
  readonly iterations: number;
  /** Largest relative residual ‖r‖/‖b‖ over the right-hand sides at the end. */
  readonly relativeResidual: number;
}

/** Jacobi-preconditioned CG for one right-hand side; tight loops over typed arrays. */
function solveOne(a: CsrMatrix, invDiag: Float64Array, b: Float64Array, tol: number, maxIt: number): { x: Float64Array; iterations: number; rel: number } {
  const n = a.size;
  const { rowStart, cols, values } = a;
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const ap = new Float64Array(n);
  let bNorm = 0;
  let rz = 0;
  for (let i = 0; i < n; i++) {
    z[i] = invDiag[i] * r[i];
    p[i] = z[i];
    rz += r[i] * z[i];
    bNorm += b[i] * b[i];
  }
  bNorm = Math.sqrt(bNorm);
  if (bNorm === 0) return { x, iterations: 0, rel: 0 };
  let rNorm = bNorm;
  let it = 0;
  while (it < maxIt && rNorm > tol * bNorm) {
    it++;
    let pAp = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = rowStart[i], end = rowStart[i + 1]; k < end; k++) s += values[k] * p[cols[k]];
      ap[i] = s;
      pAp += p[i] * s;
    }
    if (!(pAp > 0)) break;
    const alpha = rz / pAp;
    let rr = 0;
    let rzNew = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      const ri = r[i] - alpha * ap[i];
      r[i] = ri;
      const zi = invDiag[i] * ri;
      z[i] = zi;
      rr += ri * ri;
      rzNew += ri * zi;
    }
    rNorm = Math.sqrt(rr);
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
  }
  return { x, iterations: it, rel: rNorm / bNorm };
}

/** Three right-hand sides at once, interleaved like b (b[i·3 + c]); per-channel scalars and stopping. */
function solveThree(a: CsrMatrix, invDiag: Float64Array, b: Float64Array, tol: number, maxIt: number): CgResult {
  const n = a.size;
  const { rowStart, cols, values } = a;
  const x = new Float64Array(3 * n);
  const r = Float64Array.from(b);
  const z = new Float64Array(3 * n);
  const p = new Float64Array(3 * n);
  const ap = new Float64Array(3 * n);
  const rz = new Float64Array(3);
  const bNorm = new Float64Array(3);
  const rNorm = new Float64Array(3);
  const active = [true, true, true];
  for (let i = 0; i < n; i++) {
    const d = invDiag[i]!;
    for (let c = 0; c < 3; c++) {
      const j = 3 * i + c;
      z[j] = d * r[j]!;
      p[j] = z[j]!;
      rz[c]! += r[j]! * z[j]!;
      bNorm[c]! += b[j]! * b[j]!;
    }
  }
  for (let c = 0; c < 3; c++) {
    bNorm[c] = Math.sqrt(bNorm[c]!);
    rNorm[c] = bNorm[c]!;
    active[c] = bNorm[c]! > 0 && rNorm[c]! > tol * bNorm[c]!;
  }
  let it = 0;
  while (it < maxIt && (active[0] || active[1] || active[2])) {
    it++;
    let pAp0 = 0;
    let pAp1 = 0;
    let pAp2 = 0;
    for (let i = 0; i < n; i++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let k = rowStart[i]!, end = rowStart[i + 1]!; k < end; k++) {
        const v = values[k]!;
        const q = 3 * cols[k]!;
        s0 += v * p[q]!;
        s1 += v * p[q + 1]!;
        s2 += v * p[q + 2]!;
      }
      const j = 3 * i;
      ap[j] = s0;
      ap[j + 1] = s1;
      ap[j + 2] = s2;
      pAp0 += p[j]! * s0;
      pAp1 += p[j + 1]! * s1;
      pAp2 += p[j + 2]! * s2;
    }
    const pAp = [pAp0, pAp1, pAp2];
    for (let c = 0; c < 3; c++) {
      if (!active[c]) continue;
      if (!(pAp[c]! > 0)) {
        active[c] = false;
        continue;
      }
      const alpha = rz[c]! / pAp[c]!;
      let rr = 0;
      let rzNew = 0;
      for (let i = 0; i < n; i++) {
        const j = 3 * i + c;
        x[j]! += alpha * p[j]!;
        const ri = r[j]! - alpha * ap[j]!;
        r[j] = ri;
        const zi = invDiag[i]! * ri;
        z[j] = zi;
        rr += ri * ri;
        rzNew += ri * zi;
      }
      rNorm[c] = Math.sqrt(rr);
      const beta = rzNew / rz[c]!;
      rz[c] = rzNew;
      for (let i = 0; i < n; i++) {
        const j = 3 * i + c;
        p[j] = z[j]! + beta * p[j]!;
      }
      if (rNorm[c]! <= tol * bNorm[c]!) active[c] = false;
    }
  }
  let relativeResidual = 0;
  for (let c = 0; c < 3; c++) if (bNorm[c]! > 0) relativeResidual = Math.max(relativeResidual, rNorm[c]! / bNorm[c]!);
  return { x, iterations: it, relativeResidual };
}

export function conjugateGradient(a: CsrMatrix, b: Float64Array, rhs: number, options: CgOptions = {}): CgResult {
  const n = a.size;
  if (b.length !== n * rhs) throw new MetacamError('E_INTERNAL', `CG: b has ${b.length} values, expected ${n}×${rhs}`);
  const tol = options.tolerance ?? 1e-8;
  const maxIt = options.maxIterations ?? Math.max(200, 2 * n);
  const invDiag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = a.rowStart[i]; k < a.rowStart[i + 1]; k++) if (a.cols[k] === i) invDiag[i] = a.values[k] > 0 ? 1 / a.values[k] : 1;
  }
  if (rhs === 3) return solveThree(a, invDiag, b, tol, maxIt);
  const x = new Float64Array(n * rhs);
  const bc = new Float64Array(n);
  let iterations = 0;
  let relativeResidual = 0;
  for (let c = 0; c < rhs; c++) {
    for (let i = 0; i < n; i++) bc[i] = b[i * rhs + c];
    const r = solveOne(a, invDiag, bc, tol, maxIt);
    for (let i = 0; i < n; i++) x[i * rhs + c] = r.x[i];
    iterations = Math.max(iterations, r.iterations);
    relativeResidual = Math.max(relativeResidual, r.rel);
  }
  return { x, iterations, relativeResidual };
}
