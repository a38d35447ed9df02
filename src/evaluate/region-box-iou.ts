/**
 * IoU of a thresholded map's region (cells > 0) with the target's box, computed on areas in normalised
 * coordinates: |R ∩ B| = Σ_{p∈R} coverage(p)·cellArea, |R ∪ B| = |R| + |B| − |R ∩ B|. 0 for an empty region.
 */
import type { CamMap } from '../core/cam-map.js';
import type { Box } from '../core/frame-explanation.js';
import { boxArea, boxCoverage } from './box-coverage.js';

export function regionBoxIoU(thresholded: CamMap, box: Box): number {
  const d = thresholded.data;
  const cov = boxCoverage(thresholded.width, thresholded.height, box);
  const cellArea = 1 / d.length;
  let region = 0;
  let inter = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] > 0) {
      region += cellArea;
      inter += cov[i] * cellArea;
    }
  }
  if (region === 0) return 0;
  const union = region + boxArea(box) - inter;
  return union > 0 ? inter / union : 0;
}
