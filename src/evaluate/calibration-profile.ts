/**
 * A calibration's result → the profile file's content (schemas/metacam-profile.schema.json): the chosen
 * subset's members with weight 1, k, the protocol, the frames, the clip's and the model's identity, and every
 * subset's and member's scores with their intervals, so a reader can see what the choice was made between.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { toolVersion } from '../core/version.js';
import { PROFILE_SCHEMA_VERSION, type MetacamProfile } from '../metacam/profile.js';
import type { CalibrationResult } from './calibrate.js';

async function sha256OfFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface ProfileFacts {
  readonly clip: string;
  readonly model: { readonly id: string; readonly sha256: string; readonly format?: 'tfjs-layers' | 'tfjs-graph' | 'onnx' };
  readonly created?: Date;
}

export async function calibrationProfile(r: CalibrationResult, facts: ProfileFacts): Promise<MetacamProfile> {
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: 'metacam-profile',
    created: (facts.created ?? new Date()).toISOString(),
    tool: { name: 'metacam-video', version: toolVersion() },
    model: { id: facts.model.id, sha256: facts.model.sha256, format: facts.model.format ?? 'tfjs-layers' },
    layer: r.layer,
    topK: r.topK,
    binary: r.binary,
    protocol: r.protocol,
    frames: [...r.frames],
    clip: { name: basename(facts.clip), sha256: await sha256OfFile(facts.clip) },
    groundTruth: r.groundTruth,
    consensus: 'weighted',
    members: [...r.chosen.members],
    weights: { ...r.chosen.weights },
    primary: r.primary,
    chosen: { index: r.chosen.index, groups: [...r.chosen.groups] },
    subsets: r.subsets.map((s) => ({ ...s, groups: [...s.groups], members: [...s.members] })),
    singles: r.singles.map((s) => ({ ...s })),
    cre: { median: r.cre.median, byGroup: { ...r.cre.byGroup } },
    ciLevel: r.ciLevel,
  };
}
