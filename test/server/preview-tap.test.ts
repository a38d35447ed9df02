/** The pipeline-facing tap: real encoder, real server, real client. */
import { afterEach, describe, expect, it } from 'vitest';
import { createJpegEncoder, createPreviewTap, startPreviewServer, type JpegEncoder, type PreviewServer } from '../../src/server/index.js';
import { explanationFor, movingFrame, openRecorder, type Recorder } from './helpers.js';

let server: PreviewServer | undefined;
let encoder: JpegEncoder | undefined;
let rec: Recorder | undefined;
afterEach(async () => {
  rec?.ws.terminate();
  await server?.close();
  await encoder?.close();
  rec = undefined; server = undefined; encoder = undefined;
});

describe('createPreviewTap', () => {
  it('never queues more than the newest frame: a burst publishes the first and the last, in order', async () => {
    server = await startPreviewServer();
    encoder = createJpegEncoder();
    rec = await openRecorder(`ws://127.0.0.1:${server.port}/ws`);
    const tap = createPreviewTap(server, encoder);
    const frames = Array.from({ length: 30 }, (_, i) => movingFrame(96, 64, i));
    for (let i = 0; i < 30; i++) tap.offer(frames[i]!, explanationFor(i));
    await tap.idle();
    expect(tap.counts).toEqual({ offered: 30, published: 2, skipped: 28, failed: 0 });
    await rec.until(() => rec!.binaries.length === 2, 'two frames');
    expect(rec.frames().map((f) => (f.json.explanation as { index: number }).index)).toEqual([0, 29]);
  });

  it('publishes every frame when offers are spaced by the encoder, and encodes nothing without viewers', async () => {
    server = await startPreviewServer();
    encoder = createJpegEncoder();
    const tap = createPreviewTap(server, encoder);
    tap.offer(movingFrame(96, 64, 0), explanationFor(0));
    expect(tap.counts).toMatchObject({ offered: 1, published: 0, skipped: 1 });
    expect(encoder.restarts).toBe(0); // no ffmpeg started for nobody
    rec = await openRecorder(`ws://127.0.0.1:${server.port}/ws`);
    for (let i = 1; i <= 5; i++) {
      tap.offer(movingFrame(96, 64, i), explanationFor(i));
      await tap.idle();
    }
    await rec.until(() => rec!.binaries.length === 5, 'five frames');
    expect(tap.counts).toEqual({ offered: 6, published: 5, skipped: 1, failed: 0 });
  });

  it('survives encoder failures and reports them', async () => {
    server = await startPreviewServer();
    encoder = createJpegEncoder();
    rec = await openRecorder(`ws://127.0.0.1:${server.port}/ws`);
    const tap = createPreviewTap(server, encoder);
    tap.offer({ width: 4, height: 4, data: new Uint8Array(5) }, explanationFor(0));
    await tap.idle();
    expect(tap.counts.failed).toBe(1);
    expect(tap.lastError).toMatchObject({ code: 'E_ARG' });
    tap.offer(movingFrame(96, 64, 1), explanationFor(1));
    await tap.idle();
    await rec.until(() => rec!.binaries.length === 1, 'frame after failure');
  });
});
