/**
 * `--profile p.json` on explain, live, image and evaluate: the profile (metacam/profile.ts) fixes the members,
 * their weights (consensus `weighted`), k, binary and the layer, so the flags that would set those again are
 * refused (E_ARG) instead of silently overridden or silently ignored. `evaluate` keeps its member flags (it scores
 * members beside the calibrated MetaCAM; the profile's members must be among them) and its --top-k list.
 * `--consensus weighted` without a profile is E_ARG too: the rule has no weights of its own.
 */
import { argError } from './flag-parsing.js';

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
