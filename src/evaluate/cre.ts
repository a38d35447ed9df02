/**
 * Cumulative Residual Effect (MetaCAM paper): for every non-empty subset e of the method groups, MetaCAM is built
 * from that subset and scored (ROAD); residual r_e = ROAD_e − median over all subsets; CRE_g = Σ_{e ∋ g} r_e.
 * A positive CRE means subsets containing g tend to score above the median: the group helps the ensemble.
 * The median of an even count is the mean of the two middle values.
 */
import { MetacamError } from '../errors.js';

export interface SubsetScore {
  /** The groups (or methods) in this subset. */
  readonly members: readonly string[];
  readonly score: number;
}

export interface CreResult {
  readonly median: number;
  /** Residual per table row, in the table's order. */
  readonly residuals: readonly number[];
  /** CRE per group, in first-appearance order. */
  readonly cre: Readonly<Record<string, number>>;
}

/** All 2^n − 1 non-empty subsets, in binary counting order ({a}, {b}, {a,b}, {c}, …). */
export function nonEmptySubsets<T>(items: readonly T[]): T[][] {
  if (items.length > 20) throw new MetacamError('E_ARG', `too many groups for CRE (${items.length}): 2^n − 1 subsets`);
  const out: T[][] = [];
  for (let bits = 1; bits < 1 << items.length; bits++) out.push(items.filter((_, i) => bits & (1 << i)));
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new MetacamError('E_ARG', 'median of no values');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function cumulativeResidualEffect(table: readonly SubsetScore[]): CreResult {
  if (table.length === 0) throw new MetacamError('E_ARG', 'CRE needs at least one scored subset');
  for (const row of table) {
    if (row.members.length === 0) throw new MetacamError('E_ARG', 'CRE subsets must be non-empty');
    if (!Number.isFinite(row.score)) throw new MetacamError('E_ARG', `CRE score of {${row.members.join(', ')}} is not a number (${row.score})`);
  }
  const med = median(table.map((r) => r.score));
  const residuals = table.map((r) => r.score - med);
  const cre: Record<string, number> = {};
  table.forEach((row, i) => {
    for (const g of new Set(row.members)) cre[g] = (cre[g] ?? 0) + residuals[i];
  });
  return { median: med, residuals, cre };
}
