/**
 * Sparseness of an attribution map: the Gini index of its values (Chalasani et al., ICML 2020, after Hurley &
 * Rickard 2009), as Quantus ships it. With the n values sorted ascending x_(1) ≤ … ≤ x_(n) ≥ 0:
 *   G = Σ_k (2k − n − 1) · x_(k) / (n · Σ_k x_(k))   ∈ [0, 1 − 1/n].
 * 0 = uniform (nothing singled out); near 1 = all mass on one pixel. An all-zero map has G = 0.
 */
export function giniSparseness(values: ArrayLike<number>): number {
  const n = values.length;
  const x = Float64Array.from(values as ArrayLike<number>, (v) => Math.max(0, v)).sort();
  let total = 0;
  let weighted = 0;
  for (let k = 0; k < n; k++) {
    total += x[k]!;
    weighted += (2 * (k + 1) - n - 1) * x[k]!;
  }
  return total > 0 ? weighted / (n * total) : 0;
}
