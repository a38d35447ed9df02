/**
 * The outline of a region mask: the region's own pixels within `thickness` 4-connected steps of a pixel
 * outside it (an inner border, so the outline never covers what lies outside the region).
 *
 * Pixels beyond the image edge count as inside: a region that touches the frame border is not outlined along
 * the border, which would only hide frame pixels. Work is limited to the mask's bounding box.
 */

export interface MaskBounds {
  readonly x0: number;
  readonly y0: number;
  /** Exclusive. */
  readonly x1: number;
  readonly y1: number;
}

/** Bounding box of the set pixels, or null when none is set. */
export function maskBounds(mask: Uint8Array, width: number, height: number): MaskBounds | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) {
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** 1 on outline pixels, 0 elsewhere (a new array of length w·h). */
export function regionOutline(mask: Uint8Array, width: number, height: number, thickness = 2): Uint8Array {
  const outline = new Uint8Array(width * height);
  const b = maskBounds(mask, width, height);
  if (!b || thickness <= 0) return outline;
  // Erode `thickness` times inside the bounds; the outline is mask minus the eroded mask.
  let cur = mask;
  for (let t = 0; t < thickness; t++) {
    const next = new Uint8Array(width * height);
    for (let y = b.y0; y < b.y1; y++) {
      const row = y * width;
      for (let x = b.x0; x < b.x1; x++) {
        const i = row + x;
        if (!cur[i]) continue;
        const left = x === 0 || cur[i - 1];
        const right = x === width - 1 || cur[i + 1];
        const up = y === 0 || cur[i - width];
        const down = y === height - 1 || cur[i + width];
        if (left && right && up && down) next[i] = 1;
      }
    }
    cur = next;
  }
  for (let y = b.y0; y < b.y1; y++) {
    const row = y * width;
    for (let x = b.x0; x < b.x1; x++) {
      const i = row + x;
      if (mask[i] && !cur[i]) outline[i] = 1;
    }
  }
  return outline;
}
