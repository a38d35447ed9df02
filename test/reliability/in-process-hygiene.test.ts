/**
 * Tensor and child-process hygiene inside one long-lived process (a server, a notebook, a test runner): the
 * whole file job (`explainVideo` with a real session: wasm MobileNetV2, real ffmpeg) run again and again —
 * succeeding, aborted, failing in a tap, losing its encoder or its decoder to SIGKILL — must leave the tensor
 * count where it was after the first run (which loads kernels) and no ffmpeg child alive when it settles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, processesMentioning } from '../helpers/make-media.js';
import { mediaFacts } from '../helpers/media.js';
import { openSession, type Session } from '../../src/pipeline/session.js';
import { explainVideo, type ExplainVideoOptions, type ExplainedFrame } from '../../src/pipeline/explain-video.js';
import { liveFfmpegPids } from '../../src/ingest/spawn-ffmpeg.js';
import { isMetacamError } from '../../src/errors.js';
import { ffmpegChildren } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'metacam-hygiene-'));
const short = join(dir, 'short.mp4');
const long = join(dir, 'long.mp4');
let session: Session;
let baseline = -1;
let n = 0;

beforeAll(async () => {
  await makeClip(short, { width: 96, height: 64, fps: 10, frames: 12, audio: true });
  // Long enough that the decoder is still alive (blocked on its pipe) when a fault is injected at frame 3.
  await makeClip(long, { width: 96, height: 64, fps: 10, frames: 100 });
  session = await openSession({ model: 'mobilenet-v2', methods: ['gradcam', 'eigencam'], batch: 4 });
}, 120_000);

afterAll(() => {
  session?.dispose();
  for (const pid of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function options(input: string, extra: Partial<ExplainVideoOptions> = {}): ExplainVideoOptions {
  return {
    input, output: join(dir, `out-${++n}.mp4`), overlay: {}, topK: 10, binary: false, smoothSeconds: 0.5, smoothMaps: 0, ...extra,
  };
}

function expectClean(): void {
  expect(liveFfmpegPids()).toEqual([]);
  expect(ffmpegChildren(process.pid, () => true)).toEqual([]);
  expect(tf.memory().numTensors).toBe(baseline);
}

/** An onFrame tap that injects a fault when the third frame is done. */
function atFrame3(fault: () => void): (item: ExplainedFrame) => void {
  let k = 0;
  return () => { if (++k === 3) fault(); };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the run to fail');
}

describe('explainVideo run repeatedly in one process', () => {
  it('first run (loads kernels) sets the baseline; two more complete runs keep tensors and children flat', async () => {
    const r1 = await explainVideo(session, options(short));
    expect(r1.frames).toBe(12);
    baseline = tf.memory().numTensors;
    expect(liveFfmpegPids()).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const r = await explainVideo(session, options(short));
      expect(r.frames).toBe(12);
      expect((await mediaFacts(r.output)).frames).toBe(12);
      expectClean();
    }
  }, 180_000);

  it('an aborted run (Ctrl-C) keeps them flat', async () => {
    const ac = new AbortController();
    const r = await explainVideo(session, options(long, { signal: ac.signal, onFrame: atFrame3(() => ac.abort()) }));
    expect(r.interrupted).toBe(true);
    expect(r.output).toMatch(/\.partial\.mp4$/);
    expect((await mediaFacts(r.output)).frames).toBe(r.frames);
    expectClean();
  }, 120_000);

  it('a run whose tap throws rejects with that error and keeps them flat', async () => {
    const boom = new Error('tap failed');
    const e = await rejection(explainVideo(session, options(long, { onFrame: atFrame3(() => { throw boom; }) })));
    expect(e).toBe(boom);
    expectClean();
  }, 120_000);

  it.each([
    ['encoder', (cmd: string) => cmd.includes('-i pipe:0')],
    ['decoder', (cmd: string) => cmd.includes(`file:${long}`) && !cmd.includes('pipe:0')],
  ])('a run whose %s is SIGKILLed rejects with E_FFMPEG_FAILED and keeps them flat', async (which, match) => {
    const killed: number[] = [];
    const kill = () => {
      for (const p of ffmpegChildren(process.pid, match)) { process.kill(p.pid, 'SIGKILL'); killed.push(p.pid); }
    };
    const e = await rejection(explainVideo(session, options(long, { onFrame: atFrame3(kill) })));
    expect(killed, `no ${which} found to kill`).toHaveLength(1);
    expect(isMetacamError(e) && e.code).toBe('E_FFMPEG_FAILED');
    expect(String((e as Error).message)).toMatch(/killed by SIGKILL/);
    expectClean();
  }, 120_000);

  it('after all that, a normal run still works and ends flat', async () => {
    const r = await explainVideo(session, options(short));
    expect(r.frames).toBe(12);
    expectClean();
  }, 120_000);
});
