/**
 * The q-quantile of a map's values, the one number the adaptive threshold needs.
 *
 * Rule (numpy's default, Hyndman–Fan type 7): sort the n values ascending into v[0..n−1], let h = (n − 1)·q;
 * the quantile is v[⌊h⌋] + (h − ⌊h⌋)·(v[⌈h⌉] − v[⌊h⌋]). So q = 0 gives the minimum, q = 1 the maximum, and a
 * constant map gives its constant for every q. When v[⌊h⌋] = v[⌈h⌉] (ties) the result is exactly that value,
 * so a threshold `value ≥ τ` keeps all tied pixels together: a threshold can never split equal values, and the
 * kept area may then exceed k%.
 */
import { MetacamError } from '../errors.js';

export function quantile(data: ArrayLike<number>, q: number): number {
  if (!Number.isFinite(q) || q < 0 || q > 1) {
    throw new MetacamError('E_ARG', `quantile level must be a number in [0, 1] (got ${q})`);
  }
  const n = data.length;
  if (n === 0) throw new MetacamError('E_ARG', 'quantile of an empty map is undefined; the map has no pixels');
  const sorted = Float64Array.from(data as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(sorted[i])) throw new MetacamError('E_INTERNAL', `map value ${i} is NaN; maps must be finite`);
  }
  sorted.sort();
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo];
  const b = sorted[hi];
  return a === b ? a : a + (h - lo) * (b - a);
}
