/**
 * `--profile p.json` on explain, live, image and evaluate: the profile (metacam/profile.ts) fixes the members,
 * their weights (consensus `weighted`), k, binary and the layer, so the flags that would set those again are
 * refused (E_ARG) instead of silently overridden or silently ignored. `evaluate` keeps its member flags (it scores
 * members beside the calibrated MetaCAM; the profile's members must be among them) and its --top-k list.
 * `--consensus weighted` without a profile is E_ARG too: the rule has no weights of its own.
 * Reading the file and checking it is metacam/profile.ts; after the session opens, the command checks the
 * model's sha256 against the profile's (checkProfileModel).
 */
import { METHODS } from '../explain/methods/index.js';
import type { ModelSettings } from '../explain/model/model-settings.js';
import type { MetaCamSettings } from '../metacam/metacam-settings.js';
import { loadProfile, profileMetaCamSettings, type LoadedProfile } from '../metacam/profile.js';
import { argError } from './flag-parsing.js';

export interface ProfileFlag {
  /** `--profile p.json`: a calibration profile fixing members, weights, k and layer. */
  readonly profile?: string;
}

export const PROFILE_FIXED_FLAGS: readonly string[] = ['method', 'methods', 'groups', 'preset', 'consensus', 'top-k', 'layer', 'binary'];
export const EVALUATE_PROFILE_FIXED_FLAGS: readonly string[] = ['consensus', 'layer', 'binary'];

export function checkProfileFlags(v: Readonly<Record<string, string | boolean | undefined>>, fixed: readonly string[]): void {
  if (v.profile === undefined) {
    if (v.consensus === 'weighted') throw argError("--consensus weighted takes its weights from a calibration profile: pass --profile profile.json (written by `metacam calibrate`) instead.");
    return;
  }
  const given = fixed.filter((f) => v[f] !== undefined && v[f] !== false);
  if (given.length) {
    throw argError(`--profile fixes the members, their weights, k and the layer; drop ${given.map((f) => `--${f}`).join(', ')}, or recalibrate with them (metacam calibrate --help).`);
  }
}

/** Reads and checks `--profile` (undefined when not given) against this build's methods. */
export async function readProfileFlag(path: string | undefined): Promise<LoadedProfile | undefined> {
  return path === undefined ? undefined : loadProfile(path, METHODS.map((m) => m.id));
}

/**
 * The options with the profile's members, layer and MetaCAM settings in place of the flags' (which
 * checkProfileFlags made sure were not given). `keepMembers` (evaluate): leave the member selection as parsed.
 */
export function withProfile<T extends ModelSettings & Partial<MetaCamSettings>>(opts: T, loaded: LoadedProfile | undefined, keepMembers = false): T {
  if (!loaded) return opts;
  const p = loaded.profile;
  const members = keepMembers ? {} : { methods: [...p.members], groups: undefined, preset: undefined };
  return { ...opts, ...members, layer: p.layer, extraLayers: undefined, ...profileMetaCamSettings(p) };
}

/** The audit header's record of the profile. */
export function profileRef(loaded: LoadedProfile | undefined): { name: string; sha256: string } | undefined {
  return loaded ? { name: loaded.name, sha256: loaded.sha256 } : undefined;
}
