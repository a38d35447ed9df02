/**
 * Which CAM methods form the ensemble. Methods carry their group as data (`CamMethod.group`); the default
 * grouping of the MetaCAM paper is written down here too so docs, tests and the CLI agree on it. Member
 * descriptors are passed in (the method registry lives in src/explain/methods/index.ts and is not imported
 * here, so this stays a pure function over data).
 */
import { MetacamError } from '../errors.js';
import type { CamGroup, CamMethod } from '../explain/methods/types.js';

export const CAM_GROUPS: readonly CamGroup[] = ['gradcam', 'hirescam', 'xgradcam', 'perturbation', 'eigen', 'fullgrad'];
// 'baseline' (Random-CAM) is deliberately absent: it is never an ensemble group nor a CRE subset.

/** The paper's default groups: method ids per group ('baseline' is no ensemble group). */
export const DEFAULT_GROUPS: Readonly<Record<Exclude<CamGroup, 'baseline'>, readonly string[]>> = {
  gradcam: ['gradcam', 'gradcam++'],
  hirescam: ['hirescam', 'gradcam-elementwise'],
  xgradcam: ['xgradcam', 'layercam'],
  perturbation: ['scorecam', 'ablationcam'],
  eigen: ['eigencam', 'eigengradcam'],
  fullgrad: ['fullgrad'],
};

export type MetacamPreset = 'realtime' | 'full';
export const PRESETS: readonly MetacamPreset[] = ['realtime', 'full'];

/** What resolveMembers needs to know about a method. */
export type MemberDescriptor = Pick<CamMethod, 'id' | 'group' | 'perChannelPasses' | 'optIn'> & { readonly title?: string };

export interface MemberSelection {
  /** Explicit method ids. */
  readonly methods?: readonly string[];
  /** Group ids: every available method of these groups (except opt-in ones). */
  readonly groups?: readonly string[];
  /** realtime = methods without per-channel passes; full = all (opt-in methods never). */
  readonly preset?: string;
}

function unknown(kind: string, names: readonly string[], valid: readonly string[]): MetacamError {
  return new MetacamError(
    'E_METHOD_UNKNOWN',
    `unknown ${kind} ${names.map((n) => `'${n}'`).join(', ')}; valid ${kind}s: ${valid.join(', ')}`,
  );
}

/**
 * The member ids, in descriptor (registry) order, without duplicates. `methods`, `groups` and `preset` are
 * combined by union; none given means the realtime preset. Unknown names throw E_METHOD_UNKNOWN listing the
 * valid ones; a selection that ends up empty throws E_ARG.
 */
export function resolveMembers(selection: MemberSelection, descriptors: readonly MemberDescriptor[]): string[] {
  const ids = descriptors.map((d) => d.id);
  const chosen = new Set<string>();
  const { methods, groups } = selection;
  const preset = selection.preset ?? (methods?.length || groups?.length ? undefined : 'realtime');

  if (methods?.length) {
    const bad = methods.filter((m) => !ids.includes(m));
    if (bad.length) throw unknown('method', bad, ids);
    methods.forEach((m) => chosen.add(m));
  }
  if (groups?.length) {
    const bad = groups.filter((g) => !(CAM_GROUPS as readonly string[]).includes(g));
    if (bad.length) throw unknown('group', bad, CAM_GROUPS);
    for (const d of descriptors) if (groups.includes(d.group) && !d.optIn) chosen.add(d.id);
  }
  if (preset !== undefined) {
    if (!(PRESETS as readonly string[]).includes(preset)) throw unknown('preset', [preset], PRESETS);
    for (const d of descriptors) if (!d.optIn && (preset === 'full' || !d.perChannelPasses)) chosen.add(d.id);
  }
  const out = ids.filter((id) => chosen.has(id));
  if (out.length === 0) {
    throw new MetacamError('E_ARG', `the selection ${JSON.stringify(selection)} contains no available method; available: ${ids.join(', ')}`);
  }
  return out;
}

/** The groups present among the given members, in CAM_GROUPS order (for CRE subsets). */
export function groupsOf(members: readonly string[], descriptors: readonly MemberDescriptor[]): CamGroup[] {
  const present = new Set(descriptors.filter((d) => members.includes(d.id)).map((d) => d.group));
  return CAM_GROUPS.filter((g) => present.has(g));
}
