import { describe, expect, it } from 'vitest';
import { pngSize } from './png-size.js';

const header = (w: number, h: number) => {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
};

describe('pngSize', () => {
  it('reads IHDR width and height', () => expect(pngSize(header(641, 359))).toEqual({ width: 641, height: 359 }));
  it.each([[new Uint8Array(10)], [header(0, 5)], [new Uint8Array(40).fill(1)]])('returns undefined for %#', (b) => {
    expect(pngSize(b)).toBeUndefined();
  });
});
