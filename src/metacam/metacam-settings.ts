/**
 * The MetaCAM stage's settings: their type, their defaults and their checks, defined once here. The CLI parses
 * flags into this shape (checking each against the same ranges), the library takes it, the audit header records
 * it resolved.
 */
import { checkNumber, checkOneOf, definedOnly, type NumberRange } from '../core/checks.js';
import { MetacamError } from '../errors.js';
import { MAP_MOTIONS, type MapMotion } from './map-smoother.js';
import { HYSTERESIS_RANGE } from './region-hysteresis.js';
import { DEFAULT_SCENE_CUT_THRESHOLD } from './scene-cut-detector.js';
import { TOP_K_RANGE } from './top-k.js';

/**
 * How the thresholded member maps are combined (`--consensus`, consensus.ts): sum = one vote per distinct map;
 * group = one vote per method group; weighted = each member's weight from a calibration profile (`--profile`).
 */
export type ConsensusRule = 'sum' | 'group' | 'weighted';
export const CONSENSUS_RULES: readonly ConsensusRule[] = ['sum', 'group', 'weighted'];

/** Member id → weight in S under the `weighted` rule: finite, ≥ 0, at least one > 0; a member not listed weighs 0. */
export type ConsensusWeights = Readonly<Record<string, number>>;

export interface MetaCamSettings {
  /** Top-k percent kept by each threshold, in (0, 100) (`--top-k`). */
  readonly topK: number;
  /** Keep 1s instead of map values inside regions (`--binary`). */
  readonly binary: boolean;
  /** Threshold smoothing time constant in seconds; 0 disables it and the hysteresis (`--smooth`). */
  readonly smoothSeconds: number;
  /** Region hysteresis band h: a pixel in the region leaves below (1 − h)·τ̄; 0 = none (`--hysteresis`). Needs smoothSeconds > 0. */
  readonly hysteresis: number;
  /** Per-pixel consensus map smoothing time constant in seconds; 0 disables (`--smooth-maps`). */
  readonly smoothMaps: number;
  /** Whether map smoothing follows the object's motion or averages in place (`--map-motion`). */
  readonly mapMotion: MapMotion;
  /** Scene-cut colour-histogram distance in (0, 1] above which every smoother resets (`--scene-cut`). */
  readonly sceneCutThreshold: number;
  /** The consensus rule (`--consensus`). */
  readonly consensus: ConsensusRule;
  /** The `weighted` rule's weights (from `--profile`); required by it, refused by the other rules. */
  readonly weights?: ConsensusWeights;
}

export const DEFAULT_METACAM_SETTINGS: MetaCamSettings = Object.freeze({
  topK: 10,
  binary: false,
  smoothSeconds: 0.5,
  hysteresis: 0.2,
  smoothMaps: 0.5,
  mapMotion: 'follow',
  sceneCutThreshold: DEFAULT_SCENE_CUT_THRESHOLD,
  consensus: 'sum',
});

/** Valid values of the numeric settings (the CLI checks its flags against these too). */
export const METACAM_RANGES = {
  topK: TOP_K_RANGE,
  smoothSeconds: { min: 0, max: 3600 },
  hysteresis: HYSTERESIS_RANGE,
  smoothMaps: { min: 0, max: 3600 },
  sceneCutThreshold: { min: 0, max: 1, minExclusive: true },
} as const satisfies Record<string, NumberRange>;

/** Fills defaults and checks every value; throws E_ARG naming the setting. */
export function resolveMetaCamSettings(partial: Partial<MetaCamSettings> = {}): MetaCamSettings {
  const s = { ...DEFAULT_METACAM_SETTINGS, ...definedOnly(partial) };
  checkNumber('topK', s.topK, METACAM_RANGES.topK);
  checkNumber('smoothSeconds', s.smoothSeconds, METACAM_RANGES.smoothSeconds);
  checkNumber('hysteresis', s.hysteresis, METACAM_RANGES.hysteresis);
  checkNumber('smoothMaps', s.smoothMaps, METACAM_RANGES.smoothMaps);
  checkOneOf('mapMotion', s.mapMotion, MAP_MOTIONS);
  checkNumber('sceneCutThreshold', s.sceneCutThreshold, METACAM_RANGES.sceneCutThreshold);
  checkConsensusRule(s.consensus);
  checkConsensusWeights(s.consensus, s.weights);
  return {
    topK: s.topK, binary: Boolean(s.binary), smoothSeconds: s.smoothSeconds, hysteresis: s.hysteresis, smoothMaps: s.smoothMaps, mapMotion: s.mapMotion,
    sceneCutThreshold: s.sceneCutThreshold, consensus: s.consensus,
    ...(s.weights ? { weights: { ...s.weights } } : {}),
  };
}

/**
 * `weighted` needs weights (finite, ≥ 0, at least one > 0) and the other rules take none: E_ARG saying what to
 * pass. Which members the weights name is checked against the members by consensusWeights.
 */
export function checkConsensusWeights(rule: ConsensusRule, weights: ConsensusWeights | undefined): void {
  if (rule !== 'weighted') {
    if (weights !== undefined) throw new MetacamError('E_ARG', `consensus weights apply only to the 'weighted' rule (got rule '${rule}'); pass --profile, which sets both`);
    return;
  }
  if (weights === undefined) {
    throw new MetacamError('E_ARG', "consensus 'weighted' needs a weight per member: pass --profile profile.json (written by `metacam calibrate`)");
  }
  const entries = Object.entries(weights);
  for (const [id, w] of entries) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new MetacamError('E_ARG', `consensus weight of '${id}' must be a finite number ≥ 0; got ${String(w)}`);
  }
  if (!entries.some(([, w]) => w > 0)) throw new MetacamError('E_ARG', `consensus 'weighted' needs at least one weight > 0; got ${JSON.stringify(weights)}`);
}

export function checkConsensusRule(rule: unknown): asserts rule is ConsensusRule {
  if (!(CONSENSUS_RULES as readonly unknown[]).includes(rule)) {
    throw new MetacamError('E_ARG', `consensus: unknown rule ${JSON.stringify(rule)}; valid rules: ${CONSENSUS_RULES.join(', ')}`);
  }
}

/** Only the MetaCAM settings of a larger options object (e.g. a command's parsed flags). */
export function pickMetaCamSettings(o: Partial<MetaCamSettings>): Partial<MetaCamSettings> {
  return definedOnly({
    topK: o.topK, binary: o.binary, smoothSeconds: o.smoothSeconds, hysteresis: o.hysteresis, smoothMaps: o.smoothMaps, mapMotion: o.mapMotion,
    sceneCutThreshold: o.sceneCutThreshold, consensus: o.consensus, weights: o.weights,
  });
}
