/**
 * Consensus of thresholded member maps: S = Σ_i T_i, returned as normalise(S) (min-max, see normalise.ts).
 * MetaCAM is then T_k(normalise(S)). Pixels where several members' regions overlap add up and survive the
 * second threshold; a member firing alone elsewhere is cut.
 */
import { camMap, type CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import { normaliseMinMax } from './normalise.js';

export function sumMaps(maps: readonly CamMap[]): CamMap {
  if (maps.length === 0) throw new MetacamError('E_ARG', 'consensus needs at least one member map');
  const { width, height } = maps[0];
  const sum = new Float32Array(width * height);
  for (const m of maps) {
    if (m.width !== width || m.height !== height) {
      throw new MetacamError('E_INTERNAL', `member maps differ in size (${width}×${height} vs ${m.width}×${m.height}); all members must share the target layer`);
    }
    const d = m.data;
    for (let i = 0; i < sum.length; i++) sum[i] += d[i];
  }
  return camMap(width, height, sum);
}

/** normalise(Σ_i T_i): the unthresholded consensus map. */
export function consensusMap(thresholded: readonly CamMap[]): CamMap {
  return normaliseMinMax(sumMaps(thresholded));
}
