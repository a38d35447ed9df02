/**
 * Splits a byte stream of concatenated JPEGs (ffmpeg `-f image2pipe -c:v mjpeg`) back into whole images.
 *
 * Why a parser and not a search for FF D9: an FF D9 pair may occur inside a marker segment's payload (a
 * quantisation table holding 255 then 217), so we walk the segments by their lengths up to SOS and only scan
 * the entropy-coded data, where every literal 0xFF is stuffed as FF 00 and FF D0..D7 are restart markers.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

/**
 * Index just past the EOI of the JPEG that starts at `start`, or -1 when the buffer does not yet hold all of it.
 * Throws when the bytes at `start` are not a JPEG (the stream is corrupt and cannot be resynchronised safely).
 */
export function findJpegEnd(buf: Uint8Array, start = 0): number {
  if (buf.length - start < 2) return -1;
  if (buf[start] !== 0xff || buf[start + 1] !== SOI) {
    throw new Error(`not a JPEG at offset ${start}: expected FF D8, got ${hex(buf[start])} ${hex(buf[start + 1])}`);
  }
  let i = start + 2;
  // Marker segments before the scan.
  for (;;) {
    while (i < buf.length && buf[i] === 0xff && buf[i + 1] === 0xff) i++; // fill bytes
    if (i + 1 >= buf.length) return -1;
    if (buf[i] !== 0xff) throw new Error(`JPEG marker expected at offset ${i}, got ${hex(buf[i])}`);
    const marker = buf[i + 1]!;
    if (marker === EOI) return i + 2; // an image with no scan; legal enough to pass through
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { i += 2; continue; } // no length field
    if (i + 3 >= buf.length) return -1;
    const len = (buf[i + 2]! << 8) | buf[i + 3]!;
    if (len < 2) throw new Error(`JPEG segment FF ${hex(marker)} at offset ${i} has invalid length ${len}`);
    i += 2 + len;
    if (marker === SOS) break;
  }
  // Entropy-coded data (possibly several scans for progressive JPEGs) until EOI.
  for (;;) {
    if (i >= buf.length) return -1;
    if (buf[i] !== 0xff) { i++; continue; }
    if (i + 1 >= buf.length) return -1;
    const next = buf[i + 1]!;
    if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) { i += next === 0xff ? 1 : 2; continue; }
    if (next === EOI) return i + 2;
    // Another marker segment between scans (DHT, SOS, …): skip it by its length.
    if (i + 3 >= buf.length) return -1;
    const len = (buf[i + 2]! << 8) | buf[i + 3]!;
    i += 2 + len;
  }
}

function hex(b: number | undefined): string {
  return b === undefined ? '??' : b.toString(16).padStart(2, '0').toUpperCase();
}

/** Incremental splitter: push chunks as they arrive, get back every image completed by them, in order. */
export class JpegStreamSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    let start = 0;
    for (;;) {
      const end = findJpegEnd(this.pending, start);
      if (end < 0) break;
      // Copy so one image does not pin the whole chunk it arrived in.
      out.push(Buffer.from(this.pending.subarray(start, end)));
      start = end;
    }
    this.pending = start === 0 ? this.pending : this.pending.subarray(start);
    if (this.pending.length === 0) this.pending = Buffer.alloc(0);
    return out;
  }

  /** Bytes received that do not yet form a whole image. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}
