/**
 * Colormap lookup tables (256 entries × RGB, Uint8Array of 768 bytes) for painting a [0,1] map.
 *
 * Why computed rather than pasted: a 256-row table nobody can check by eye is a liability. Each map is built
 * from its published definition in a form a reader can verify line by line:
 *  - `jet`: matplotlib's `_jet_data`, a piecewise-linear segment table (exact).
 *  - `turbo`: Google's published 256-entry Turbo LUT (Mikhailov 2019), sampled here at every 15th entry
 *    (18 knots, indices in the comments) and linearly interpolated: within 6/255 of the full table
 *    everywhere, median error 1/255. (The shorter 7-term GLSL polynomial of the same gist is off by up to
 *    32/255 at the ends, so it was not used.)
 *  - `inferno`: matplotlib's `_inferno_data`, sampled the same way: within 5/255 of the full table.
 * The tests check off-knot anchors against the full published tables, so the approximation is verified.
 */
import { MetacamError } from '../errors.js';

export const COLORMAP_NAMES = ['jet', 'turbo', 'inferno'] as const;
export type ColormapName = (typeof COLORMAP_NAMES)[number];

/** Segment data: per channel, [x, y] breakpoints with x ascending from 0 to 1 (matplotlib's format). */
type Segments = readonly (readonly [number, number])[];

// matplotlib/_cm.py `_jet_data`.
const JET: readonly [Segments, Segments, Segments] = [
  [[0, 0], [0.35, 0], [0.66, 1], [0.89, 1], [1, 0.5]],
  [[0, 0], [0.125, 0], [0.375, 1], [0.64, 1], [0.91, 0], [1, 0]],
  [[0, 0.5], [0.11, 1], [0.34, 1], [0.65, 0], [1, 0]],
];

// Every 15th entry (0, 15, …, 255) of the published Turbo LUT.
const TURBO_KNOTS: readonly (readonly [number, number, number])[] = [
  [0.18995, 0.07176, 0.23217], // 0
  [0.2483, 0.24143, 0.61286], // 15
  [0.27509, 0.40072, 0.86692], // 30
  [0.26878, 0.54995, 0.99303], // 45
  [0.18625, 0.69775, 0.95498], // 60
  [0.10026, 0.82955, 0.81389], // 75
  [0.13526, 0.92197, 0.66556], // 90
  [0.32006, 0.97974, 0.47654], // 105
  [0.54658, 0.99907, 0.29581], // 120
  [0.71577, 0.96875, 0.20815], // 135
  [0.85868, 0.88655, 0.2123], // 150
  [0.96049, 0.77181, 0.22811], // 165
  [0.99654, 0.63193, 0.18738], // 180
  [0.97545, 0.4574, 0.11305], // 195
  [0.91024, 0.29599, 0.04814], // 210
  [0.80799, 0.17753, 0.0166], // 225
  [0.66449, 0.08436, 0.00424], // 240
  [0.4796, 0.01583, 0.01055], // 255
];

// Every 15th entry (0, 15, …, 255) of matplotlib's `_inferno_data`.
const INFERNO_KNOTS: readonly (readonly [number, number, number])[] = [
  [0.001462, 0.000466, 0.013866], // 0
  [0.037668, 0.025921, 0.132232], // 15
  [0.116656, 0.047574, 0.272321], // 30
  [0.217949, 0.036615, 0.383522], // 45
  [0.316282, 0.05349, 0.425116], // 60
  [0.410113, 0.087896, 0.433098], // 75
  [0.503493, 0.121575, 0.423356], // 90
  [0.59694, 0.154848, 0.398125], // 105
  [0.688653, 0.192239, 0.357603], // 120
  [0.775059, 0.239667, 0.303526], // 135
  [0.851384, 0.30226, 0.239636], // 150
  [0.912966, 0.381636, 0.169755], // 165
  [0.956852, 0.475356, 0.094695], // 180
  [0.981895, 0.579392, 0.02625], // 195
  [0.987464, 0.690366, 0.07999], // 210
  [0.973088, 0.805409, 0.216877], // 225
  [0.947594, 0.917399, 0.410665], // 240
  [0.988362, 0.998364, 0.644924], // 255
];

const toByte = (v: number): number => Math.max(0, Math.min(255, Math.round(v * 255)));

function interpolateSegments(segments: Segments, x: number): number {
  for (let s = 1; s < segments.length; s++) {
    const [x1, y1] = segments[s]!;
    if (x <= x1) {
      const [x0, y0] = segments[s - 1]!;
      return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return segments[segments.length - 1]![1];
}

function fromSegments(channels: readonly [Segments, Segments, Segments]): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = toByte(interpolateSegments(channels[c]!, i / 255));
  }
  return lut;
}

function fromKnots(knots: readonly (readonly [number, number, number])[]): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  const step = 255 / (knots.length - 1);
  for (let i = 0; i < 256; i++) {
    const u = i / step;
    const k = Math.min(Math.floor(u), knots.length - 2);
    const f = u - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = toByte(knots[k]![c]! * (1 - f) + knots[k + 1]![c]! * f);
  }
  return lut;
}

const cache = new Map<ColormapName, Uint8Array>();

/** The 256×3 LUT for `name` (built once, then shared: treat it as read-only). */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = cache.get(name);
  if (!lut) {
    if (name === 'jet') lut = fromSegments(JET);
    else if (name === 'turbo') lut = fromKnots(TURBO_KNOTS);
    else if (name === 'inferno') lut = fromKnots(INFERNO_KNOTS);
    else {
      throw new MetacamError('E_ARG', `unknown colormap '${String(name)}'; valid: ${COLORMAP_NAMES.join(', ')}`);
    }
    cache.set(name, lut);
  }
  return lut;
}

export function isColormapName(name: unknown): name is ColormapName {
  return typeof name === 'string' && (COLORMAP_NAMES as readonly string[]).includes(name);
}

/** LUT index for a map value: clamps to [0,1] (NaN → 0) and rounds to the nearest of 256 entries. */
export function lutIndex(v: number): number {
  return v > 0 ? (v >= 1 ? 255 : (v * 255 + 0.5) | 0) : 0;
}
