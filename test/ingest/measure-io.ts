/**
 * Quick throughput measurement (not a test): decode of a 720p clip into Node as full-size RGB24 + a 224²
 * model-size side output, and encode of 720p RGB24 frames to H.264 (veryfast). Run:
 *   node --import tsx test/ingest/measure-io.ts [frames=150]
 * Numbers depend on machine load; report them with `uptime`.
 */
import { lastValueFrom, map, count } from 'rxjs';
import { createFlow, decodeFrames, encodeVideo, makeTestClip } from '../../src/ingest/index.js';
import { tempDir } from './helpers.js';

const N = Number(process.argv[2] ?? 150);
const t = await tempDir('measure-');
try {
  const clip = t.path('hd.mp4');
  await makeTestClip({ path: clip, width: 1280, height: 720, fps: 25, frames: N, pattern: 'testsrc2' });

  let start = performance.now();
  const decoded = await lastValueFrom(decodeFrames(clip, { width: 224, height: 224 }).pipe(count()));
  const decodeFps = decoded / ((performance.now() - start) / 1000);

  const flow = createFlow({ highWaterMark: 4 });
  start = performance.now();
  const res = await encodeVideo(decodeFrames(clip, { width: 224, height: 224, flow }).pipe(map((f) => f.image)), {
    output: t.path('out.mp4'), fps: 25, width: 1280, height: 720, flow,
  });
  const transcodeFps = res.frames / ((performance.now() - start) / 1000);

  const frame = new Uint8Array(1280 * 720 * 3).map((_, i) => (i * 31) % 251);
  const { Observable } = await import('rxjs');
  const encFlow = createFlow({ highWaterMark: 4 });
  const synthetic = new Observable<{ width: number; height: number; data: Uint8Array }>((sub) => {
    let i = 0;
    let stop = false;
    (async () => {
      for (; i < N && !stop; i++) {
        await encFlow.acquire();
        sub.next({ width: 1280, height: 720, data: frame });
      }
      sub.complete();
    })();
    return () => { stop = true; };
  });
  start = performance.now();
  const enc = await encodeVideo(synthetic, { output: t.path('enc.mp4'), fps: 25, width: 1280, height: 720, flow: encFlow });
  const encodeFps = enc.frames / ((performance.now() - start) / 1000);

  console.log(JSON.stringify({
    frames: N,
    decode720pPlus224Fps: +decodeFps.toFixed(1),
    encode720pVeryfastFps: +encodeFps.toFixed(1),
    decodeThenEncode720pFps: +transcodeFps.toFixed(1),
  }));
} finally {
  await t.cleanup();
}
