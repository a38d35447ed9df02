/**
 * What a live source string means, and the ffmpeg input argv for it (pure). Kinds: `testsrc[:WxH[@fps]]`
 * (lavfi testsrc2 paced at real time by `-re`, for demos and tests), cameras (`/dev/videoN` via v4l2 on Linux;
 * `avfoundation:<name>` on macOS, `dshow:<name>` on Windows), `rtsp://` (over TCP: no UDP packet loss
 * artefacts), `http(s)://` (HLS, MJPEG, progressive), and a local file played at its real rate (`-re`).
 * Network kinds are the ones the live decoder retries with back-off.
 */
import { MetacamError } from '../errors.js';
import { localInput } from './local-input.js';

export type LiveSource =
  | { readonly kind: 'testsrc'; readonly width: number; readonly height: number; readonly fps: number }
  | { readonly kind: 'device'; readonly format: 'v4l2' | 'avfoundation' | 'dshow'; readonly device: string }
  | { readonly kind: 'rtsp'; readonly url: string }
  | { readonly kind: 'http'; readonly url: string }
  | { readonly kind: 'file'; readonly path: string };

export const TESTSRC_DEFAULT = { width: 640, height: 360, fps: 25 } as const;

export function isNetworkSource(s: LiveSource): boolean {
  return s.kind === 'rtsp' || s.kind === 'http';
}

export function parseLiveSource(spec: string, platform: NodeJS.Platform = process.platform): LiveSource {
  const t = spec.trim();
  const test = /^testsrc(?::(\d+)x(\d+))?(?:@(\d+(?:\.\d+)?))?$/.exec(t);
  if (test) {
    const width = test[1] ? Number(test[1]) : TESTSRC_DEFAULT.width;
    const height = test[2] ? Number(test[2]) : TESTSRC_DEFAULT.height;
    const fps = test[3] ? Number(test[3]) : TESTSRC_DEFAULT.fps;
    if (width < 16 || height < 16 || fps <= 0) {
      throw new MetacamError('E_ARG', `live source "${spec}": testsrc needs at least 16x16 and fps > 0, e.g. testsrc:640x360@25`);
    }
    return { kind: 'testsrc', width, height, fps };
  }
  if (/^rtsps?:\/\//i.test(t)) return { kind: 'rtsp', url: t };
  if (/^https?:\/\//i.test(t)) return { kind: 'http', url: t };
  const explicit = /^(v4l2|avfoundation|dshow):(.+)$/.exec(t);
  if (explicit) return { kind: 'device', format: explicit[1] as 'v4l2' | 'avfoundation' | 'dshow', device: explicit[2]! };
  if (/^\/dev\/video\d+$/.test(t)) {
    if (platform !== 'linux') {
      throw new MetacamError('E_ARG', `live source "${spec}": /dev/videoN is Linux-only; use avfoundation:<name> (macOS) or dshow:<name> (Windows)`);
    }
    return { kind: 'device', format: 'v4l2', device: t };
  }
  if (t === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    throw new MetacamError('E_ARG',
      `live source "${spec}" not understood; use testsrc, /dev/videoN, rtsp://…, http(s)://… or a file path`);
  }
  return { kind: 'file', path: t };
}

/** Input argv, ending in `-i …`, to be passed as `inputArgs` to `decodeArgs`. */
export function liveInputArgs(s: LiveSource): string[] {
  switch (s.kind) {
    case 'testsrc':
      return ['-re', '-f', 'lavfi', '-i', `testsrc2=size=${s.width}x${s.height}:rate=${s.fps}`];
    case 'device':
      if (s.format === 'dshow') return ['-f', 'dshow', '-i', s.device.startsWith('video=') ? s.device : `video=${s.device}`];
      return ['-f', s.format, '-i', s.device];
    case 'rtsp':
      return ['-rtsp_transport', 'tcp', '-i', s.url];
    case 'http':
      // No `-fflags nobuffer`/`-flags low_delay`: with ffmpeg 4.1 they made MPEG-TS over HTTP decode zero frames.
      return ['-i', s.url];
    case 'file':
      return ['-re', '-i', localInput(s.path)];
  }
}

export function describeLiveSource(s: LiveSource): string {
  switch (s.kind) {
    case 'testsrc': return `testsrc ${s.width}x${s.height}@${s.fps}`;
    case 'device': return `${s.format} ${s.device}`;
    case 'rtsp': case 'http': return s.url;
    case 'file': return `${s.path} (real time)`;
  }
}
