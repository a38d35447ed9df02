/**
 * Noisy Linear Imputation (ROAD, Rong et al. 2022): removed pixels are replaced by the solution of a linear
 * system in which each removed pixel equals the weighted mean of its 8 neighbours (weights 1/6 for the 4 direct,
 * 1/12 for the 4 diagonal neighbours; out-of-image neighbours dropped), then σ-noise is added to them.
 * For removed pixel p with in-image neighbours N(p): d_p·x_p − Σ_{n∈N(p) removed} w_n·x_n = Σ_{n∈N(p) kept} w_n·v_n,
 * d_p = Σ_{n∈N(p)} w_n. The matrix is symmetric and diagonally dominant, so conjugate gradients solves it.
 * Unlike deleting pixels with a constant, the imputed values carry no information about the removal mask
 * beyond the mask's shape, which is what makes ROAD's scores consistent between MoRF and LeRF.
 */
import { MetacamError } from '../errors.js';
import { conjugateGradient, type CsrMatrix } from './conjugate-gradient.js';
import { floatImage, type FloatImage } from './float-image.js';
import { seededRng, type Rng } from '../core/seeded-rng.js';

export const NLI_NEIGHBOURS: readonly { readonly di: number; readonly dj: number; readonly w: number }[] = [
  { di: -1, dj: 0, w: 1 / 6 }, { di: 1, dj: 0, w: 1 / 6 }, { di: 0, dj: -1, w: 1 / 6 }, { di: 0, dj: 1, w: 1 / 6 },
  { di: -1, dj: -1, w: 1 / 12 }, { di: -1, dj: 1, w: 1 / 12 }, { di: 1, dj: -1, w: 1 / 12 }, { di: 1, dj: 1, w: 1 / 12 },
];

export interface NliSystem {
  /** Pixel index (i·width + j) of each unknown, in row-major order. */
  readonly unknowns: Int32Array;
  readonly matrix: CsrMatrix;
  /** Right-hand sides, interleaved per channel: b[u·channels + c]. */
  readonly rhs: Float64Array;
}

/** Builds the NLI system for `image` with `removed[p] = 1` for pixels to impute. */
export function nliSystem(image: FloatImage, removed: Uint8Array): NliSystem {
  const { width: w, height: h, channels: C, data } = image;
  if (removed.length !== w * h) throw new MetacamError('E_INTERNAL', `removal mask has ${removed.length} values, expected ${w}×${h}`);
  const index = new Int32Array(w * h).fill(-1);
  let n = 0;
  for (let p = 0; p < w * h; p++) if (removed[p]) index[p] = n++;
  const unknowns = new Int32Array(n);
  const rowStart = new Int32Array(n + 1);
  const cols = new Int32Array(n * 9);
  const values = new Float64Array(n * 9);
  const rhs = new Float64Array(n * C);
  let k = 0;
  let u = 0;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const p = i * w + j;
      if (!removed[p]) continue;
      unknowns[u] = p;
      rowStart[u] = k;
      let diag = 0;
      const diagSlot = k++;
      for (const { di, dj, w: wt } of NLI_NEIGHBOURS) {
        const ni = i + di;
        const nj = j + dj;
        if (ni < 0 || ni >= h || nj < 0 || nj >= w) continue;
        diag += wt;
        const q = ni * w + nj;
        if (removed[q]) {
          cols[k] = index[q];
          values[k++] = -wt;
        } else {
          for (let c = 0; c < C; c++) rhs[u * C + c] += wt * data[q * C + c];
        }
      }
      cols[diagSlot] = u;
      values[diagSlot] = diag;
      u++;
    }
  }
  rowStart[n] = k;
  return { unknowns, matrix: { size: n, rowStart, cols: cols.subarray(0, k), values: values.subarray(0, k) }, rhs };
}

export interface NliOptions {
  /** Standard deviation of the Gaussian noise added to imputed pixels. Default 0.01. */
  readonly noise?: number;
  /** RNG for the noise (default: seeded with `seed`). */
  readonly rng?: Rng;
  /** Seed when no rng is given. Default 0. */
  readonly seed?: number;
  /** CG relative tolerance. Default 1e-6. */
  readonly tolerance?: number;
}

/** Returns a new image with the removed pixels imputed; kept pixels are copied unchanged. */
export function noisyLinearImputation(image: FloatImage, removed: Uint8Array, options: NliOptions = {}): FloatImage {
  const noise = options.noise ?? 0.01;
  if (!(noise >= 0 && Number.isFinite(noise))) throw new MetacamError('E_ARG', `imputation noise σ must be ≥ 0 (got ${noise})`);
  const rng = options.rng ?? seededRng(options.seed ?? 0);
  const C = image.channels;
  const { unknowns, matrix, rhs } = nliSystem(image, removed);
  const out = Float32Array.from(image.data);
  if (unknowns.length > 0) {
    const { x } = conjugateGradient(matrix, rhs, C, { tolerance: options.tolerance ?? 1e-6 });
    for (let u = 0; u < unknowns.length; u++) {
      const p = unknowns[u];
      for (let c = 0; c < C; c++) out[p * C + c] = x[u * C + c] + (noise > 0 ? noise * rng.normal() : 0);
    }
  }
  return floatImage(image.width, image.height, C, out);
}
