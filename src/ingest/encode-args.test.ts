import { describe, expect, it } from 'vitest';
import { encodeArgs, fpsArg, fpsValue } from './encode-args.js';

const at = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];

describe('encodeArgs', () => {
  const argv = encodeArgs({ output: '/o/out.partial.mp4', width: 640, height: 360, fps: 25 });

  it('reads rawvideo rgb24 of the given size and rate from stdin', () => {
    expect(argv.join(' ')).toContain('-f rawvideo -pix_fmt rgb24 -s 640x360 -r 25 -i pipe:0');
  });

  it('writes H.264 yuv420p into a fragmented MP4 so a partial file plays', () => {
    expect(at(argv, '-c:v')).toBe('libx264');
    expect(argv.slice(argv.lastIndexOf('-pix_fmt'), argv.lastIndexOf('-pix_fmt') + 2)).toEqual(['-pix_fmt', 'yuv420p']);
    expect(at(argv, '-movflags')).toBe('+frag_keyframe+empty_moov+default_base_moof');
    expect(argv.slice(-3)).toEqual(['-f', 'mp4', 'file:/o/out.partial.mp4']);
    expect(at(argv, '-g')).toBe('50');
  });

  it('never uses -shortest (frame count must be exact)', () => {
    expect(argv).not.toContain('-shortest');
    expect(encodeArgs({ output: 'o.mp4', width: 8, height: 8, fps: 5, audioFrom: 'a.mp4' })).not.toContain('-shortest');
  });

  it('maps optional audio from a second input and re-encodes it to AAC', () => {
    const a = encodeArgs({ output: 'o.mp4', width: 8, height: 8, fps: 5, audioFrom: 'in.mp4' });
    expect(a.join(' ')).toContain('-i file:in.mp4 -map 0:v:0 -map 1:a:0? -c:a aac');
    expect(argv.join(' ')).not.toContain('1:a');
  });

  it.each([
    [641, 359, 'pad=642:360:0:0:black'],
    [640, 359, 'pad=640:360:0:0:black'],
    [641, 360, 'pad=642:360:0:0:black'],
  ])('pads odd size %dx%d with %s', (w, h, pad) => {
    expect(at(encodeArgs({ output: 'o.mp4', width: w, height: h, fps: 25 }), '-vf')).toBe(pad);
  });

  it('does not pad even sizes', () => expect(argv).not.toContain('-vf'));

  it('passes crf and preset', () => {
    const a = encodeArgs({ output: 'o.mp4', width: 8, height: 8, fps: 5, crf: 30, preset: 'ultrafast' });
    expect(at(a, '-crf')).toBe('30');
    expect(at(a, '-preset')).toBe('ultrafast');
  });
});

describe('fps', () => {
  it.each([[25, '25', 25], ['30000/1001', '30000/1001', 30000 / 1001], [29.97, '29.97', 29.97], ['24', '24', 24]])(
    '%s → %s', (input, arg, value) => {
      expect(fpsArg(input)).toBe(arg);
      expect(fpsValue(input)).toBeCloseTo(value, 9);
    });
  it.each([0, -1, Number.NaN, 'abc', '1/0x'])('rejects %s', (bad) => expect(() => fpsArg(bad)).toThrow(RangeError));
});
