/**
 * Consensus of thresholded member maps: S = Σ_i w_i·T_i, returned as normalise(S) (min-max, see normalise.ts).
 * Rule `sum` (default): w_i = 1 for every distinct member. Rule `group`: one vote per method group, w_i = 1/n_g
 * for the n_g distinct members of member i's group g (each group's maps averaged, then the groups summed).
 * MetaCAM is then T_k(normalise(S)). Pixels where several members' regions overlap add up and survive the
 * second threshold; a member firing alone elsewhere is cut.
 */
import { camMap, type CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import type { ConsensusRule } from './metacam-settings.js';
import { normaliseMinMax } from './normalise.js';

/** The weight of each member in S under `rule`; `groupOf` (member → group) is needed for `group`. */
export function consensusWeights(ids: readonly string[], rule: ConsensusRule, groupOf?: Readonly<Record<string, string>>): number[] {
  if (rule === 'sum') return ids.map(() => 1);
  const groups = ids.map((id) => {
    const g = groupOf?.[id];
    if (g === undefined) throw new MetacamError('E_ARG', `consensus rule 'group' needs each member's group; '${id}' has none`);
    return g;
  });
  const count = new Map<string, number>();
  for (const g of groups) count.set(g, (count.get(g) ?? 0) + 1);
  return groups.map((g) => 1 / count.get(g)!);
}

export function sumMaps(maps: readonly CamMap[], weights?: readonly number[]): CamMap {
  if (maps.length === 0) throw new MetacamError('E_ARG', 'consensus needs at least one member map');
  if (weights && weights.length !== maps.length) throw new MetacamError('E_INTERNAL', `${weights.length} consensus weights for ${maps.length} maps`);
  const { width, height } = maps[0];
  const sum = new Float32Array(width * height);
  for (const [j, m] of maps.entries()) {
    if (m.width !== width || m.height !== height) {
      throw new MetacamError('E_INTERNAL', `member maps differ in size (${width}×${height} vs ${m.width}×${m.height}); all members must share the target layer`);
    }
    const d = m.data;
    const w = weights?.[j] ?? 1;
    for (let i = 0; i < sum.length; i++) sum[i] += w * d[i];
  }
  return camMap(width, height, sum);
}

/** normalise(Σ_i w_i·T_i): the unthresholded consensus map (all weights 1 when none are given). */
export function consensusMap(thresholded: readonly CamMap[], weights?: readonly number[]): CamMap {
  return normaliseMinMax(sumMaps(thresholded, weights));
}
