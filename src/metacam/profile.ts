/**
 * A calibration profile (`metacam calibrate -o p.json`, schemas/metacam-profile.schema.json): the members, their
 * weights (consensus rule `weighted`) and k that were measured best on a calibration clip, for one model. This
 * module owns reading one back: the file, the schema (ajv, as the audit log's), the rules a schema cannot say
 * (weights name exactly the members, one weight > 0, every member a known method) and the model check.
 * Errors: E_PROFILE_MISSING (no such file), E_PROFILE_INVALID (not JSON / schema / rules, naming the field),
 * E_METHOD_UNKNOWN (a member this build does not have), E_PROFILE_MISMATCH (calibrated for another model).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { MetacamError } from '../errors.js';
import { checkConsensusWeights, type MetaCamSettings } from './metacam-settings.js';

export const PROFILE_SCHEMA_VERSION = 1 as const;
export const PROFILE_SCHEMA_URL = new URL('../../schemas/metacam-profile.schema.json', import.meta.url);

type Interval = readonly [number, number];

export interface ProfileScores {
  readonly road: number;
  readonly roadCi: Interval;
  readonly pointingGame?: number;
  readonly pointingGameCi?: Interval;
}

/** The profile file's content (mirrors the schema). */
export interface MetacamProfile {
  readonly schemaVersion: typeof PROFILE_SCHEMA_VERSION;
  readonly kind: 'metacam-profile';
  readonly created: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly model: { readonly id: string; readonly sha256: string; readonly format: 'tfjs-layers' | 'tfjs-graph' | 'onnx' };
  readonly layer: string;
  readonly topK: number;
  readonly binary: boolean;
  readonly protocol: 'fair' | 'pgc';
  readonly frames: readonly number[];
  readonly clip: { readonly name: string; readonly sha256: string };
  readonly groundTruth: boolean;
  readonly consensus: 'weighted';
  readonly members: readonly string[];
  readonly weights: Readonly<Record<string, number>>;
  readonly primary: 'pointingGame' | 'road';
  readonly chosen: { readonly index: number; readonly groups: readonly string[] };
  readonly subsets: readonly (ProfileScores & { readonly groups: readonly string[]; readonly members: readonly string[] })[];
  readonly singles: readonly (ProfileScores & { readonly id: string })[];
  readonly cre: { readonly median: number; readonly byGroup: Readonly<Record<string, number>> };
  readonly ciLevel: number;
}

/** A profile as a run uses it: the content, and the file's identity for the audit header. */
export interface LoadedProfile {
  readonly profile: MetacamProfile;
  /** sha256 (hex) of the file's bytes. */
  readonly sha256: string;
  /** The file's name (no folders), as the audit header records it. */
  readonly name: string;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    let schema: Record<string, unknown>;
    try {
      schema = JSON.parse(readFileSync(PROFILE_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw new MetacamError('E_INTERNAL', `cannot load the profile schema at ${PROFILE_SCHEMA_URL.pathname}; reinstall metacam-video`, { cause });
    }
    compiled = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

function invalid(source: string, what: string): MetacamError {
  return new MetacamError('E_PROFILE_INVALID', `profile ${source}: ${what}. Write a new one with \`metacam calibrate\`; do not edit it by hand.`);
}

/**
 * Checks a parsed profile: the schema, then the rules it cannot state. `knownMethods`: the method ids this build
 * has (the registry's). Returns the profile typed.
 */
export function checkProfile(value: unknown, knownMethods: readonly string[], source = 'profile'): MetacamProfile {
  const validate = validator();
  if (!validate(value)) {
    const e = validate.errors?.[0];
    const where = e?.instancePath || '(top level)';
    const extra = e?.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
    throw invalid(source, `${where} ${e?.message ?? 'does not match the schema'}${extra} (schemas/metacam-profile.schema.json)`);
  }
  const p = value as MetacamProfile;
  const unknown = p.members.filter((m) => !knownMethods.includes(m));
  if (unknown.length) {
    throw new MetacamError('E_METHOD_UNKNOWN', `profile ${source}: unknown method ${unknown.map((m) => `'${m}'`).join(', ')}; valid methods: ${knownMethods.join(', ')}. Was it written by another version of metacam? Recalibrate.`);
  }
  const listed = Object.keys(p.weights);
  const missing = p.members.filter((m) => !listed.includes(m));
  const extra = listed.filter((m) => !p.members.includes(m));
  if (missing.length || extra.length) {
    throw invalid(source, `/weights must name exactly the members (${p.members.join(', ')}); ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `not members: ${extra.join(', ')}` : ''}`);
  }
  try {
    checkConsensusWeights('weighted', p.weights);
  } catch (e) {
    throw invalid(source, `/weights: ${(e as Error).message}`);
  }
  if (p.chosen.index >= p.subsets.length) throw invalid(source, `/chosen/index ${p.chosen.index} is past the ${p.subsets.length} subsets`);
  return p;
}

/** Reads, parses and checks a profile file. */
export async function loadProfile(path: string, knownMethods: readonly string[]): Promise<LoadedProfile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new MetacamError('E_PROFILE_MISSING', `cannot read the profile ${path}: ${(cause as Error).message}. Write one with \`metacam calibrate <clip> -m <model> -o ${path}\`.`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw invalid(path, `not JSON (${(cause as Error).message})`);
  }
  return { profile: checkProfile(value, knownMethods, path), sha256: createHash('sha256').update(bytes).digest('hex'), name: basename(path) };
}

/** E_PROFILE_MISMATCH unless the run's model is the one the profile was calibrated for (by sha256). */
export function checkProfileModel(loaded: LoadedProfile | ProfileRef, model: { readonly id: string; readonly sha256: string }): void {
  const want = 'profile' in loaded ? loaded.profile.model : loaded.model;
  if (want.sha256 !== model.sha256) {
    throw new MetacamError(
      'E_PROFILE_MISMATCH',
      `profile ${loaded.name} was calibrated for model '${want.id}' (sha256 ${want.sha256}), but this run's model '${model.id}' has sha256 ${model.sha256}. ` +
        `Recalibrate for this model: metacam calibrate <clip> -m ${model.id} -o <profile.json>.`,
    );
  }
}

/** What a run carries of its profile once the settings are applied (the queue's jobs): enough to check the model and to record it. */
export interface ProfileRef {
  readonly name: string;
  readonly sha256: string;
  readonly model: { readonly id: string; readonly sha256: string };
}

export function profileRefOf(loaded: LoadedProfile): ProfileRef {
  return { name: loaded.name, sha256: loaded.sha256, model: { id: loaded.profile.model.id, sha256: loaded.profile.model.sha256 } };
}

/** The MetaCAM settings a profile fixes: rule `weighted`, its weights, k and binary. */
export function profileMetaCamSettings(p: MetacamProfile): Pick<MetaCamSettings, 'consensus' | 'weights' | 'topK' | 'binary'> {
  return { consensus: 'weighted', weights: { ...p.weights }, topK: p.topK, binary: p.binary };
}
