/**
 * Pearson's r of two same-size maps, pixel by pixel: the second temporal-stability metric beside flicker
 * (mean r of consecutive frames' maps; 1 = the map moved by nothing but a scale). Undefined when either map
 * is constant (no variance): such pairs are left out, not counted as 0 or 1.
 */
import { MetacamError } from '../errors.js';

export function pearsonR(a: ArrayLike<number>, b: ArrayLike<number>): number | undefined {
  const n = a.length;
  if (b.length !== n) throw new MetacamError('E_INTERNAL', `Pearson r of ${n} and ${b.length} values`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : undefined;
}
