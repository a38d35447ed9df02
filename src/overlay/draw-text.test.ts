import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../core/frame.js';
import { glyphRow } from './bitmap-font.js';
import { drawText, fitText, measureText } from './draw-text.js';

const blank = (w: number, h: number, v = 100): RgbImage => ({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(v) });

describe('bitmap font', () => {
  it('has every printable ASCII glyph with ink (except space) and maps others to "?"', () => {
    for (let c = 0x21; c <= 0x7e; c++) {
      const ink = Array.from({ length: 8 }, (_, r) => glyphRow(String.fromCharCode(c), r)).some((b) => b !== 0);
      expect(ink, String.fromCharCode(c)).toBe(true);
    }
    for (let r = 0; r < 8; r++) expect(glyphRow('é', r)).toBe(glyphRow('?', r));
    expect(glyphRow('A', 0)).toBe(0b01110);
    expect(glyphRow('A', 3)).toBe(0b11111);
  });
});

describe('drawText', () => {
  it('draws only inside the expected box: ink in white, the rest darkened', () => {
    const img = blank(100, 40);
    const box = drawText(img, 'Hi 0.87', 10, 5, { scale: 2, padding: 1, backgroundAlpha: 0.5 });
    // 7 chars: (7·6 − 1)·2 + 2·2 = 86 wide, (8 + 2)·2 = 20 tall.
    expect(box).toEqual({ x: 10, y: 5, width: 86, height: 20, text: 'Hi 0.87' });
    expect(measureText('Hi 0.87', { scale: 2 })).toEqual({ width: 86, height: 20 });
    let white = 0;
    let dark = 0;
    for (let y = 0; y < 40; y++) {
      for (let x = 0; x < 100; x++) {
        const v = img.data[(y * 100 + x) * 3]!;
        const inside = x >= 10 && x < 96 && y >= 5 && y < 25;
        if (!inside) expect(v, `(${x},${y})`).toBe(100);
        else if (v === 255) white++;
        else {
          expect(v).toBe(50); // 100 · (1 − 0.5)
          dark++;
        }
      }
    }
    expect(white).toBeGreaterThan(100);
    expect(dark).toBeGreaterThan(white);
    // The 'H' starts at the padding: its left stem covers (12..13, 7..8).
    expect(img.data[(7 * 100 + 12) * 3]).toBe(255);
    expect(img.data[(7 * 100 + 13) * 3]).toBe(255);
    // and the glyph's second column (blank in row 0 of 'H') is background.
    expect(img.data[(7 * 100 + 14) * 3]).toBe(50);
  });

  it('clips at the image edges without throwing', () => {
    const img = blank(20, 10);
    expect(() => drawText(img, 'overflowing text', 15, 6, { scale: 3 })).not.toThrow();
    expect(() => drawText(img, 'x', -50, -50, { scale: 1 })).not.toThrow();
    expect(img.data.length).toBe(600);
  });

  it('truncates to maxWidth with ".."', () => {
    expect(fitText('EigenGrad-CAM', { scale: 1 }, 40)).toBe('Eige..');
    const img = blank(60, 20);
    const box = drawText(img, 'EigenGrad-CAM', 0, 0, { scale: 1, maxWidth: 40 });
    expect(box.width).toBeLessThanOrEqual(40);
    expect(box.text).toBe('Eige..');
  });
});
