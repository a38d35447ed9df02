/**
 * Ground-truth boxes come in pixels of the clip, [x0, y0, x1, y1] with x1, y1 the far edges (a box covering
 * pixel columns 10…19 is [10, …, 20, …]); metrics work in normalised coordinates [0,1].
 */
import { MetacamError } from '../errors.js';
import type { Box } from '../core/frame-explanation.js';

export function pixelBoxToNormalised(bbox: readonly [number, number, number, number], width: number, height: number): Box {
  if (!(width > 0 && height > 0)) throw new MetacamError('E_ARG', `clip size must be positive (got ${width}×${height})`);
  const [x0, y0, x1, y1] = bbox;
  return { x0: x0 / width, y0: y0 / height, x1: x1 / width, y1: y1 / height };
}
