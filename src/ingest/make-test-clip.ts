/**
 * Deterministic tiny clips made with ffmpeg's lavfi sources, for tests here and in other folders
 * (reliability, overlay, end-to-end). The 'index' pattern paints frame i a flat colour (`indexColour(i)`), so a
 * test can check that frames come out in order and exactly once after a lossy codec round trip.
 */
import { rm } from 'node:fs/promises';
import { resolveFfmpeg } from './ffmpeg-path.js';
import { localInput } from './local-input.js';
import { probeVideo } from './probe-video.js';
import { runFfmpeg } from './spawn-ffmpeg.js';

export interface TestClipOptions {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frames: number;
  /** Add a 440 Hz AAC track as long as the video. */
  readonly audio?: boolean;
  /** Clockwise display rotation metadata (0/90/180/270), mp4/mov only. */
  readonly rotation?: number;
  /** Default yuv420p, or yuv444p when a dimension is odd (x264 cannot do odd 4:2:0). */
  readonly pixFmt?: string;
  /** 'index' (flat colour per frame, default) or 'testsrc2' (moving pattern). */
  readonly pattern?: 'index' | 'testsrc2';
  /** Video codec (default libx264; e.g. 'mpeg4', 'libvpx' for webm). */
  readonly codec?: string;
}

/** The RGB colour the 'index' pattern paints frame i with (144 distinct colours, ≥ 20 apart per channel). */
export function indexColour(i: number): [number, number, number] {
  return [8 + 20 * (i % 12), 8 + 20 * (Math.floor(i / 12) % 12), 128];
}

export function testClipArgs(o: TestClipOptions, output: string): string[] {
  const size = `${o.width}x${o.height}`;
  const video = (o.pattern ?? 'index') === 'index'
    ? `color=c=black:s=${size}:r=${o.fps},format=rgb24,geq=r='8+20*mod(N\\,12)':g='8+20*mod(floor(N/12)\\,12)':b=128`
    : `testsrc2=size=${size}:rate=${o.fps}`;
  const odd = o.width % 2 === 1 || o.height % 2 === 1;
  const pixFmt = o.pixFmt ?? (odd ? 'yuv444p' : 'yuv420p');
  const seconds = (o.frames / o.fps).toFixed(6);
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', video,
    ...(o.audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`] : []),
    '-frames:v', String(o.frames), '-map', '0:v',
    ...(o.audio ? ['-map', '1:a', '-c:a', 'aac', '-b:a', '64k'] : []),
    '-c:v', o.codec ?? 'libx264', '-pix_fmt', pixFmt,
    ...((o.codec ?? 'libx264') === 'libx264' ? ['-preset', 'veryfast', '-crf', '18'] : ['-q:v', '2']),
    localInput(output),
  ];
}

async function tagRotation(ffmpegPath: string, src: string, dst: string, degrees: number): Promise<void> {
  await runFfmpeg(ffmpegPath, [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', localInput(src),
    '-map', '0', '-c', 'copy', '-metadata:s:v:0', `rotate=${degrees}`, localInput(dst),
  ], { label: 'tag rotation' });
}

export async function makeTestClip(o: TestClipOptions): Promise<string> {
  const { ffmpegPath } = await resolveFfmpeg();
  const rotation = (((o.rotation ?? 0) % 360) + 360) % 360;
  if (!rotation) {
    await runFfmpeg(ffmpegPath, testClipArgs(o, o.path), { label: 'make test clip' });
    return o.path;
  }
  const ext = o.path.split('.').pop() ?? 'mp4';
  const plain = `${o.path}.plain.${ext}`;
  await runFfmpeg(ffmpegPath, testClipArgs(o, plain), { label: 'make test clip' });
  try {
    // ffmpeg builds disagree on the sign when writing the tag via stream copy; check and flip if needed.
    await tagRotation(ffmpegPath, plain, o.path, rotation);
    if ((await probeVideo(o.path)).rotation !== rotation) {
      await tagRotation(ffmpegPath, plain, o.path, (360 - rotation) % 360);
      const got = (await probeVideo(o.path)).rotation;
      if (got !== rotation) throw new Error(`could not tag ${o.path} with rotation ${rotation} (got ${got})`);
    }
  } finally {
    await rm(plain, { force: true });
  }
  return o.path;
}

