/**
 * H.264 in yuv420p subsamples chroma 2×2, so libx264 refuses odd widths/heights. We pad by one black pixel
 * column/row (not scale): every source pixel stays where it was, and callers can say so to the user.
 */
export interface EvenSize {
  readonly width: number;
  readonly height: number;
  /** True when a column and/or row was added. */
  readonly padded: boolean;
  /** Human note for logs/summaries when padded, else undefined. */
  readonly note?: string;
}

export function evenSize(width: number, height: number): EvenSize {
  const w = width + (width % 2);
  const h = height + (height % 2);
  if (w === width && h === height) return { width, height, padded: false };
  return {
    width: w, height: h, padded: true,
    note: `output padded from ${width}x${height} to ${w}x${h} (yuv420p H.264 needs even dimensions)`,
  };
}
