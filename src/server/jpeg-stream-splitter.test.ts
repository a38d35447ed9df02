import { describe, expect, it } from 'vitest';
import { JpegStreamSplitter, findJpegEnd } from './jpeg-stream-splitter.js';

/** A structurally valid toy JPEG: SOI, a DQT whose payload holds FF D9, SOS, entropy data with stuffing and RST, EOI. */
function toyJpeg(fill: number): Buffer {
  const dqtPayload = [0x00, 0xff, 0xd9, 0x10, fill]; // FF D9 inside a segment must not end the image
  const dqt = [0xff, 0xdb, 0x00, dqtPayload.length + 2, ...dqtPayload];
  const sos = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
  const entropy = [fill, 0xff, 0x00, 0x12, 0xff, 0xd0, 0x34, 0xff, 0x00];
  return Buffer.from([0xff, 0xd8, ...dqt, ...sos, ...entropy, 0xff, 0xd9]);
}

describe('findJpegEnd', () => {
  it('walks segments by length, so FF D9 inside a table does not end the image', () => {
    const j = toyJpeg(7);
    expect(findJpegEnd(j)).toBe(j.length);
  });
  it('returns -1 for every strict prefix', () => {
    const j = toyJpeg(7);
    for (let n = 0; n < j.length; n++) expect(findJpegEnd(j.subarray(0, n))).toBe(-1);
  });
  it('throws on bytes that are not a JPEG', () => {
    expect(() => findJpegEnd(Buffer.from([0x00, 0x01, 0x02]))).toThrow(/not a JPEG/);
  });
});

describe('JpegStreamSplitter', () => {
  it.each([1, 3, 7, 1000])('splits concatenated images delivered in %i-byte chunks', (size) => {
    const images = [toyJpeg(1), toyJpeg(2), toyJpeg(3)];
    const stream = Buffer.concat(images);
    const s = new JpegStreamSplitter();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) out.push(...s.push(stream.subarray(i, i + size)));
    expect(out).toEqual(images);
    expect(s.bufferedBytes).toBe(0);
  });
});
