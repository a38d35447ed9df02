/**
 * Renders one explained frame: the heatmap (MetaCAM region with outline, or the raw consensus) blended onto
 * the full-size frame with the class label, or the comparison grid. Never writes to the input frame (callers
 * hash and encode it); allocates the output image once per call, or writes all of `into` when given (a
 * buffer of the output size — the frame's, or the grid's — that a pipeline recycles).
 */
import type { CamMap } from '../core/cam-map.js';
import { MetacamError } from '../errors.js';
import type { RgbImage } from '../core/frame.js';
import type { ExplanationMaps, FrameExplanation } from '../core/frame-explanation.js';
import { colormapLut } from './colormaps.js';
import { drawText } from './draw-text.js';
import { labelText } from './label-text.js';
import { outlineColorFor, resolveOverlayOptions, textScaleFor, type OverlayOptions } from './overlay-options.js';
import { paintHeatmap } from './paint-heatmap.js';
import { renderGrid } from './render-grid.js';

function checkMap(name: string, m: CamMap | undefined): void {
  if (!m || !(m.width > 0) || !(m.height > 0) || !(m.data instanceof Float32Array) || m.data.length !== m.width * m.height) {
    const shape = m ? `${m.width}×${m.height} with ${m.data?.length} values` : 'missing';
    throw new MetacamError('E_INTERNAL', `overlay: map '${name}' is ${shape}; expected a Float32Array of width·height values`);
  }
}

function checkInputs(image: RgbImage, maps: ExplanationMaps): void {
  if (!(image.width > 0) || !(image.height > 0) || image.data.length !== image.width * image.height * 3) {
    throw new MetacamError(
      'E_INTERNAL',
      `overlay: image is ${image.width}×${image.height} but holds ${image.data.length} bytes; expected RGB24 (${image.width * image.height * 3})`,
    );
  }
  checkMap('consensus', maps.consensus);
  checkMap('metacam', maps.metacam);
  for (const [id, m] of Object.entries(maps.members)) checkMap(id, m);
}

/** Overlay with options already resolved (the operator resolves them once per stream). */
export function renderOverlay(image: RgbImage, explanation: FrameExplanation, maps: ExplanationMaps, o: OverlayOptions, into?: Uint8Array): RgbImage {
  checkInputs(image, maps);
  if (o.layout === 'grid') return renderGrid(image, explanation, maps, o, into);
  const out = paintHeatmap(image, maps.consensus, o.show === 'metacam' ? maps.metacam : null, {
    lut: colormapLut(o.colormap),
    alpha: o.alpha,
    outlineColor: outlineColorFor(o),
    outlineWidth: o.outlineWidth ?? 2,
  }, into);
  if (o.label !== false) {
    const scale = textScaleFor(image.height, o);
    drawText(out, labelText(explanation), 2 * scale, 2 * scale, { scale, maxWidth: image.width - 4 * scale });
  }
  return out;
}

/** Validates `options` (E_ARG on bad values, defaults filled) and renders the overlay for one frame. */
export function overlayFrame(
  image: RgbImage,
  explanation: FrameExplanation,
  maps: ExplanationMaps,
  options: Partial<OverlayOptions> = {},
): RgbImage {
  return renderOverlay(image, explanation, maps, resolveOverlayOptions(options));
}
