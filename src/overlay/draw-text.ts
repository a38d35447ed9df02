/**
 * Draws a line of text with the built-in bitmap font onto an RGB24 buffer, in place, over a dark translucent
 * box so it stays readable on any heatmap. Integer scaling keeps glyph edges crisp (no anti-aliasing needed).
 * Everything is clipped to the image; the drawn box is returned so callers can stack captions.
 */
import type { RgbImage } from '../core/frame.js';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRow } from './bitmap-font.js';

export interface TextStyle {
  /** Integer pixel scale of the 5×8 font (1 = 8 px tall). */
  readonly scale: number;
  readonly color?: readonly [number, number, number];
  readonly background?: readonly [number, number, number];
  /** Opacity of the background box, 0…1 (0 = no box). */
  readonly backgroundAlpha?: number;
  /** Padding around the text inside the box, in font pixels (multiplied by scale). */
  readonly padding?: number;
  /** Truncate the text (ending in '..') so the box is at most this wide, in image pixels. */
  readonly maxWidth?: number;
}

export interface TextBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The text actually drawn (after truncation). */
  readonly text: string;
}

const boxWidth = (chars: number, scale: number, pad: number): number =>
  chars === 0 ? 2 * pad * scale : (chars * GLYPH_ADVANCE - 1) * scale + 2 * pad * scale;

/** Size of the box `drawText` would draw for `text` (before any truncation). */
export function measureText(text: string, style: TextStyle): { width: number; height: number } {
  const pad = style.padding ?? 1;
  return { width: boxWidth(text.length, style.scale, pad), height: (GLYPH_HEIGHT + 2 * pad) * style.scale };
}

/** Longest prefix of `text` (with '..' when cut) whose box fits in `maxWidth`. */
export function fitText(text: string, style: TextStyle, maxWidth: number): string {
  const pad = style.padding ?? 1;
  if (boxWidth(text.length, style.scale, pad) <= maxWidth) return text;
  for (let n = text.length - 1; n > 0; n--) {
    const t = `${text.slice(0, n)}..`;
    if (boxWidth(t.length, style.scale, pad) <= maxWidth) return t;
  }
  return '';
}

/** Draws `text` with the box's top-left corner at (x, y); writes into `image.data`. */
export function drawText(image: RgbImage, text: string, x: number, y: number, style: TextStyle): TextBox {
  const scale = Math.max(1, Math.floor(style.scale));
  const s: TextStyle = { ...style, scale };
  const shown = style.maxWidth !== undefined ? fitText(text, s, style.maxWidth) : text;
  const pad = (style.padding ?? 1) * scale;
  const { width, height } = measureText(shown, s);
  const [fr, fg, fb] = style.color ?? [255, 255, 255];
  const [br, bg, bb] = style.background ?? [0, 0, 0];
  const a = Math.max(0, Math.min(256, Math.round((style.backgroundAlpha ?? 0.6) * 256)));
  const { width: W, height: H, data } = image;
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(W, x + width);
  const y1 = Math.min(H, y + height);
  if (a > 0) {
    for (let py = y0; py < y1; py++) {
      for (let px = x0, p = (py * W + x0) * 3; px < x1; px++, p += 3) {
        data[p] = (data[p]! * (256 - a) + br * a + 128) >> 8;
        data[p + 1] = (data[p + 1]! * (256 - a) + bg * a + 128) >> 8;
        data[p + 2] = (data[p + 2]! * (256 - a) + bb * a + 128) >> 8;
      }
    }
  }
  for (let c = 0; c < shown.length; c++) {
    const gx = x + pad + c * GLYPH_ADVANCE * scale;
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      const bits = glyphRow(shown[c]!, row);
      if (!bits) continue;
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (!(bits & (1 << (GLYPH_WIDTH - 1 - col)))) continue;
        const px0 = Math.max(x0, gx + col * scale);
        const px1 = Math.min(x1, gx + (col + 1) * scale);
        const py0 = Math.max(y0, y + pad + row * scale);
        const py1 = Math.min(y1, y + pad + (row + 1) * scale);
        for (let py = py0; py < py1; py++) {
          for (let px = px0, p = (py * W + px0) * 3; px < px1; px++, p += 3) {
            data[p] = fr;
            data[p + 1] = fg;
            data[p + 2] = fb;
          }
        }
      }
    }
  }
  return { x, y, width, height, text: shown };
}
