/**
 * Which group subset a calibration chooses (calibrate.ts): the best primary score — pointing game when the clip
 * has ground truth, else ROAD — then, among exact ties, the higher ROAD, then the fewer members, then the first
 * in the subsets' order (binary counting over the groups, cre.ts). Pure, so the rule is tested on hand tables.
 */
import { MetacamError } from '../errors.js';

export type CalibrationPrimary = 'pointingGame' | 'road';

export interface ScoredSubset {
  readonly members: readonly string[];
  readonly road: number;
  readonly pointingGame?: number;
}

/** The index of the chosen subset in `rows`. */
export function chooseSubset(rows: readonly ScoredSubset[], primary: CalibrationPrimary): number {
  if (rows.length === 0) throw new MetacamError('E_ARG', 'calibration scored no subset');
  const key = (r: ScoredSubset): number => {
    const v = primary === 'road' ? r.road : r.pointingGame;
    if (v === undefined || !Number.isFinite(v)) throw new MetacamError('E_INTERNAL', `subset {${r.members.join(', ')}} has no ${primary} score`);
    return v;
  };
  rows.forEach(key); // every row must carry the primary score, also when there is only one
  let best = 0;
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i]!;
    const b = rows[best]!;
    const better = key(a) !== key(b) ? key(a) > key(b)
      : a.road !== b.road ? a.road > b.road
        : a.members.length < b.members.length;
    if (better) best = i;
  }
  return best;
}
