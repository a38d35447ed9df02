import { describe, expect, it } from 'vitest';
import { evenSize } from './even-size.js';

describe('evenSize', () => {
  it.each([
    [640, 360, 640, 360, false],
    [641, 359, 642, 360, true],
    [1, 1, 2, 2, true],
  ])('%dx%d → %dx%d', (w, h, ew, eh, padded) => {
    const e = evenSize(w, h);
    expect([e.width, e.height, e.padded]).toEqual([ew, eh, padded]);
    expect(e.note === undefined).toBe(!padded);
  });
});

