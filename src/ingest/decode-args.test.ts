import { describe, expect, it } from 'vitest';
import { decodeArgs, decodeFilterGraph, fileInputArgs } from './decode-args.js';

describe('decodeArgs', () => {
  const argv = decodeArgs({ inputArgs: fileInputArgs('/v/in.mp4'), width: 224, height: 224 });

  it('reads the file through the file: protocol and writes two rgb24 raw outputs: stdout and fd 3', () => {
    expect(argv.slice(argv.indexOf('-i'), argv.indexOf('-i') + 2)).toEqual(['-i', 'file:/v/in.mp4']);
    const outs = argv.filter((a) => a.startsWith('pipe:'));
    expect(outs).toEqual(['pipe:1', 'pipe:3']);
    expect(argv.filter((a) => a === 'rgb24')).toHaveLength(2);
    expect(argv.join(' ')).toContain('-map [full] -an -sn -f rawvideo -pix_fmt rgb24 pipe:1');
    expect(argv.join(' ')).toContain('-map [model] -an -sn -f rawvideo -pix_fmt rgb24 pipe:3');
  });

  it('splits once and scales only the model branch; no autorotate override (display orientation kept)', () => {
    expect(argv[argv.indexOf('-filter_complex') + 1]).toBe('[0:v:0]split=2[full][m0];[m0]scale=224:224:flags=bilinear[model]');
    expect(argv).not.toContain('-noautorotate');
  });

  it('keeps every decoded frame: vsync passthrough for 4.x, fps_mode per output for ≥ 5', () => {
    expect(argv.join(' ')).toContain('-vsync passthrough');
    const v5 = decodeArgs({ inputArgs: ['-i', 'x'], width: 8, height: 8, syncFlag: 'fps_mode' });
    expect(v5).not.toContain('-vsync');
    expect(v5.filter((a) => a === '-fps_mode')).toHaveLength(2);
  });

  it('places input arguments (e.g. -re) before the filter graph', () => {
    const live = decodeArgs({ inputArgs: ['-re', '-f', 'lavfi', '-i', 'testsrc2'], width: 8, height: 8 });
    expect(live.indexOf('-re')).toBeLessThan(live.indexOf('-filter_complex'));
  });

  it.each([
    [{ width: 8, height: 4, fps: 5 }, '[0:v:0]fps=5,split=2[full][m0];[m0]scale=8:4:flags=bilinear[model]'],
    [{ width: 8, height: 4, fullWidth: 320, fullHeight: 180 },
      '[0:v:0]split=2[f0][m0];[m0]scale=8:4:flags=bilinear[model];[f0]scale=320:180:flags=bilinear[full]'],
    [{ width: 8, height: 4, scaleFlags: 'area' }, '[0:v:0]split=2[full][m0];[m0]scale=8:4:flags=area[model]'],
  ])('filter graph for %o', (o, graph) => {
    expect(decodeFilterGraph(o)).toBe(graph);
  });

  it.each([[0, 8], [8, -1], [2.5, 8]])('rejects model size %d x %d', (w, h) => {
    expect(() => decodeFilterGraph({ width: w, height: h })).toThrow(RangeError);
  });
});

describe('decodeFilterGraph startFrame (segment workers)', () => {
  it.each([
    [undefined, '[0:v:0]split=2[full][m0];[m0]scale=8:8:flags=bilinear[model]'],
    [0, '[0:v:0]split=2[full][m0];[m0]scale=8:8:flags=bilinear[model]'],
    [40, '[0:v:0]trim=start_frame=40,split=2[full][m0];[m0]scale=8:8:flags=bilinear[model]'],
    [-1, RangeError],
    [1.5, RangeError],
  ])('startFrame %s', (startFrame, expected) => {
    const make = () => decodeFilterGraph({ width: 8, height: 8, ...(startFrame !== undefined ? { startFrame } : {}) });
    if (typeof expected === 'string') expect(make()).toBe(expected);
    else expect(make).toThrow(expected);
  });
});
