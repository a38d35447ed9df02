/**
 * Which pixels ROAD removes at a nominal share p, and how ties in the map are treated (`--road-protocol`):
 *   - `fair` (default): exactly round(p/100 · n) pixels are removed, the most relevant first (MoRF) or the least
 *     relevant first (LeRF); pixels with equal values are ordered by a seeded random permutation, the same one
 *     for MoRF and LeRF, so ties never favour a region of the image and a constant map scores exactly 0.
 *   - `pgc`: pytorch-grad-cam's rule (the reference the MetaCAM paper used). MoRF at p keeps the pixels with
 *     map < τ, τ = numpy's linear percentile (100 − p) of the map, and imputes all others; LeRF does the same on
 *     1 − map. Tied values are removed together: a map with ≥ 20 % exact zeros (every thresholded map) has
 *     every pixel removed by MoRF at p = 80…20, whatever it says about the object.
 */
import { MetacamError } from '../errors.js';

export type RoadProtocol = 'fair' | 'pgc';
export const ROAD_PROTOCOLS: readonly RoadProtocol[] = ['fair', 'pgc'];
export const DEFAULT_ROAD_PROTOCOL: RoadProtocol = 'fair';

/** Validates a `--road-protocol` value. */
export function checkRoadProtocol(value: string): RoadProtocol {
  if (!(ROAD_PROTOCOLS as readonly string[]).includes(value)) {
    throw new MetacamError('E_ARG', `--road-protocol must be ${ROAD_PROTOCOLS.join(' or ')} (got '${value}'); fair removes exactly p % with ties in random order, pgc is pytorch-grad-cam's threshold rule`);
  }
  return value as RoadProtocol;
}
