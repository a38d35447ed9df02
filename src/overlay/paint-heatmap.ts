/**
 * One heatmap layer: upsample a low-res map to the image, colour it, alpha-blend it onto a copy of the image,
 * optionally only inside a region (given as the low-res MetaCAM map) whose outline is then drawn.
 * Used for the single-frame overlay and for every grid tile. Writes every byte of `out` when given (e.g. a
 * recycled buffer: its old contents never show through), else allocates one output image; the input image is
 * only read.
 */
import type { CamMap } from '../core/cam-map.js';
import type { RgbImage } from '../core/frame.js';
import { resizeMap } from './bilinear-resize.js';
import { blendHeatmap, paintPixels } from './blend-heatmap.js';
import { regionMask, regionWindow } from './region-mask.js';
import { outlinePixels } from './region-outline.js';
import { paintRegion } from './paint-region.js';
import type { Rgb } from './overlay-options.js';

export interface HeatmapStyle {
  readonly lut: Uint8Array;
  readonly alpha: number;
  readonly outlineColor: Rgb;
  readonly outlineWidth: number;
}

// Per-size scratch reused across frames (calls are synchronous, so never shared concurrently).
let values = new Float32Array(0);
let mask = new Uint8Array(0);

export function paintHeatmap(image: RgbImage, colour: CamMap, region: CamMap | null, style: HeatmapStyle, into?: Uint8Array): RgbImage {
  const { width, height, data } = image;
  const n = width * height;
  if (data.length !== n * 3) {
    throw new RangeError(`image is ${width}×${height} but holds ${data.length} bytes (expected ${n * 3})`);
  }
  if (into && (into.length !== n * 3 || into.buffer === data.buffer)) {
    throw new RangeError(`output buffer must be a separate ${n * 3}-byte array (got ${into.length} bytes${into.buffer === data.buffer ? ', sharing the image\'s memory' : ''})`);
  }
  if (values.length !== n) values = new Float32Array(n);
  const out = into ?? new Uint8Array(n * 3);
  if (!region) {
    resizeMap(colour, width, height, values);
    blendHeatmap(data, values, style.lut, style.alpha, out);
    return { width, height, data: out };
  }
  // Only the pixels that can be in the region are upsampled, blended and searched for the outline.
  const rect = regionWindow(region, width, height);
  if (!rect) {
    out.set(data);
    return { width, height, data: out };
  }
  if (mask.length !== n) mask = new Uint8Array(n);
  if (colour.width === region.width && colour.height === region.height) {
    paintRegion(data, colour, region, style.lut, style.alpha, out, mask, width, height, rect);
  } else {
    regionMask(region, width, height, mask);
    resizeMap(colour, width, height, values, rect);
    blendHeatmap(data, values, style.lut, style.alpha, out, mask, { rect, width });
  }
  if (style.outlineWidth > 0) {
    paintPixels(out, outlinePixels(mask, width, height, style.outlineWidth, rect), style.outlineColor);
  }
  return { width, height, data: out };
}
