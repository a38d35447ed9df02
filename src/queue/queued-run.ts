/**
 * One input's share of a queued run, planned before anything is enqueued: its frame-exact segments, the key its
 * job ids derive from (input sha256 + settings + segment length + where it writes), its work folder next to the
 * output, and the join job's data. Reads the input (hash) and nothing else: no file is written here.
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sha256File } from '../audit/sha256.js';
import type { VideoInfo } from '../ingest/probe-video.js';
import { resolveMetaCamSettings } from '../metacam/metacam-settings.js';
import { runKey } from './segment-job-id.js';
import type { JoinJobData, RunSettings } from './segment-job.js';
import { planSegments, preRollFrames, type Segment } from './segment-plan.js';

export interface QueuedRun {
  readonly input: string;
  readonly output: string;
  readonly audit?: string;
  readonly info: VideoInfo;
  /** Frames this run explains: the input's, or the first --max-frames of them. */
  readonly frames: number;
  readonly segments: readonly Segment[];
  readonly preRoll: number;
  readonly key: string;
  readonly workDir: string;
  readonly joinData: JoinJobData;
}

export async function planQueuedRun(o: {
  input: string; output: string; audit?: string; info: VideoInfo; segmentSeconds: number; settings: RunSettings;
  /** `--max-frames N`: plan only the first N frames (as a local run stops after N). */
  maxFrames?: number;
  /** When the whole queued command began (ISO 8601): the joined audit log's startedAt. */
  startedAt: string;
}): Promise<QueuedRun> {
  const input = resolve(o.input);
  const output = resolve(o.output);
  const audit = o.audit ? resolve(o.audit) : undefined;
  const sha256 = await sha256File(input);
  // The longer of the two smoothing time constants (thresholds, consensus map) sets how long the warm-up must be.
  const smoothing = resolveMetaCamSettings(o.settings.metacam);
  const preRoll = preRollFrames(Math.max(smoothing.smoothSeconds, smoothing.smoothMaps), o.info.fps);
  const frames = o.maxFrames === undefined ? o.info.frameCount : Math.min(o.maxFrames, o.info.frameCount);
  const segments = planSegments({ frameCount: frames, fps: o.info.fps, segmentSeconds: o.segmentSeconds, preRoll });
  const key = runKey(sha256, { settings: o.settings, segmentSeconds: o.segmentSeconds, preRoll, output, audit: audit ?? null, frames });
  const workDir = join(dirname(output), `.metacam-queue-${key}`);
  const joinData: JoinJobData = {
    input, output, ...(audit ? { audit } : {}), workDir, segments: segments.length, inputFrames: frames,
    input_sha256: sha256, inputSizeBytes: statSync(input).size, startedAt: o.startedAt,
  };
  return { input, output, ...(audit ? { audit } : {}), info: o.info, frames, segments, preRoll, key, workDir, joinData };
}
