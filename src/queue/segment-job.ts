/**
 * What travels through Redis: one `segment` job per Segment (children) and one `join` job (their parent) per run,
 * all in one BullMQ queue. Paths are absolute and must be the same on every machine (a shared folder).
 * Nothing here holds a secret: the Redis URL is never part of a job.
 */
import type { AuditHeaderFields } from '../audit/audit-record.js';
import type { ModelSettings } from '../explain/model/model-settings.js';
import type { MetaCamSettings } from '../metacam/metacam-settings.js';
import type { OverlayOptions } from '../overlay/index.js';
import type { Segment } from './segment-plan.js';
import type { ProfileRef } from '../metacam/profile.js';

export const QUEUE_NAME = 'metacam-explain';

export interface RunSettings {
  readonly model: Partial<ModelSettings>;
  readonly metacam: Partial<MetaCamSettings>;
  readonly overlay: Partial<OverlayOptions>;
  /** The calibration profile the members and weights above come from (`--profile`): checked against the worker's model, recorded in the audit header. */
  readonly profile?: ProfileRef;
}

export interface SegmentJobData {
  readonly input: string;
  readonly workDir: string;
  readonly segment: Segment;
  readonly settings: RunSettings;
}

export interface SegmentJobResult {
  readonly index: number;
  readonly frames: number;
  readonly video: string;
  readonly records: string;
  readonly seconds: number;
  /** This worker's audit header facts (model, backend, ffmpeg, settings): the join writes segment 0's. */
  readonly header: AuditHeaderFields;
}

export interface JoinJobData {
  readonly input: string;
  readonly output: string;
  readonly audit?: string;
  readonly workDir: string;
  readonly segments: number;
  /** Frames the joined output must have: the input's, or the first --max-frames of them. */
  readonly inputFrames: number;
  readonly input_sha256: string;
  readonly inputSizeBytes: number;
  /** When the coordinator began the command (plan → join): the audit log's startedAt and duration start here. */
  readonly startedAt?: string;
}

export interface JoinJobResult {
  readonly output: string;
  readonly frames: number;
  readonly audit?: string;
  readonly joinSeconds: number;
}

/** Files of segment i inside the run's work folder. */
export function segmentFiles(workDir: string, index: number): { video: string; records: string } {
  const stem = `${workDir}/seg-${String(index).padStart(5, '0')}`;
  return { video: `${stem}.mp4`, records: `${stem}.records.jsonl` };
}
