/**
 * Overlay settings and their validation. Checked once, where they enter (CLI flags, library calls), with
 * E_ARG errors that name the option and list what it accepts.
 */
import { MetacamError } from '../errors.js';
import { definedOnly } from '../core/checks.js';
import { COLORMAP_NAMES, isColormapName, type ColormapName } from './colormaps.js';

export const SHOW_MODES = ['metacam', 'raw'] as const;
export const LAYOUTS = ['single', 'grid'] as const;
export type ShowMode = (typeof SHOW_MODES)[number];
export type Layout = (typeof LAYOUTS)[number];
export type Rgb = readonly [number, number, number];

export interface OverlayOptions {
  readonly colormap: ColormapName;
  /** Heatmap opacity, 0…1 (`--alpha`, default 0.5). */
  readonly alpha: number;
  /** `metacam`: heatmap inside the MetaCAM region plus its outline; `raw`: the unthresholded consensus. */
  readonly show: ShowMode;
  /** `single`: the frame with its overlay; `grid`: frame, MetaCAM and one tile per member. */
  readonly layout: Layout;
  /** Tile captions by member id (e.g. from the method registry); the id itself when absent. */
  readonly titles?: Readonly<Record<string, string>>;
  /** Region outline colour; default white (cyan for inferno, whose top end is near white). */
  readonly outlineColor?: Rgb;
  /** Region outline thickness in output pixels (default 2; 0 disables). */
  readonly outlineWidth?: number;
  /** Draw the "<class> <score>" label (default true). */
  readonly label?: boolean;
  /** Integer font scale for labels; default chosen from the frame (tile) height. */
  readonly textScale?: number;
  /** Grid only: the composed image is at most this large (tiles shrink to fit); default 1920×1080. */
  readonly gridMaxWidth?: number;
  readonly gridMaxHeight?: number;
}

/** Valid heatmap opacities (`--alpha`). */
export const ALPHA_RANGE = { min: 0, max: 1 } as const;

export const DEFAULT_OVERLAY_OPTIONS: OverlayOptions = Object.freeze({
  colormap: 'jet',
  alpha: 0.5,
  show: 'metacam',
  layout: 'single',
});

const oneOf = <T extends string>(name: string, value: unknown, valid: readonly T[]): T => {
  if (typeof value === 'string' && (valid as readonly string[]).includes(value)) return value as T;
  throw new MetacamError('E_ARG', `${name} '${String(value)}' is not valid; valid: ${valid.join(', ')}`);
};

const numberIn = (name: string, value: unknown, lo: number, hi: number, integer = false): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi || (integer && !Number.isInteger(value))) {
    throw new MetacamError('E_ARG', `${name} ${String(value)} is not valid; expected ${integer ? 'an integer' : 'a number'} from ${lo} to ${hi}`);
  }
  return value;
};

/** Fills defaults and validates; throws MetacamError('E_ARG') naming the bad option and the valid values. */
export function resolveOverlayOptions(options: Partial<OverlayOptions> = {}): OverlayOptions {
  const o = { ...DEFAULT_OVERLAY_OPTIONS, ...definedOnly(options) };
  if (!isColormapName(o.colormap)) {
    throw new MetacamError('E_ARG', `colormap '${String(o.colormap)}' is not valid; valid: ${COLORMAP_NAMES.join(', ')}`);
  }
  numberIn('alpha', o.alpha, ALPHA_RANGE.min, ALPHA_RANGE.max);
  oneOf('show', o.show, SHOW_MODES);
  oneOf('layout', o.layout, LAYOUTS);
  if (o.titles !== undefined && (typeof o.titles !== 'object' || o.titles === null || Object.values(o.titles).some((t) => typeof t !== 'string'))) {
    throw new MetacamError('E_ARG', 'titles must map member ids to strings, e.g. {"gradcam": "Grad-CAM"}');
  }
  if (o.outlineColor !== undefined) {
    if (!Array.isArray(o.outlineColor) || o.outlineColor.length !== 3) {
      throw new MetacamError('E_ARG', 'outlineColor must be [r, g, b] with integers from 0 to 255');
    }
    o.outlineColor.forEach((c, i) => numberIn(`outlineColor[${i}]`, c, 0, 255, true));
  }
  if (o.outlineWidth !== undefined) numberIn('outlineWidth', o.outlineWidth, 0, 16, true);
  if (o.textScale !== undefined) numberIn('textScale', o.textScale, 1, 16, true);
  if (o.gridMaxWidth !== undefined) numberIn('gridMaxWidth', o.gridMaxWidth, 64, 8192, true);
  if (o.gridMaxHeight !== undefined) numberIn('gridMaxHeight', o.gridMaxHeight, 64, 8192, true);
  if (o.label !== undefined && typeof o.label !== 'boolean') throw new MetacamError('E_ARG', 'label must be true or false');
  return Object.freeze(o);
}

/** The outline colour for these options: explicit, else one that contrasts with the colormap's top end. */
export function outlineColorFor(o: OverlayOptions): Rgb {
  return o.outlineColor ?? (o.colormap === 'inferno' ? [0, 230, 255] : [255, 255, 255]);
}

/** Font scale for text on an image `height` pixels tall: ~1/30 of the height, at least 1. */
export function textScaleFor(height: number, o: OverlayOptions, divisor = 240): number {
  return o.textScale ?? Math.max(1, Math.round(height / divisor));
}
