/**
 * Geometry of the `--layout grid` mosaic: N tiles (frame, MetaCAM, one per member) on a near-square grid of
 * equal tiles with even sizes, shrunk to fit a maximum output size. H.264 with yuv420p needs even width and
 * height, and an encoder needs the same size every frame: the result depends only on the frame size, the
 * tile count and the limits.
 */

export interface GridLayout {
  readonly cols: number;
  readonly rows: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** Gutter between and around tiles, in pixels (even). */
  readonly gap: number;
  /** Output size (both even). */
  readonly width: number;
  readonly height: number;
  /** Top-left corner of each tile, in tile order (row-major). */
  readonly cells: readonly { readonly x: number; readonly y: number }[];
}

const floorEven = (v: number): number => Math.max(2, Math.floor(v / 2) * 2);

export function gridLayout(
  frameWidth: number,
  frameHeight: number,
  tiles: number,
  maxWidth = 1920,
  maxHeight = 1080,
  gap = 4,
): GridLayout {
  if (!(tiles >= 1) || !Number.isInteger(tiles)) throw new RangeError(`grid needs a positive whole number of tiles, got ${tiles}`);
  const g = floorEven(gap);
  const cols = Math.ceil(Math.sqrt(tiles));
  const rows = Math.ceil(tiles / cols);
  const scale = Math.min(1, (maxWidth - (cols + 1) * g) / (cols * frameWidth), (maxHeight - (rows + 1) * g) / (rows * frameHeight));
  const tileWidth = floorEven(frameWidth * scale);
  const tileHeight = floorEven(frameHeight * scale);
  const cells = Array.from({ length: tiles }, (_, i) => ({
    x: g + (i % cols) * (tileWidth + g),
    y: g + Math.floor(i / cols) * (tileHeight + g),
  }));
  return {
    cols,
    rows,
    tileWidth,
    tileHeight,
    gap: g,
    width: cols * tileWidth + (cols + 1) * g,
    height: rows * tileHeight + (rows + 1) * g,
    cells,
  };
}
