import { describe, expect, it } from 'vitest';
import { describeLiveSource, isNetworkSource, liveInputArgs, parseLiveSource } from './live-source.js';

describe('parseLiveSource', () => {
  it.each([
    ['testsrc', { kind: 'testsrc', width: 640, height: 360, fps: 25 }],
    ['testsrc:320x240', { kind: 'testsrc', width: 320, height: 240, fps: 25 }],
    ['testsrc:320x240@10', { kind: 'testsrc', width: 320, height: 240, fps: 10 }],
    ['testsrc@5', { kind: 'testsrc', width: 640, height: 360, fps: 5 }],
    ['/dev/video0', { kind: 'device', format: 'v4l2', device: '/dev/video0' }],
    ['avfoundation:FaceTime HD Camera', { kind: 'device', format: 'avfoundation', device: 'FaceTime HD Camera' }],
    ['dshow:Integrated Webcam', { kind: 'device', format: 'dshow', device: 'Integrated Webcam' }],
    ['rtsp://cam.local/stream', { kind: 'rtsp', url: 'rtsp://cam.local/stream' }],
    ['https://x.test/live.m3u8', { kind: 'http', url: 'https://x.test/live.m3u8' }],
    ['clips/in.mp4', { kind: 'file', path: 'clips/in.mp4' }],
  ])('%s', (spec, want) => expect(parseLiveSource(spec, 'linux')).toEqual(want));

  it.each([
    ['testsrc:4x4', /at least 16x16/],
    ['ftp://x/y', /not understood/],
    ['', /not understood/],
  ])('%s → E_ARG', (spec, msg) => {
    expect(() => parseLiveSource(spec, 'linux')).toThrow(msg);
    try { parseLiveSource(spec, 'linux'); } catch (e) { expect((e as { code: string }).code).toBe('E_ARG'); }
  });

  it('refuses /dev/videoN off Linux and says what to use', () => {
    expect(() => parseLiveSource('/dev/video0', 'darwin')).toThrow(/avfoundation/);
  });
});

describe('liveInputArgs', () => {
  it.each([
    ['testsrc:320x240@10', ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10']],
    ['/dev/video2', ['-f', 'v4l2', '-i', '/dev/video2']],
    ['dshow:Cam', ['-f', 'dshow', '-i', 'video=Cam']],
    ['rtsp://h/s', ['-rtsp_transport', 'tcp', '-i', 'rtsp://h/s']],
    ['http://h/s.mjpg', ['-i', 'http://h/s.mjpg']],
    ['in.mp4', ['-re', '-i', 'file:in.mp4']],
  ])('%s', (spec, argv) => expect(liveInputArgs(parseLiveSource(spec, 'linux'))).toEqual(argv));

  it('only rtsp and http are network sources (retried)', () => {
    expect(['testsrc', '/dev/video0', 'rtsp://a', 'http://a', 'x.mp4'].map((s) => isNetworkSource(parseLiveSource(s, 'linux'))))
      .toEqual([false, false, true, true, false]);
    expect(describeLiveSource(parseLiveSource('testsrc'))).toBe('testsrc 640x360@25');
  });
});
