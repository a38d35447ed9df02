/**
 * The outline of a region mask: the region's own pixels within `thickness` 4-connected steps of a pixel
 * outside it (mask minus its erosion by a diamond of radius `thickness`, so the outline never covers what
 * lies outside the region).
 *
 * Pixels beyond the image edge count as inside: a region that touches the frame border is not outlined along
 * the border, which would only hide frame pixels. Work is proportional to the mask's bounding box for the
 * first ring and to the perimeter for the rest; the result is a list of pixel indices to paint.
 */

export interface MaskBounds {
  readonly x0: number;
  readonly y0: number;
  /** Exclusive. */
  readonly x1: number;
  readonly y1: number;
}

/** Bounding box of the set pixels, or null when none is set; `within` limits the search to a rectangle. */
export function maskBounds(mask: Uint8Array, width: number, height: number, within?: MaskBounds): MaskBounds | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  const sx0 = within?.x0 ?? 0;
  const sx1 = within?.x1 ?? width;
  for (let y = within?.y0 ?? 0; y < (within?.y1 ?? height); y++) {
    const row = y * width;
    let first = -1;
    let last = -1;
    for (let x = sx0; x < sx1; x++) {
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

// Marks of pixels already in the outline (rings 2…t), reused across calls and cleared after each: calls are
// synchronous, so never shared concurrently.
let seen = new Uint8Array(0);

/** Indices (y·width + x) of the outline pixels, each once; `within`, if given, must hold every set pixel. */
export function outlinePixels(mask: Uint8Array, width: number, height: number, thickness = 2, within?: MaskBounds): Int32Array {
  if (thickness <= 0) return new Int32Array(0);
  // With `within` the scan below is limited to it directly: pixels outside the mask are skipped anyway, so a
  // separate bounding-box pass would only read the same pixels once more.
  const b = within
    ? { x0: Math.max(0, within.x0), y0: Math.max(0, within.y0), x1: Math.min(width, within.x1), y1: Math.min(height, within.y1) }
    : maskBounds(mask, width, height);
  if (!b) return new Int32Array(0);
  // Ring 1: mask pixels with a 4-neighbour outside the mask (inside the image).
  let ring: number[] = [];
  for (let y = b.y0; y < b.y1; y++) {
    const row = y * width;
    const up = y > 0;
    const down = y < height - 1;
    for (let x = b.x0; x < b.x1; x++) {
      const i = row + x;
      if (mask[i] === 0) continue;
      if ((x > 0 && mask[i - 1] === 0) || (x < width - 1 && mask[i + 1] === 0) || (up && mask[i - width] === 0) || (down && mask[i + width] === 0)) {
        ring.push(i);
      }
    }
  }
  const all = ring.slice();
  if (thickness > 1 && ring.length > 0) {
    // Rings 2…t: unvisited mask pixels 4-adjacent to the previous ring (a breadth-first walk inwards).
    if (seen.length < width * height) seen = new Uint8Array(width * height);
    for (const i of ring) seen[i] = 1;
    const n = width * height;
    for (let t = 1; t < thickness && ring.length > 0; t++) {
      const next: number[] = [];
      for (const i of ring) {
        const x = i % width;
        if (x > 0 && mask[i - 1] !== 0 && seen[i - 1] === 0) { seen[i - 1] = 1; next.push(i - 1); }
        if (x < width - 1 && mask[i + 1] !== 0 && seen[i + 1] === 0) { seen[i + 1] = 1; next.push(i + 1); }
        if (i >= width && mask[i - width] !== 0 && seen[i - width] === 0) { seen[i - width] = 1; next.push(i - width); }
        if (i + width < n && mask[i + width] !== 0 && seen[i + width] === 0) { seen[i + width] = 1; next.push(i + width); }
      }
      for (const j of next) all.push(j);
      ring = next;
    }
    for (const i of all) seen[i] = 0;
  }
  return Int32Array.from(all);
}

/** The outline as a mask: 1 on outline pixels, 0 elsewhere (a new array of length w·h). */
export function regionOutline(mask: Uint8Array, width: number, height: number, thickness = 2): Uint8Array {
  const outline = new Uint8Array(width * height);
  for (const i of outlinePixels(mask, width, height, thickness)) outline[i] = 1;
  return outline;
}
