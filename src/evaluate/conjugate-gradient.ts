/**
 * Jacobi-preconditioned conjugate gradients for a sparse symmetric positive (semi-)definite matrix in CSR form,
 * solving several right-hand sides at once (the colour channels of an image share one matrix): one pass over
 * the matrix per iteration serves every channel, each with its own step sizes. Typed arrays, no allocation in
 * the loop. For a consistent semi-definite system (a component with no boundary has b = 0 there), starting from
 * x = 0 keeps that component at 0.
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

function multiply(a: CsrMatrix, x: Float64Array, out: Float64Array, rhs: number): void {
  const { rowStart, cols, values, size } = a;
  for (let i = 0; i < size; i++) {
    for (let c = 0; c < rhs; c++) out[i * rhs + c] = 0;
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const v = values[k];
      const j = cols[k] * rhs;
      for (let c = 0; c < rhs; c++) out[i * rhs + c] += v * x[j + c];
    }
  }
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
  const x = new Float64Array(n * rhs);
  const r = Float64Array.from(b);
  const z = new Float64Array(n * rhs);
  const p = new Float64Array(n * rhs);
  const ap = new Float64Array(n * rhs);
  const rz = new Float64Array(rhs);
  const bNorm = new Float64Array(rhs);
  const rNorm = new Float64Array(rhs);
  const done = new Uint8Array(rhs);

  for (let i = 0; i < n; i++) {
    for (let c = 0; c < rhs; c++) {
      const q = i * rhs + c;
      z[q] = invDiag[i] * r[q];
      p[q] = z[q];
      rz[c] += r[q] * z[q];
      bNorm[c] += b[q] * b[q];
    }
  }
  for (let c = 0; c < rhs; c++) {
    bNorm[c] = Math.sqrt(bNorm[c]);
    done[c] = bNorm[c] === 0 ? 1 : 0;
  }
  const worst = (): number => {
    let w = 0;
    for (let c = 0; c < rhs; c++) if (bNorm[c] > 0) w = Math.max(w, rNorm[c] / bNorm[c]);
    return w;
  };
  rNorm.set(bNorm);
  let it = 0;
  while (it < maxIt && done.some((d) => d === 0)) {
    it++;
    multiply(a, p, ap, rhs);
    for (let c = 0; c < rhs; c++) {
      if (done[c]) continue;
      let pAp = 0;
      for (let i = 0; i < n; i++) pAp += p[i * rhs + c] * ap[i * rhs + c];
      if (!(pAp > 0)) {
        done[c] = 1;
        continue;
      }
      const alpha = rz[c] / pAp;
      let rr = 0;
      let rzNew = 0;
      for (let i = 0; i < n; i++) {
        const q = i * rhs + c;
        x[q] += alpha * p[q];
        r[q] -= alpha * ap[q];
        z[q] = invDiag[i] * r[q];
        rr += r[q] * r[q];
        rzNew += r[q] * z[q];
      }
      rNorm[c] = Math.sqrt(rr);
      if (rNorm[c] <= tol * bNorm[c]) {
        done[c] = 1;
        continue;
      }
      const beta = rzNew / rz[c];
      rz[c] = rzNew;
      for (let i = 0; i < n; i++) {
        const q = i * rhs + c;
        p[q] = z[q] + beta * p[q];
      }
    }
  }
  return { x, iterations: it, relativeResidual: worst() };
}
