/**
 * Width and height from a PNG's IHDR chunk. Live sources are sized by asking ffmpeg for one PNG frame (it
 * applies the same autorotation as the decoder, and avoids ffprobe, whose static build crashes on some network
 * inputs such as MPEG-TS over HTTP).
 */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function pngSize(buf: Uint8Array): { width: number; height: number } | undefined {
  if (buf.length < 24 || SIGNATURE.some((b, i) => buf[i] !== b)) return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (String.fromCharCode(buf[12]!, buf[13]!, buf[14]!, buf[15]!) !== 'IHDR') return undefined;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : undefined;
}
