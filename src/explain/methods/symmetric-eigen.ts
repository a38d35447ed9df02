/**
 * The largest (algebraic) eigenpair of a symmetric m×m matrix, in float64 JS: Lanczos with full
 * re-orthogonalisation, the small tridiagonal solved by cyclic Jacobi, restarted from the Ritz vector until the
 * residual ‖K·x − θ·x‖ is small. Why not power iteration (principal-projection.ts): a kernel matrix such as
 * KPCA-CAM's centred sigmoid kernel is not positive semi-definite, and power iteration converges to the eigenvalue
 * of largest magnitude, which may be negative; sklearn's KernelPCA (ARPACK, which='LA') wants the largest one.
 */

const LANCZOS_STEPS = 48;
const MAX_RESTARTS = 20;
const RESIDUAL_TOL = 1e-9;

/** Eigen-decomposition of a small dense symmetric matrix (row-major n×n) by cyclic Jacobi: values and column vectors. */
export function jacobiEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const s = Float64Array.from(a as ArrayLike<number>);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += s[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (s[q * n + q]! - s[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = s[k * n + p]!;
          const akq = s[k * n + q]!;
          s[k * n + p] = c * akp - sn * akq;
          s[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = s[p * n + k]!;
          const aqk = s[q * n + k]!;
          s[p * n + k] = c * apk - sn * aqk;
          s[q * n + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = s[i * n + i]!;
  return { values, vectors: v };
}

function matVec(k: ArrayLike<number>, m: number, x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    const row = i * m;
    for (let j = 0; j < m; j++) s += k[row + j]! * x[j]!;
    out[i] = s;
  }
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Largest algebraic eigenvalue λ and its unit eigenvector u of the symmetric matrix k (row-major m×m).
 * Deterministic: the first start vector is all ones plus a small index-dependent ramp (not orthogonal to any
 * eigenvector in practice); the sign of u is the caller's business.
 */
export function largestEigenpair(k: ArrayLike<number>, m: number): { value: number; vector: Float64Array } {
  if (m === 1) return { value: k[0]!, vector: Float64Array.of(1) };
  const steps = Math.min(LANCZOS_STEPS, m);
  let start = Float64Array.from({ length: m }, (_, i) => 1 + (0.5 * i) / m);
  let best = { value: -Infinity, vector: start };
  const w = new Float64Array(m);
  for (let restart = 0; restart < MAX_RESTARTS; restart++) {
    const q: Float64Array[] = [];
    const alpha: number[] = [];
    const beta: number[] = [];
    let v = start.map((x) => x / Math.sqrt(dot(start, start)));
    for (let j = 0; j < steps; j++) {
      q.push(v);
      matVec(k, m, v, w);
      const a = dot(w, v);
      alpha.push(a);
      // Full re-orthogonalisation (twice): with at most 48 vectors this is cheap and keeps the basis honest.
      for (let pass = 0; pass < 2; pass++) for (const qi of q) { const c = dot(w, qi); for (let i = 0; i < m; i++) w[i] -= c * qi[i]!; }
      const b = Math.sqrt(dot(w, w));
      if (j === steps - 1 || b < 1e-12) break;
      beta.push(b);
      v = w.map((x) => x / b);
    }
    const n = alpha.length;
    const t = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      t[i * n + i] = alpha[i]!;
      if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = beta[i]!;
    }
    const { values, vectors } = jacobiEigen(t, n);
    let top = 0;
    for (let i = 1; i < n; i++) if (values[i]! > values[top]!) top = i;
    const x = new Float64Array(m);
    for (let j = 0; j < n; j++) { const y = vectors[j * n + top]!; const qj = q[j]!; for (let i = 0; i < m; i++) x[i] += y * qj[i]!; }
    const norm = Math.sqrt(dot(x, x));
    for (let i = 0; i < m; i++) x[i] /= norm;
    matVec(k, m, x, w);
    const theta = dot(w, x);
    let residual = 0;
    for (let i = 0; i < m; i++) residual += (w[i]! - theta * x[i]!) ** 2;
    best = { value: theta, vector: x };
    const scale = Math.max(Math.abs(theta), 1e-30);
    if (Math.sqrt(residual) <= RESIDUAL_TOL * scale || n === m) break;
    start = x;
  }
  return best;
}
