/** The overlay stage: colormaps, map upsampling, blending, text and the grid, as functions and an operator. */
export { COLORMAP_NAMES, colormapLut, isColormapName, lutIndex, type ColormapName } from './colormaps.js';
export {
  axisTable,
  resizeMap,
  resizeRgb,
  resizeTables,
  type AxisTable,
  type PixelWindow,
  type ResizeTables,
} from './bilinear-resize.js';
export { alphaWeight, blendHeatmap, paintMask, paintPixels } from './blend-heatmap.js';
export { regionMask, regionWindow } from './region-mask.js';
export { maskBounds, outlinePixels, regionOutline, type MaskBounds } from './region-outline.js';
export { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRow } from './bitmap-font.js';
export { drawText, fitText, measureText, type TextBox, type TextStyle } from './draw-text.js';
export { gridLayout, type GridLayout } from './grid-layout.js';
export { labelText } from './label-text.js';
export { paintHeatmap, type HeatmapStyle } from './paint-heatmap.js';
export { renderGrid } from './render-grid.js';
export {
  DEFAULT_OVERLAY_OPTIONS,
  LAYOUTS,
  SHOW_MODES,
  outlineColorFor,
  resolveOverlayOptions,
  textScaleFor,
  type Layout,
  type OverlayOptions,
  type Rgb,
  type ShowMode,
} from './overlay-options.js';
export { overlayFrame, renderOverlay } from './overlay-frame.js';
export { overlayFrames, overlayItem, type OverlayFramesHow, type OverlayInput, type WithOverlay } from './overlay-frames.js';
