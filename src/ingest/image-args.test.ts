import { describe, expect, it } from 'vitest';
import { imageDecodeArgs, imageEncodeArgs, imageFormatFor } from './image-args.js';

describe('image argv', () => {
  it('decodes one frame to rgb24 on stdout', () => {
    expect(imageDecodeArgs('a.jpg').join(' ')).toContain('-i file:a.jpg -frames:v 1 -f rawvideo -pix_fmt rgb24 pipe:1');
  });
  it('encodes rgb24 from stdin to png', () => {
    const a = imageEncodeArgs({ output: 'o.png', width: 3, height: 2 });
    expect(a.join(' ')).toContain('-f rawvideo -pix_fmt rgb24 -s 3x2 -i pipe:0 -frames:v 1 -c:v png');
    expect(a.at(-1)).toBe('file:o.png');
  });
  it('encodes jpg with mjpeg, full-range 4:4:4 and a quality', () => {
    const a = imageEncodeArgs({ output: 'o.jpeg', width: 3, height: 2, jpegQuality: 2 });
    expect(a.join(' ')).toContain('-c:v mjpeg -pix_fmt yuvj444p -q:v 2');
  });
  it.each([['x.PNG', 'png'], ['x.jpg', 'jpg'], ['x.JPEG', 'jpg']])('%s is %s', (p, f) => expect(imageFormatFor(p)).toBe(f));
  it.each(['x.gif', 'x', 'x.mp4'])('%s is refused', (p) => expect(() => imageFormatFor(p)).toThrow(/\.png, \.jpg/));
});
