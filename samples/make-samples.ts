/**
 * Regenerates the bundled sample clip, deterministically, with ffmpeg's lavfi sources (no downloads, nothing
 * copyrighted, nothing a content classifier should flag): a slowly zooming Mandelbrot set (drawing-like
 * shapes and colours) with a moving testsrc2 card over it, 320×240, 25 fps, 4 s (100 frames), and a quiet
 * 440 Hz AAC tone so the audio pass-through can be checked. Bit-exact flags strip version strings so the file
 * only changes when the recipe or the ffmpeg build does.
 *
 *   npm run samples            # writes samples/sample.mp4
 */
import { rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeVideo, resolveFfmpeg, runFfmpeg } from '../src/ingest/index.js';

export const SAMPLE = { width: 320, height: 240, fps: 25, seconds: 4 } as const;

export function sampleClipArgs(output: string): string[] {
  const { width: w, height: h, fps, seconds } = SAMPLE;
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `mandelbrot=size=${w}x${h}:rate=${fps}:start_scale=2.5:end_scale=0.6:end_pts=${fps * seconds}`,
    '-f', 'lavfi', '-i', `testsrc2=size=96x72:rate=${fps}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`,
    '-filter_complex', `[0:v][1:v]overlay=x='mod(t*70\\,${w - 96})':y='${h / 2 - 36}+40*sin(t*2)':shortest=1,format=yuv420p[v];[2:a]volume=0.3[a]`,
    '-map', '[v]', '-map', '[a]', '-frames:v', String(fps * seconds),
    '-c:v', 'libx264', '-preset', 'medium', '-crf', '23', '-pix_fmt', 'yuv420p', '-threads', '1',
    '-c:a', 'aac', '-b:a', '64k',
    '-movflags', '+faststart', '-map_metadata', '-1',
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
    `file:${output}`,
  ];
}

export async function makeSamples(dir = dirname(fileURLToPath(import.meta.url))): Promise<string> {
  const { ffmpegPath, version } = await resolveFfmpeg();
  const out = join(dir, 'sample.mp4');
  const tmp = join(dir, 'sample.partial.mp4');
  await runFfmpeg(ffmpegPath, sampleClipArgs(tmp), { label: 'making samples/sample.mp4' });
  await rename(tmp, out);
  const info = await probeVideo(out);
  const { size } = await stat(out);
  console.log(`${out}: ${info.width}x${info.height} @ ${info.fps} fps, ${info.frameCount} frames, audio ${info.hasAudio}, ${(size / 1024).toFixed(0)} KiB (${version})`);
  if (size > 2 * 2 ** 20) throw new Error(`sample.mp4 is ${size} bytes; keep it under 2 MB`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  makeSamples().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
