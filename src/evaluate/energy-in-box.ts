/**
 * Energy-in-box ("Proportion", Grad-CAM++ paper; "energy-based pointing game", Score-CAM paper): the share of the
 * map's mass inside the target's box, Σ_{p∈box} M(p) / Σ_p M(p), with partial cells weighted by their coverage
 * (box-coverage.ts). In [0,1]; 0 for an all-zero map.
 */
import type { CamMap } from '../core/cam-map.js';
import type { Box } from '../core/frame-explanation.js';
import { boxCoverage } from './box-coverage.js';

export function energyInBox(map: CamMap, box: Box): number {
  const d = map.data;
  const cov = boxCoverage(map.width, map.height, box);
  let total = 0;
  let inside = 0;
  for (let i = 0; i < d.length; i++) {
    const v = Math.max(0, d[i]);
    total += v;
    inside += v * cov[i];
  }
  return total > 0 ? inside / total : 0;
}
