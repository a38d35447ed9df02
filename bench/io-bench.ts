/**
 * Video I/O alone, on the same clip: decode into Node (720p RGB24 + the model-size side output, as the pipeline
 * decodes) and encode 720p RGB24 frames to H.264 (as the pipeline encodes, no audio). With explain-only fps these
 * give two models of the end-to-end rate: fully serial (1/e2e = 1/explain + 1/decode + 1/encode) and fully
 * overlapped (min of the three); where the measured steady rate falls between them says how much overlap there is.
 */
import { join } from 'node:path';
import { count, from, lastValueFrom } from 'rxjs';
import { decodeFrames } from '../src/ingest/decode-frames.js';
import { encodeVideo } from '../src/ingest/encode-video.js';
import type { Frame } from '../src/core/frame.js';
import { fps, round, timeRuns, type TimingPlan } from './timing.js';

export interface IoBench {
  readonly decodeFps: number;
  readonly encodeFps: number;
  readonly reps: number;
}

export async function benchIo(clip: string, frames: readonly Frame[], workDir: string, plan: TimingPlan): Promise<IoBench> {
  const size = { width: frames[0].input.width, height: frames[0].input.height };
  const { width, height } = frames[0].image;
  const d = await timeRuns(async () => {
    const n = await lastValueFrom(decodeFrames(clip, size).pipe(count()));
    if (n !== frames.length) throw new Error(`decoded ${n} frames, expected ${frames.length}`);
  }, plan);
  const images = frames.map((f) => f.image);
  // The frames are all in memory already: let them all queue (the default bound, 64, exists to catch a source
  // without a flow, and would fail a clip longer than that).
  const e = await timeRuns(() => encodeVideo(from(images), { output: join(workDir, 'io-encode.mp4'), fps: 25, width, height, maxQueued: images.length }), plan);
  return { decodeFps: fps(frames.length, d.medianMs), encodeFps: fps(frames.length, e.medianMs), reps: Math.min(d.reps, e.reps) };
}

/** Fully serial and fully overlapped end-to-end rates predicted from the stage rates. */
export function pipelineModels(explainOnlyFps: number, io: IoBench): { serialFps: number; overlappedFps: number } {
  return {
    serialFps: round(1 / (1 / explainOnlyFps + 1 / io.decodeFps + 1 / io.encodeFps), 3),
    overlappedFps: round(Math.min(explainOnlyFps, io.decodeFps, io.encodeFps), 3),
  };
}
