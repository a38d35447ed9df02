/**
 * `--layout grid`: one image with the plain frame (captioned with the predicted class), the MetaCAM tile and
 * one tile per member map (captioned with its title), so methods can be compared side by side. The frame is
 * scaled to the tile size once per frame and shared by all tiles.
 */
import type { RgbImage } from '../core/frame.js';
import type { ExplanationMaps, FrameExplanation } from '../core/frame-explanation.js';
import { resizeRgb } from './bilinear-resize.js';
import { colormapLut } from './colormaps.js';
import { drawText } from './draw-text.js';
import { gridLayout } from './grid-layout.js';
import { labelText } from './label-text.js';
import { outlineColorFor, textScaleFor, type OverlayOptions } from './overlay-options.js';
import { paintHeatmap, type HeatmapStyle } from './paint-heatmap.js';

const BACKGROUND = 24;

function blit(out: RgbImage, tile: RgbImage, x: number, y: number): void {
  const rowBytes = tile.width * 3;
  for (let r = 0; r < tile.height; r++) {
    const src = r * rowBytes;
    out.data.set(tile.data.subarray(src, src + rowBytes), ((y + r) * out.width + x) * 3);
  }
}

/** `into` (optional): a buffer of the grid's size to draw into (every byte is written), instead of a new one. */
export function renderGrid(image: RgbImage, explanation: FrameExplanation, maps: ExplanationMaps, o: OverlayOptions, into?: Uint8Array): RgbImage {
  const ids = Object.keys(maps.members);
  const layout = gridLayout(image.width, image.height, ids.length + 2, o.gridMaxWidth, o.gridMaxHeight);
  const { tileWidth: tw, tileHeight: th } = layout;
  const bytes = layout.width * layout.height * 3;
  if (into && into.length !== bytes) throw new RangeError(`grid output buffer holds ${into.length} bytes, the ${layout.width}×${layout.height} grid needs ${bytes}`);
  const out: RgbImage = { width: layout.width, height: layout.height, data: (into ?? new Uint8Array(bytes)).fill(BACKGROUND) };
  const small = tw === image.width && th === image.height ? image : resizeRgb(image, tw, th);
  const style: HeatmapStyle = {
    lut: colormapLut(o.colormap),
    alpha: o.alpha,
    outlineColor: outlineColorFor(o),
    outlineWidth: o.outlineWidth ?? 2,
  };
  const tiles: { image: RgbImage; caption: string }[] = [
    { image: small, caption: o.label === false ? 'frame' : labelText(explanation) },
    o.show === 'metacam'
      ? { image: paintHeatmap(small, maps.consensus, maps.metacam, style), caption: 'MetaCAM' }
      : { image: paintHeatmap(small, maps.consensus, null, style), caption: 'consensus (raw)' },
    ...ids.map((id) => ({ image: paintHeatmap(small, maps.members[id]!, null, style), caption: o.titles?.[id] ?? id })),
  ];
  const scale = textScaleFor(th, o, 160);
  tiles.forEach((t, i) => {
    const { x, y } = layout.cells[i]!;
    blit(out, t.image, x, y);
    drawText(out, t.caption, x, y, { scale, maxWidth: tw });
  });
  return out;
}
