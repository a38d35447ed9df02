/**
 * Consensus of thresholded member maps: S = Σ_i w_i·T_i, returned as normalise(S) (min-max, see normalise.ts).
 * Rule `sum` (default): w_i = 1 for every distinct member. Rule `group`: one vote per method group, w_i = 1/n_g
 * for the n_g distinct members of member i's group g (each group's maps averaged, then the groups summed).
 * Rule `weighted`: w_i from a calibration profile (a member it does not list weighs 0). A distinct member stands
 * for its whole identical set (distinct-members.ts), so it votes with the largest weight of that set: the same
 * map listed twice counts as much as its heaviest listing, never twice (with all weights 1 this is `sum`).
 * MetaCAM is then T_k(normalise(S)). Pixels where several members' regions overlap add up and survive the
 * second threshold; a member firing alone elsewhere is cut.
 */
import { camMap, type CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import type { MergedMember } from '../core/frame-explanation.js';
import type { ConsensusRule, ConsensusWeights } from './metacam-settings.js';
import { normaliseMinMax } from './normalise.js';

/** What a rule needs besides the voting members: `group` each member's group, `weighted` the weights and this frame's merges. */
export interface ConsensusContext {
  readonly groupOf?: Readonly<Record<string, string>>;
  readonly weights?: ConsensusWeights;
  /** Members left out of S because their map equals a voter's (`into`); their weight can pass to it. */
  readonly merged?: readonly Pick<MergedMember, 'id' | 'into'>[];
}

/** The weight of each voting member in S under `rule`. */
export function consensusWeights(ids: readonly string[], rule: ConsensusRule, context: ConsensusContext = {}): number[] {
  if (rule === 'sum') return ids.map(() => 1);
  if (rule === 'weighted') return weightedVotes(ids, context);
  const { groupOf } = context;
  const groups = ids.map((id) => {
    const g = groupOf?.[id];
    if (g === undefined) throw new MetacamError('E_ARG', `consensus rule 'group' needs each member's group; '${id}' has none`);
    return g;
  });
  const count = new Map<string, number>();
  for (const g of groups) count.set(g, (count.get(g) ?? 0) + 1);
  return groups.map((g) => 1 / count.get(g)!);
}

function weightedVotes(ids: readonly string[], { weights, merged = [] }: ConsensusContext): number[] {
  if (!weights) throw new MetacamError('E_ARG', "consensus 'weighted' needs a weight per member: pass --profile profile.json (written by `metacam calibrate`)");
  return ids.map((id) => Math.max(weights[id] ?? 0, ...merged.filter((m) => m.into === id).map((m) => weights[m.id] ?? 0)));
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
