import { describe, expect, it } from 'vitest';
import { frameRateOf, needsPacketCount, parseProbe, parseRational, rotationOf, type ProbeJson, type VideoInfo } from './parse-probe.js';

const video = (extra: Record<string, unknown> = {}) => ({
  codec_type: 'video', codec_name: 'h264', width: 640, height: 360, pix_fmt: 'yuv420p',
  r_frame_rate: '25/1', avg_frame_rate: '25/1', nb_frames: '100', duration: '4.000000', ...extra,
});
const mp4 = (streams: unknown[], format: Record<string, unknown> = {}): ProbeJson =>
  ({ streams, format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '4.0', ...format } } as ProbeJson);

describe('parseProbe', () => {
  it('reads size, rate, count, duration, codec, audio', () => {
    const info = parseProbe(mp4([video(), { codec_type: 'audio', codec_name: 'aac' }])) as VideoInfo;
    expect(info).toMatchObject({
      width: 640, height: 360, codedWidth: 640, codedHeight: 360, fps: 25, fpsFraction: '25/1', frameCount: 100,
      durationSeconds: 4, rotation: 0, hasAudio: true, codec: 'h264', pixFmt: 'yuv420p',
    });
  });

  it.each([
    [{ tags: { rotate: '90' } }, 90, 360, 640],
    [{ tags: { rotate: '270' } }, 270, 360, 640],
    [{ tags: { rotate: '180' } }, 180, 640, 360],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }, 90, 360, 640],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }, 270, 360, 640],
    [{ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -180 }] }, 180, 640, 360],
  ])('rotation %o → %d°, display %dx%d', (extra, rot, w, h) => {
    const info = parseProbe(mp4([video(extra)])) as VideoInfo;
    expect([info.rotation, info.width, info.height, info.codedWidth]).toEqual([rot, w, h, 640]);
  });

  it('uses counted packets when nb_frames is absent (mkv/webm)', () => {
    const json = mp4([video({ nb_frames: undefined })], { format_name: 'matroska,webm' });
    expect(needsPacketCount(json)).toBe(true);
    expect((parseProbe(json, 97) as VideoInfo).frameCount).toBe(97);
    expect((parseProbe(json) as VideoInfo).frameCount).toBe(100); // estimate from duration × fps
    expect(needsPacketCount(mp4([video()]))).toBe(false);
  });

  it.each([
    [mp4([{ codec_type: 'audio', codec_name: 'aac' }]), /audio stream but no video/],
    [mp4([]), /no video stream/],
    [{ streams: [video({ codec_name: 'png', nb_frames: undefined })], format: { format_name: 'png_pipe' } } as ProbeJson, /still image/],
    [{ streams: [video({ codec_name: 'mjpeg' })], format: { format_name: 'image2' } } as ProbeJson, /still image/],
    [mp4([video({ width: 0 })]), /no frame size/],
    [mp4([video({ r_frame_rate: '0/0', avg_frame_rate: '0/0' })]), /no frame rate/],
  ])('refuses %# with a reason', (json, why) => {
    expect(parseProbe(json)).toMatch(why);
  });

  it('skips cover art and takes the real video stream', () => {
    const info = parseProbe(mp4([video({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } }), video({ codec_name: 'vp9' })])) as VideoInfo;
    expect(info.codec).toBe('vp9');
  });
});

describe('helpers', () => {
  it.each([['30000/1001', 30000 / 1001], ['25', 25], ['0/0', 0], [undefined, 0], ['x', 0]])('parseRational(%s)', (s, v) => {
    expect(parseRational(s)).toBeCloseTo(v, 9);
  });
  it('frame rate: nominal r_frame_rate when it agrees with avg, else avg (VFR)', () => {
    expect(frameRateOf({ r_frame_rate: '30000/1001', avg_frame_rate: '2997/100' })).toEqual({ fps: 30000 / 1001, fraction: '30000/1001' });
    expect(frameRateOf({ r_frame_rate: '60/1', avg_frame_rate: '24/1' })).toEqual({ fps: 24, fraction: '24/1' });
  });
  it('rotation snaps to quarter turns and wraps', () => {
    expect(rotationOf({ tags: { rotate: '-90' } })).toBe(270);
    expect(rotationOf({ tags: { rotate: '450' } })).toBe(90);
    expect(rotationOf({})).toBe(0);
  });
});
