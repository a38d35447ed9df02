import { describe, expect, it } from 'vitest';
import { MetacamError } from '../errors.js';
import { COLORMAP_NAMES, colormapLut, isColormapName, lutIndex, type ColormapName } from './colormaps.js';

const rgb = (lut: Uint8Array, i: number): number[] => [lut[i * 3]!, lut[i * 3 + 1]!, lut[i * 3 + 2]!];

// Anchors from the full published tables (Turbo LUT, matplotlib `_inferno_data`, rounded to bytes), mostly at
// indices that are NOT knots of our compact form, plus jet worked out by hand from `_jet_data`.
const ANCHORS: [ColormapName, number, [number, number, number], number][] = [
  ['jet', 0, [0, 0, 128], 1],
  ['jet', 32, [0, 0, 255], 1],
  ['jet', 96, [22, 255, 225], 1],
  ['jet', 128, [125, 255, 122], 1],
  ['jet', 255, [128, 0, 0], 1],
  ['turbo', 0, [48, 18, 59], 1],
  ['turbo', 32, [70, 107, 227], 6],
  ['turbo', 64, [40, 188, 235], 6],
  ['turbo', 100, [63, 246, 138], 6],
  ['turbo', 128, [164, 252, 60], 6],
  ['turbo', 160, [238, 207, 58], 6],
  ['turbo', 192, [251, 126, 33], 6],
  ['turbo', 224, [208, 47, 5], 6],
  ['turbo', 255, [122, 4, 3], 1],
  ['inferno', 0, [0, 0, 4], 1],
  ['inferno', 32, [33, 12, 74], 5],
  ['inferno', 64, [87, 16, 110], 5],
  ['inferno', 100, [144, 37, 104], 5],
  ['inferno', 128, [188, 55, 84], 5],
  ['inferno', 160, [228, 90, 49], 5],
  ['inferno', 192, [249, 142, 9], 5],
  ['inferno', 224, [249, 203, 53], 5],
  ['inferno', 255, [252, 255, 164], 1],
];

describe('colormapLut', () => {
  it.each(COLORMAP_NAMES)('%s is 256×3 bytes and cached', (name) => {
    const lut = colormapLut(name);
    expect(lut).toBeInstanceOf(Uint8Array);
    expect(lut.length).toBe(768);
    expect(colormapLut(name)).toBe(lut);
  });

  it.each(ANCHORS)('%s[%i] ≈ %j (±%i)', (name, i, expected, tol) => {
    const got = rgb(colormapLut(name), i);
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - expected[c]!)).toBeLessThanOrEqual(tol);
  });

  it('inferno relative luminance rises monotonically (it is perceptually ordered)', () => {
    // Y of linearised sRGB (gamma-space luma is not monotone even for the published table once rounded).
    const linear = (byte: number): number => {
      const v = byte / 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const lut = colormapLut('inferno');
    let prev = -1;
    for (let i = 0; i < 256; i++) {
      const [r, g, b] = rgb(lut, i);
      const y = 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
      expect(y, `index ${i}`).toBeGreaterThanOrEqual(prev);
      prev = y;
    }
    expect(prev).toBeGreaterThan(0.9);
  });

  it('turbo and jet are dark-blue-ish at 0 and red-ish at 1', () => {
    for (const name of ['turbo', 'jet'] as const) {
      const [r0, , b0] = rgb(colormapLut(name), 0);
      const [r1, , b1] = rgb(colormapLut(name), 255);
      expect(b0).toBeGreaterThan(r0!);
      expect(r1).toBeGreaterThan(b1!);
    }
  });

  it('rejects unknown names with E_ARG listing valid values', () => {
    try {
      colormapLut('viridis' as ColormapName);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MetacamError);
      expect((e as MetacamError).code).toBe('E_ARG');
      expect((e as Error).message).toContain('jet, turbo, inferno');
    }
  });

  it('isColormapName / lutIndex', () => {
    expect(isColormapName('turbo')).toBe(true);
    expect(isColormapName('hot')).toBe(false);
    expect(isColormapName(3)).toBe(false);
    expect([lutIndex(-1), lutIndex(Number.NaN), lutIndex(0), lutIndex(0.5), lutIndex(1), lutIndex(7)]).toEqual([0, 0, 0, 128, 255, 255]);
  });
});
