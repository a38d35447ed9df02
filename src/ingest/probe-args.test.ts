import { describe, expect, it } from 'vitest';
import { countPacketsArgs, probeArgs } from './probe-args.js';
import { localInput } from './local-input.js';

describe('probe argv', () => {
  it('asks for JSON format + streams of a local file', () => {
    expect(probeArgs('-weird name.mp4')).toEqual([
      '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', 'file:-weird name.mp4']);
  });
  it('counts packets of the first video stream only', () => {
    const a = countPacketsArgs('x.mkv');
    expect(a).toContain('-count_packets');
    expect(a.join(' ')).toContain('-select_streams v:0 -show_entries stream=nb_read_packets');
  });
  it.each([['http:evil', 'file:http:evil'], ['file:/a', 'file:/a'], ['a|b', 'file:a|b']])('localInput(%s)', (p, want) => {
    expect(localInput(p)).toBe(want);
  });
});
