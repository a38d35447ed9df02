/**
 * What the end-to-end measurement scripts share: a generated 1280×720 clip (testsrc2 + audio) in a temp dir, a
 * MobileNetV2 session and its worker explainer (as `metacam explain` runs), all cleaned up afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseExplainArgs } from '../src/cli/args.js';
import type { WorkerExplainer } from '../src/explain/engine/worker-explainer.js';
import { makeTestClip } from '../src/ingest/make-test-clip.js';
import { openSession, type Session } from '../src/pipeline/session.js';

export interface E2eFixture {
  readonly clip: string;
  readonly output: string;
  readonly session: Session;
  readonly worker: WorkerExplainer;
}

export async function withE2eFixture(frames: number, fn: (f: E2eFixture) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(os.tmpdir(), 'metacam-e2e-'));
  try {
    const clip = join(dir, 'clip.mp4');
    const output = join(dir, 'out.mp4');
    await makeTestClip({ path: clip, width: 1280, height: 720, fps: 25, frames, audio: true, pattern: 'testsrc2' });
    // As `metacam explain` runs: the model is loaded in the worker thread only.
    const session = await openSession(parseExplainArgs([clip, '-o', output, '--model', 'mobilenet-v2']), { worker: true });
    try {
      await fn({ clip, output, session, worker: session.explainer });
    } finally {
      session.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
