/**
 * Pointing game (Zhang et al. 2016): does the map's maximum fall inside the target's box? With the map read as
 * piecewise constant (box-coverage.ts) the maximum is attained on a set of cells; the score is the probability
 * that a point drawn uniformly from that set lies in the box. For a unique maximum at image resolution that is
 * 1 (hit) or 0 (miss); ties (binary maps, plateaus) and cells straddling the box edge give the expected hit
 * rate under uniform tie-breaking. A map that is zero everywhere points nowhere: 0.
 */
import type { CamMap } from '../core/cam-map.js';
import type { Box } from '../core/frame-explanation.js';
import { boxCoverage } from './box-coverage.js';

export function pointingGame(map: CamMap, box: Box): number {
  const d = map.data;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) if (d[i] > max) max = d[i];
  if (!(max > 0)) return 0;
  const cov = boxCoverage(map.width, map.height, box);
  let inside = 0;
  let count = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] === max) {
      inside += cov[i];
      count++;
    }
  }
  return inside / count;
}
