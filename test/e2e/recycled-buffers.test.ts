/**
 * explainVideo with recycleBuffers: the decoded frames and the overlays come from pools, and a buffer goes back
 * only once nothing reads it any more. If one were reused too early (an overlay overwritten before the encoder
 * wrote it, a decoded frame overwritten before its overlay or the taps were done), the pixels the taps see or
 * the encoded video would differ from the run that allocates every buffer fresh. Real ffmpeg, real model.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, map, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../helpers/make-media.js';
import { decodeFrames } from '../../src/ingest/decode-frames.js';
import { liveFfmpegPids } from '../../src/ingest/spawn-ffmpeg.js';
import { openSession, type Session } from '../../src/pipeline/session.js';
import { explainVideo, type ExplainVideoResult } from '../../src/pipeline/explain-video.js';
import type { Layout } from '../../src/overlay/index.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-recycle-'));
const clip = join(dir, 'clip.mp4');
const FRAMES = 80;
let session: Session;

beforeAll(async () => {
  await makeClip(clip, { width: 160, height: 96, fps: 10, frames: FRAMES, audio: true });
  session = await openSession({ model: 'shapes', batch: 4 });
}, 120_000);

afterAll(() => {
  session?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const sha = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

interface Run {
  readonly result: ExplainVideoResult;
  /** Hashes of the decoded frame and the overlay as the onFrame tap saw them. */
  readonly seen: { frame: string; overlay: string }[];
  /** Hashes of the output video's frames, decoded again. */
  readonly encoded: string[];
}

async function run(name: string, recycleBuffers: boolean, layout: Layout): Promise<Run> {
  const seen: Run['seen'] = [];
  const output = join(dir, `${name}.mp4`);
  const result = await explainVideo(session, {
    input: clip, output, overlay: { layout }, topK: 3, binary: false, smoothSeconds: 0.5, smoothMaps: 0, recycleBuffers,
    onFrame: async ({ frame, overlay }) => {
      const frameHash = sha(frame.image.data);
      // Yield to the event loop: the decoder keeps filling buffers meanwhile, and must not fill this one.
      await new Promise((r) => setTimeout(r, 2));
      expect(sha(frame.image.data)).toBe(frameHash);
      seen.push({ frame: frameHash, overlay: sha(overlay.data) });
    },
  });
  const encoded = await lastValueFrom(decodeFrames(output, { width: 8, height: 8 }).pipe(map((f) => sha(f.image.data)), toArray()));
  return { result, seen, encoded };
}

describe('explainVideo with recycled 720p buffers', () => {
  for (const layout of ['single', 'grid'] as const) {
    it(`gives the taps and the encoder the same pixels as fresh buffers, while reusing them (${layout})`, async () => {
      const fresh = await run(`${layout}-fresh`, false, layout);
      const pooled = await run(`${layout}-pooled`, true, layout);
      expect(fresh.result.frames).toBe(FRAMES);
      expect(pooled.result.frames).toBe(FRAMES);
      expect(fresh.result.buffers).toBeUndefined();
      // Bounded by the flow (3 batches of 4 in flight) plus what the decoder buffers: far fewer buffers than frames.
      const { frames, overlays } = pooled.result.buffers!;
      expect(frames.allocated).toBeLessThan(FRAMES / 2);
      expect(overlays.allocated).toBeLessThan(FRAMES / 2);
      expect(frames.reused + frames.allocated).toBeGreaterThanOrEqual(FRAMES);
      expect(overlays.reused + overlays.allocated).toBe(FRAMES);
      expect(overlays.outstanding).toBe(0);
      expect(pooled.seen).toEqual(fresh.seen);
      expect(pooled.encoded).toHaveLength(FRAMES);
      expect(pooled.encoded).toEqual(fresh.encoded);
      expect(liveFfmpegPids()).toEqual([]);
    }, 120_000);
  }

  it('refuses an ffmpegNiceness outside 0–19 before starting any ffmpeg', async () => {
    await expect(explainVideo(session, {
      input: clip, output: join(dir, 'never.mp4'), overlay: {}, topK: 3, binary: false, smoothSeconds: 0.5, smoothMaps: 0, ffmpegNiceness: 25,
    })).rejects.toMatchObject({ code: 'E_ARG' });
    expect(liveFfmpegPids()).toEqual([]);
  });
});
