import { describe, expect, it } from 'vitest';
import { checkNiceness, niceCommand } from './nice-command.js';

describe('niceCommand', () => {
  const argv = ['-i', 'in.mp4', 'out.mp4'];
  it('prefixes `nice -n N` on POSIX when a nice binary exists', () => {
    expect(niceCommand('/opt/ffmpeg', argv, { niceness: 10, platform: 'linux', niceBinary: '/usr/bin/nice' })).toEqual({
      command: '/usr/bin/nice', args: ['-n', '10', '/opt/ffmpeg', '-i', 'in.mp4', 'out.mp4'], viaNice: true,
    });
  });
  it.each([
    ['no niceness', { niceness: undefined, platform: 'linux', niceBinary: '/usr/bin/nice' }],
    ['niceness 0', { niceness: 0, platform: 'darwin', niceBinary: '/usr/bin/nice' }],
    ['Windows', { niceness: 10, platform: 'win32', niceBinary: 'C:/nice.exe' }],
    ['no nice binary', { niceness: 10, platform: 'linux', niceBinary: undefined }],
  ] as const)('runs the binary itself with %s', (_, o) => {
    expect(niceCommand('/opt/ffmpeg', argv, o)).toEqual({ command: '/opt/ffmpeg', args: argv, viaNice: false });
  });
  it('accepts niceness 0–19 only', () => {
    expect(checkNiceness(19)).toBe(19);
    for (const bad of [-1, 20, 2.5, Number.NaN]) expect(() => checkNiceness(bad)).toThrow(RangeError);
    expect(() => niceCommand('ffmpeg', [], { niceness: -5, platform: 'linux', niceBinary: '/usr/bin/nice' })).toThrow(RangeError);
  });
});
